import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The CDC's published schema, as ../shared holds it beside the checkout. */
export const ACCROCHAGE_XSD = resolve(__dirname, '../../../../../shared/accrochage/accrochage-v2.0.0.xsd');

/**
 * A flux checked against the XSD by libxml2's xmllint (Debian's libxml2-utils, installed by
 * .ci/run): valid, or the validator's own messages.
 */
export function validateFlux(xml: string): Promise<{ valid: boolean; messages: string }> {
  if (!existsSync(ACCROCHAGE_XSD)) throw new Error(`the accrochage schema is missing: ${ACCROCHAGE_XSD}`);
  return new Promise((done, fail) => {
    const child = execFile('xmllint', ['--noout', '--schema', ACCROCHAGE_XSD, '-'], (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return fail(new Error('xmllint is not installed (Debian: libxml2-utils)'));
      done({ valid: !error, messages: stderr });
    });
    child.stdin!.end(xml);
  });
}
