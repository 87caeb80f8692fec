/**
 * The two shapes of W3C Bitstring Status List v1.0 Jalon publishes: the entry each document's
 * credential carries (`credentialStatus`), and the list credential it points to. Pure.
 */

/** Where a document's revocation bit is: a list (its URL) and the bit's index in it. */
export interface DocumentStatusEntry {
  /** e.g. https://jalon.example.org/issuers/jalon/status/0 — the BitstringStatusListCredential. */
  readonly listUrl: string;
  readonly index: number;
}

export interface BitstringStatusListEntry {
  readonly id: string;
  readonly type: 'BitstringStatusListEntry';
  readonly statusPurpose: 'revocation';
  /** The index as a string, as the specification writes it. */
  readonly statusListIndex: string;
  readonly statusListCredential: string;
}

export interface BitstringStatusListCredential {
  readonly '@context': readonly ['https://www.w3.org/ns/credentials/v2'];
  readonly id: string;
  readonly type: readonly ['VerifiableCredential', 'BitstringStatusListCredential'];
  readonly issuer: { readonly id: string; readonly name: string };
  readonly validFrom: string;
  readonly credentialSubject: {
    readonly id: string;
    readonly type: 'BitstringStatusList';
    readonly statusPurpose: 'revocation';
    readonly encodedList: string;
  };
}

/** The list of `listNumber` of the issuer `issuerSlug`: `<base>/issuers/<slug>/status/<n>`. */
export function statusListUrl(publicBaseUrl: string, issuerSlug: string, listNumber: number): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/issuers/${encodeURIComponent(issuerSlug)}/status/${listNumber}`;
}

/** The `credentialStatus` of a document's credential. */
export function statusListEntry({ listUrl, index }: DocumentStatusEntry): BitstringStatusListEntry {
  return {
    id: `${listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: listUrl,
  };
}

/** The unsigned BitstringStatusListCredential of a list. `validFrom`: when its content last changed (xsd:dateTimeStamp). */
export function statusListCredential(input: {
  readonly listUrl: string;
  readonly issuer: { readonly id: string; readonly name: string };
  readonly validFrom: string;
  readonly encodedList: string;
}): BitstringStatusListCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: input.listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: input.issuer.id, name: input.issuer.name },
    validFrom: input.validFrom,
    credentialSubject: { id: `${input.listUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: input.encodedList },
  };
}
