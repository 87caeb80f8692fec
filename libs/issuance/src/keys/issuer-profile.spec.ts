import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@jalon/config';
import { configuredSignatory } from './issuer-profile';

describe('the documents’ signatory, as configured (R15)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-signatory-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const signatory = { ISSUER_SIGNATORY_NAME: 'Marie Dupont', ISSUER_SIGNATORY_CAPACITY: 'Directrice de la certification' };

  it('is absent unless configured, and its name and capacity go together', () => {
    expect(configuredSignatory(loadConfig({}))).toBeUndefined();
    expect(configuredSignatory(loadConfig(signatory))).toEqual({ name: 'Marie Dupont', capacity: 'Directrice de la certification' });
    expect(() => loadConfig({ ISSUER_SIGNATORY_NAME: 'Marie Dupont' })).toThrow('ISSUER_SIGNATORY_NAME and ISSUER_SIGNATORY_CAPACITY go together');
    expect(() => loadConfig({ ISSUER_SIGNATURE_IMAGE: '/x.png' })).toThrow('ISSUER_SIGNATURE_IMAGE needs ISSUER_SIGNATORY_NAME');
  });

  it('reads the signature image once, and refuses in one line a file that is missing or not a PNG or a JPEG', () => {
    const png = join(dir, 'signature.png');
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of the image')]);
    writeFileSync(png, bytes);
    expect(configuredSignatory(loadConfig({ ...signatory, ISSUER_SIGNATURE_IMAGE: png }))?.image).toEqual(bytes);

    const text = join(dir, 'signature.txt');
    writeFileSync(text, 'not an image');
    expect(() => configuredSignatory(loadConfig({ ...signatory, ISSUER_SIGNATURE_IMAGE: text }))).toThrow(
      `ISSUER_SIGNATURE_IMAGE ${text} is neither a PNG nor a JPEG image`,
    );
    const missing = join(dir, 'missing.png');
    const refusal = (() => {
      try {
        configuredSignatory(loadConfig({ ...signatory, ISSUER_SIGNATURE_IMAGE: missing }));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toContain(`ISSUER_SIGNATURE_IMAGE ${missing} cannot be read (ENOENT)`);
  });
});
