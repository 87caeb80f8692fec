/** An e-mail address: something@domain.tld, no spaces. */
export const EMAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** A sender as an e-mail's From says it: its address, and the name shown before it where there is one. */
export interface Mailbox {
  readonly name?: string;
  readonly address: string;
}

/** « École Data <certificats@ecole-data.fr> » or « certificats@ecole-data.fr »; undefined when the text is neither. */
export function parseMailbox(value: string): Mailbox | undefined {
  const named = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  if (named) {
    const name = named[1].replace(/^"(.*)"$/, '$1').trim();
    if (/[\r\n<>"]/.test(name) || !EMAIL_ADDRESS.test(named[2].trim())) return undefined;
    return name ? { name, address: named[2].trim() } : { address: named[2].trim() };
  }
  return EMAIL_ADDRESS.test(value.trim()) ? { address: value.trim() } : undefined;
}

export const isMailbox = (value: string): boolean => parseMailbox(value) !== undefined;
