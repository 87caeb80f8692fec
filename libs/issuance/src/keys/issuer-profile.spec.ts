import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@jalon/config';
import { configuredIssuers, configuredSignatory } from './issuer-profile';

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

describe('the issuers, as configured: the default one and each certifier issuing as itself', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-issuers-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const certifier = (id: string, referentialId: string, extra: Record<string, unknown> = {}) => ({
    id,
    organisationId: 'org-1',
    legalName: `${id} SAS`,
    certifications: [{ referentialId, type: 'RNCP', code: 'RNCP35288' }],
    ...extra,
  });

  it('each référentiel a certifier certifies is issued by it, with its names and signatory; the others by the default issuer', () => {
    const png = join(dir, 'signature.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    const issuers = configuredIssuers(
      loadConfig({
        ISSUER_NAME: 'Jalon',
        CERTIFIERS: JSON.stringify([
          certifier('ecole-data', 'data-ia', {
            tradeName: 'École Data',
            url: 'https://ecole-data.fr',
            signatory: { name: 'Claire Martin', capacity: 'Directrice', signatureImage: png },
          }),
          certifier('cnam', 'data-eng'),
          // Declares its holders only: the default issuer issues its documents.
          {
            id: 'cdc-only',
            organisationId: 'org-2',
            senderClientId: 'ABCD1234',
            certifierClientId: 'EFGH5678',
            contractId: 'C-1',
            certifications: [{ referentialId: 'other', type: 'RS', code: 'RS5432' }],
          },
        ]),
      }),
    );
    expect(issuers.all.map((issuer) => issuer.identity.slug)).toEqual(['jalon', 'ecole-data', 'cnam']);
    expect(issuers.of('data-ia')).toMatchObject({
      identity: { slug: 'ecole-data', name: 'ecole-data SAS', url: 'https://ecole-data.fr' },
      certifier: { legalName: 'ecole-data SAS', tradeName: 'École Data' },
      signatory: { name: 'Claire Martin', capacity: 'Directrice', image: expect.any(Buffer) },
    });
    expect(issuers.of('data-eng')).toEqual({ identity: { slug: 'cnam', name: 'cnam SAS' }, certifier: { legalName: 'cnam SAS' } });
    expect(issuers.of('other')).toBe(issuers.default);
    expect(issuers.default).toEqual({ identity: { slug: 'jalon', name: 'Jalon' } });
  });

  it('names every signature image it cannot use, at once', () => {
    const text = join(dir, 'signature.txt');
    writeFileSync(text, 'not an image');
    const config = loadConfig({
      CERTIFIERS: JSON.stringify([
        certifier('a', 'r1', { signatory: { name: 'A', capacity: 'B', signatureImage: text } }),
        certifier('b', 'r2', { signatory: { name: 'A', capacity: 'B', signatureImage: join(dir, 'missing.png') } }),
      ]),
    });
    const refusal = (() => {
      try {
        configuredIssuers(config);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ConfigError).problems).toEqual([
      `CERTIFIERS ("a").signatory.signatureImage ${text} is neither a PNG nor a JPEG image`,
      `CERTIFIERS ("b").signatory.signatureImage ${join(dir, 'missing.png')} cannot be read (ENOENT)`,
    ]);
  });
});
