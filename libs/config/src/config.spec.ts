import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
};

const ED25519_PEM = generateKeyPairSync('ed25519', {
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const KEYS = `k2:${Buffer.alloc(32, 2).toString('base64')}, k1:${Buffer.alloc(32, 1).toString('base64')}`;

describe('configuration', () => {
  it('defaults to the embedded mode on port 3000 with data in ./data', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      logLevel: 'log',
      eventStore: 'pglite',
      databaseUrl: undefined,
      dataDir: './data',
      eventStoreConnectionString: undefined,
      pollIntervalMs: 100,
      runProjections: true,
      jwtSecret: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'jalon',
      runIssuance: true,
      publicBaseUrl: 'http://localhost:3000',
      issuerSigningKey: undefined,
      issuerSlug: 'jalon',
      issuerName: 'Jalon',
      documentsDir: './data/documents',
      throttlePerMinute: 6000,
      bodyLimitBytes: 2097152,
      masterKeys: undefined,
      streamStateCacheSize: 2000,
      certifiers: [],
      accrochageCertifiers: [],
      devSignIn: true,
      consoleDir: 'dist/web',
      oidc: undefined,
    });
  });

  describe('SMTP_URL and the senders: documents e-mailed to their holders', () => {
    it('off without SMTP_URL; on with it, from MAIL_FROM or else the issuer’s address', () => {
      expect(loadConfig({}).delivery).toBeUndefined();
      expect(loadConfig({ SMTP_URL: 'smtp://user:secret@mail.example.fr:587', MAIL_FROM: 'École Data <certificats@ecole-data.fr>' }).delivery).toEqual({
        smtpUrl: 'smtp://user:secret@mail.example.fr:587',
        from: 'École Data <certificats@ecole-data.fr>',
      });
      expect(loadConfig({ SMTP_URL: 'smtps://mail.example.fr', ISSUER_NAME: 'Cnam', ISSUER_EMAIL: 'certification@cnam.fr' }).delivery).toEqual({
        smtpUrl: 'smtps://mail.example.fr',
        from: 'Cnam <certification@cnam.fr>',
      });
    });

    it('a wrong URL or sender stops start-up, without echoing the URL (it may hold a password)', () => {
      expect(problemsOf({ SMTP_URL: 'http://user:secret@mail.example.fr', MAIL_FROM: 'no-reply@example.fr' })).toEqual([
        'SMTP_URL must start with smtp:// or smtps://',
      ]);
      expect(problemsOf({ SMTP_URL: 'not a url secret' })).toEqual([
        'SMTP_URL is not a URL (expected smtp://user:password@host:587 or smtps://user:password@host:465)',
        'MAIL_FROM is required when SMTP_URL is set (the sender of the documents’ e-mails, e.g. École Data <certificats@ecole-data.fr>), unless ISSUER_EMAIL is',
      ]);
      expect(problemsOf({ SMTP_URL: 'smtp://mail.example.fr', MAIL_FROM: 'Jalon <nobody>' })).toEqual([
        'MAIL_FROM="Jalon <nobody>" must be an e-mail address, or a name and <address> (e.g. École Data <certificats@ecole-data.fr>)',
      ]);
    });

    it('a certifier may send its documents under its own address (mailFrom)', () => {
      const certifier = {
        id: 'ecole-data',
        organisationId: 'org-1',
        senderClientId: 'ABCD1234',
        certifierClientId: 'EFGH5678',
        contractId: 'C-1',
        certifications: [{ referentialId: 'data-ia', type: 'RNCP', code: 'RNCP35288' }],
      };
      expect(
        loadConfig({ ACCROCHAGE_CERTIFIERS: JSON.stringify([{ ...certifier, mailFrom: 'École Data <certificats@ecole-data.fr>' }]) }).accrochageCertifiers,
      ).toEqual([{ ...certifier, mailFrom: 'École Data <certificats@ecole-data.fr>' }]);
      expect(problemsOf({ ACCROCHAGE_CERTIFIERS: JSON.stringify([{ ...certifier, mailFrom: 'certificats' }]) })).toEqual([
        'ACCROCHAGE_CERTIFIERS[0] ("ecole-data").mailFrom must be the sender of its documents\' e-mails: an address, or a name and <address>',
      ]);
    });
  });

  describe('ACCROCHAGE_CERTIFIERS: each certifier’s CDC settings, checked at start-up', () => {
    const certifier = {
      id: 'ecole-data',
      organisationId: 'org-1',
      senderClientId: 'ABCD1234',
      certifierClientId: 'EFGH5678',
      contractId: 'MCFCER000123',
      certifications: [{ referentialId: 'expert-ingenierie-science-donnees', type: 'RNCP', code: 'RNCP35288' }],
    };

    it('reads the list, inline or from a file', () => {
      expect(loadConfig({ ACCROCHAGE_CERTIFIERS: JSON.stringify([certifier]) }).accrochageCertifiers).toEqual([certifier]);
      const file = join(mkdtempSync(join(tmpdir(), 'jalon-config-')), 'certifiers.json');
      writeFileSync(file, JSON.stringify([certifier]));
      expect(loadConfig({ ACCROCHAGE_CERTIFIERS: file }).accrochageCertifiers).toEqual([certifier]);
    });

    it('names every wrong setting with what it must be', () => {
      const wrong = [{ ...certifier, senderClientId: 'ABC', contractId: '', certifications: [{ referentialId: 'x', type: 'RNCP', code: 'RS12' }] }];
      expect(() => loadConfig({ ACCROCHAGE_CERTIFIERS: JSON.stringify(wrong) })).toThrow(
        /ACCROCHAGE_CERTIFIERS\[0\] \("ecole-data"\)\.senderClientId must be the sender's CDC client id: 8 letters or digits.*contractId must be the CDC contract id.*certifications\[0\]\.code must be the RNCP code/,
      );
      expect(() => loadConfig({ ACCROCHAGE_CERTIFIERS: '/no/such/file.json' })).toThrow(
        /ACCROCHAGE_CERTIFIERS must be a JSON list of certifiers or the path of a file/,
      );
    });
  });

  describe('CERTIFIERS: one list of certifiers, each issuing its documents as itself and/or declaring its holders', () => {
    const issuing = {
      id: 'ecole-data',
      organisationId: 'org-1',
      legalName: 'École Data SAS',
      tradeName: 'École Data',
      url: 'https://www.ecole-data.fr',
      email: 'certification@ecole-data.fr',
      image: 'https://www.ecole-data.fr/logo.png',
      signatory: { name: 'Claire Martin', capacity: 'Directrice de la certification', signatureImage: '/run/secrets/signature.png' },
      certifications: [{ referentialId: 'data-ia-quatre-blocs', type: 'RNCP', code: 'RNCP35288' }],
    };
    const cdc = { senderClientId: 'ABCD1234', certifierClientId: 'EFGH5678', contractId: 'MCFCER000123' };

    it('a certifier giving its legal name issues as itself; with its CDC ids too, it declares its holders', () => {
      const config = loadConfig({
        CERTIFIERS: JSON.stringify([
          issuing,
          { ...issuing, id: 'cnam', legalName: 'Cnam', certifications: [{ referentialId: 'x', type: 'RS', code: 'RS5432' }], ...cdc },
        ]),
      });
      expect(config.certifiers).toEqual([
        {
          id: 'ecole-data',
          organisationId: 'org-1',
          certifications: issuing.certifications,
          issuer: {
            legalName: 'École Data SAS',
            tradeName: 'École Data',
            url: 'https://www.ecole-data.fr',
            email: 'certification@ecole-data.fr',
            image: 'https://www.ecole-data.fr/logo.png',
            signatory: { name: 'Claire Martin', capacity: 'Directrice de la certification', imageFile: '/run/secrets/signature.png' },
          },
        },
        expect.objectContaining({ id: 'cnam', issuer: expect.objectContaining({ legalName: 'Cnam' }), accrochage: cdc }),
      ]);
      // Only the one with its CDC ids declares.
      expect(config.accrochageCertifiers.map((c) => c.id)).toEqual(['cnam']);
    });

    it('ACCROCHAGE_CERTIFIERS is the same list under its first name: its entries declare and issue nothing (the default issuer does)', () => {
      const declaring = { id: 'ecole-data', organisationId: 'org-1', ...cdc, certifications: issuing.certifications };
      const config = loadConfig({ ACCROCHAGE_CERTIFIERS: JSON.stringify([declaring]) });
      expect(config.accrochageCertifiers).toEqual([declaring]);
      expect(config.certifiers).toEqual([{ id: 'ecole-data', organisationId: 'org-1', certifications: issuing.certifications, accrochage: cdc }]);
      expect(problemsOf({ ACCROCHAGE_CERTIFIERS: JSON.stringify([declaring]), CERTIFIERS: JSON.stringify([issuing]) })).toEqual([
        'CERTIFIERS and ACCROCHAGE_CERTIFIERS are one list under two names: give CERTIFIERS only',
      ]);
    });

    it('names every wrong field, one line each', () => {
      const wrong = {
        ...issuing,
        legalName: ' ',
        url: 'www.ecole-data.fr',
        email: 'certification',
        image: 'ftp://x/logo.png',
        signatory: { name: 'Claire Martin' },
        senderClientId: 'ABCD1234',
      };
      expect(problemsOf({ CERTIFIERS: JSON.stringify([wrong]) })).toEqual([
        'CERTIFIERS[0] ("ecole-data").certifierClientId must be the certifier\'s CDC client id: 8 letters or digits',
        'CERTIFIERS[0] ("ecole-data").contractId must be the CDC contract id: 1 to 20 characters',
        'CERTIFIERS[0] ("ecole-data").legalName must be the certifier’s legal name (raison sociale), printed on its documents',
        'CERTIFIERS[0] ("ecole-data").url must be its web site, an http(s):// URL',
        'CERTIFIERS[0] ("ecole-data").email must be its e-mail address',
        'CERTIFIERS[0] ("ecole-data").image must be the http(s):// URL of its image (a logo)',
        'CERTIFIERS[0] ("ecole-data").signatory.capacity must be the signatory’s capacity, as printed (e.g. Directrice de la certification)',
      ]);
      expect(problemsOf({ CERTIFIERS: JSON.stringify([{ id: 'x', organisationId: 'org-1', certifications: issuing.certifications }]) })).toEqual([
        'CERTIFIERS[0] ("x") must give its legalName (to issue its documents as itself) or its CDC ids senderClientId, certifierClientId and contractId (to declare its holders), or both',
      ]);
    });

    it('a référentiel has one issuer, and a certifier does not take the default issuer’s slug', () => {
      expect(problemsOf({ CERTIFIERS: JSON.stringify([issuing, { ...issuing, id: 'autre' }]) })).toEqual([
        'CERTIFIERS[1] ("autre").certifications: data-ia-quatre-blocs is already issued by "ecole-data": a référentiel’s documents have one issuer',
      ]);
      expect(problemsOf({ CERTIFIERS: JSON.stringify([{ ...issuing, id: 'jalon' }]) })).toEqual([
        'certifier "jalon" issues as itself under the slug of the default issuer (ISSUER_SLUG): give the certifier another id, or ISSUER_SLUG another slug',
      ]);
    });
  });

  it('reads the variables it knows', () => {
    expect(
      loadConfig({
        PORT: '8080',
        LOG_LEVEL: 'debug',
        EVENT_STORE: 'postgres',
        DATABASE_URL: 'postgres://u@h:5432/d',
        DATA_DIR: '/var/jalon',
        POLL_INTERVAL_MS: '25',
        JWT_SECRET: 's'.repeat(32),
        ISSUER_SIGNING_KEY: ED25519_PEM,
        MASTER_KEYS: KEYS,
        PUBLIC_BASE_URL: 'https://certificats.example.fr',
      }),
    ).toMatchObject({
      port: 8080,
      logLevel: 'debug',
      eventStore: 'postgres',
      databaseUrl: 'postgres://u@h:5432/d',
      dataDir: '/var/jalon',
      pollIntervalMs: 25,
      masterKeys: [
        { id: 'k2', key: Buffer.alloc(32, 2) },
        { id: 'k1', key: Buffer.alloc(32, 1) },
      ],
    });
  });

  it('believes the proxies TRUST_PROXY names about the caller’s address, never every hop', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, loopback,fd00::/8 ' }).trustProxy).toBe('10.0.0.0/8,loopback,fd00::/8');
    const expected = (value: string) =>
      `TRUST_PROXY="${value}" must be the number of proxies in front of the api (0 to 10; 1 behind one load balancer), or their addresses and subnets, comma-separated (e.g. 10.0.0.0/8, loopback)`;
    // Every hop believed, a caller would name any address and escape its rate limit.
    expect(problemsOf({ TRUST_PROXY: 'true' })).toEqual([expected('true')]);
    expect(problemsOf({ TRUST_PROXY: '10.0.0.0/33' })).toEqual([expected('10.0.0.0/33')]);
    expect(problemsOf({ TRUST_PROXY: '11' })).toEqual([expected('11')]);
  });

  it('reports every bad value at once, each with its name and what it accepts', () => {
    expect(problemsOf({ PORT: '70000', LOG_LEVEL: 'loud', EVENT_STORE: 'mongodb' })).toEqual([
      'PORT="70000" must be an integer from 0 to 65535',
      'LOG_LEVEL="loud" must be one of error, warn, log, debug',
      'EVENT_STORE="mongodb" must be one of pglite, postgres, eventstoredb',
    ]);
  });

  it('keeps this machine out of the addresses printed on documents', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://certificats.example.fr/' }).publicBaseUrl).toBe('https://certificats.example.fr');
    expect(problemsOf({ PUBLIC_BASE_URL: 'https://certificats.example.fr/?a=1' })).toEqual([
      'PUBLIC_BASE_URL must be a base address, without ?query or #fragment',
    ]);
    for (const local of ['https://localhost:3000', 'https://127.0.0.1', 'https://[::1]:8443', 'https://jalon.localhost'])
      expect(problemsOf({ NODE_ENV: 'production', PUBLIC_BASE_URL: local })).toEqual([
        expect.stringMatching(/^PUBLIC_BASE_URL must be a public address when NODE_ENV=production/),
      ]);
    expect(problemsOf({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'http://certificats.example.fr' })).toEqual([
      'PUBLIC_BASE_URL must be https:// when NODE_ENV=production (anyone verifies documents there)',
    ]);
    // Embedded mode is one person's machine: its default stays usable there.
    expect(loadConfig({}).publicBaseUrl).toBe('http://localhost:3000');
  });

  it('asks for what each store needs', () => {
    expect(problemsOf({ EVENT_STORE: 'postgres' })).toEqual([
      'DATABASE_URL is required when EVENT_STORE=postgres (read models live in PostgreSQL)',
      'JWT_SECRET is required when EVENT_STORE=postgres',
      "PUBLIC_BASE_URL is required when EVENT_STORE=postgres (the public address printed in documents' QR codes, e.g. https://certificats.example.fr)",
      'MASTER_KEYS is required when EVENT_STORE=postgres',
    ]);
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual(['JWT_SECRET must be at least 32 characters']);
    expect(problemsOf({ ISSUER_SIGNING_KEY: 'abc', REDIS_URL: 'http://x', PUBLIC_BASE_URL: 'ftp://x' })).toEqual([
      'REDIS_URL must start with redis:// or rediss://',
      'PUBLIC_BASE_URL must start with http:// or https://',
      'ISSUER_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----; openssl genpkey -algorithm ed25519)',
    ]);
    // A PEM header with garbage, or a key of another algorithm, is refused here, in one line, not by a stack trace later.
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    for (const key of ['-----BEGIN PRIVATE KEY-----garbage', rsa])
      expect(problemsOf({ ISSUER_SIGNING_KEY: key })).toEqual([expect.stringMatching(/^ISSUER_SIGNING_KEY must be an Ed25519 private key/)]);
    expect(problemsOf({ EVENT_STORE: 'eventstoredb', DATABASE_URL: 'mysql://x' })).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql://',
      'EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb',
      'JWT_SECRET is required when EVENT_STORE=eventstoredb',
      "PUBLIC_BASE_URL is required when EVENT_STORE=eventstoredb (the public address printed in documents' QR codes, e.g. https://certificats.example.fr)",
      'MASTER_KEYS is required when EVENT_STORE=eventstoredb',
    ]);
    expect(
      problemsOf({
        EVENT_STORE: 'eventstoredb',
        DATABASE_URL: 'postgres://h/d',
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
        JWT_SECRET: 'x'.repeat(32),
        ISSUER_SIGNING_KEY: ED25519_PEM,
        MASTER_KEYS: KEYS,
        PUBLIC_BASE_URL: 'https://certificats.example.fr',
      }),
    ).toEqual([]);
  });

  it('hands out development sign-ins only where asked or embedded, never in production', () => {
    const server = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: 'postgres://localhost/j',
      JWT_SECRET: 'x'.repeat(32),
      MASTER_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
      PUBLIC_BASE_URL: 'https://certificats.example.fr',
    };
    expect(loadConfig({}).devSignIn).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).devSignIn).toBe(false);
    expect(loadConfig(server).devSignIn).toBe(false);
    expect(loadConfig({ ...server, DEV_SIGN_IN: 'true' }).devSignIn).toBe(true);
    expect(() => loadConfig({ ...server, NODE_ENV: 'production', DEV_SIGN_IN: 'true' })).toThrow('DEV_SIGN_IN cannot be true when NODE_ENV=production');
    const provider = { OIDC_ISSUER: 'https://id.ecole.example/realms/jalon', OIDC_CLIENT_ID: 'jalon-console' };
    expect(loadConfig(provider).devSignIn).toBe(false);
    expect(problemsOf({ ...provider, DEV_SIGN_IN: 'true' })).toEqual([
      'DEV_SIGN_IN cannot be true when OIDC_ISSUER is set: people sign in through the identity provider',
    ]);
  });

  it('reads the identity provider with defaults for its audience, scopes and claims, and says what is missing', () => {
    expect(loadConfig({ OIDC_ISSUER: 'https://id.ecole.example/realms/jalon', OIDC_CLIENT_ID: 'jalon-console' }).oidc).toEqual({
      issuer: 'https://id.ecole.example/realms/jalon',
      clientId: 'jalon-console',
      audience: 'jalon-console',
      scopes: 'openid',
      roleClaim: 'jalon_role',
      organisationClaim: 'jalon_org',
    });
    expect(
      loadConfig({
        OIDC_ISSUER: 'https://id.example',
        OIDC_CLIENT_ID: 'c',
        OIDC_AUDIENCE: 'jalon-api',
        OIDC_SCOPES: ' openid  profile ',
        OIDC_ROLE_CLAIM: 'realm_access.roles',
        OIDC_ORGANISATION_CLAIM: 'https://jalon.example/org',
      }).oidc,
    ).toMatchObject({
      audience: 'jalon-api',
      scopes: 'openid profile',
      roleClaim: 'realm_access.roles',
      organisationClaim: 'https://jalon.example/org',
    });
    expect(problemsOf({ OIDC_CLIENT_ID: 'c' })).toEqual(['OIDC_ISSUER is required when OIDC_CLIENT_ID is set']);
    expect(problemsOf({ OIDC_ISSUER: 'ftp://id.example' })).toEqual(['OIDC_ISSUER must start with https:// or http://']);
    expect(problemsOf({ OIDC_ISSUER: 'https://id.example', OIDC_SCOPES: 'profile', OIDC_ROLE_CLAIM: 'role claim' })).toEqual([
      "OIDC_CLIENT_ID is required when OIDC_ISSUER is set (the console's client id at the provider)",
      'OIDC_SCOPES must include openid',
      'OIDC_ROLE_CLAIM must name a claim, or a dotted path to one (letters, digits, _ : / - .)',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', OIDC_ISSUER: 'http://id.example', OIDC_CLIENT_ID: 'c' })).toContain(
      'OIDC_ISSUER must be https:// when NODE_ENV=production (tokens and keys come from it)',
    );
  });

  it('reads the issuer: its slug (part of its URLs, and the key of its signing keys), name, site, e-mail and image', () => {
    expect(
      loadConfig({
        ISSUER_SLUG: 'cnam-idf',
        ISSUER_NAME: 'Cnam Île-de-France',
        ISSUER_URL: 'https://www.cnam-idf.fr',
        ISSUER_EMAIL: 'certification@cnam-idf.fr',
        ISSUER_IMAGE: 'https://www.cnam-idf.fr/logo.png',
      }),
    ).toMatchObject({
      issuerSlug: 'cnam-idf',
      issuerName: 'Cnam Île-de-France',
      issuerUrl: 'https://www.cnam-idf.fr',
      issuerEmail: 'certification@cnam-idf.fr',
      issuerImage: 'https://www.cnam-idf.fr/logo.png',
    });
    for (const slug of ['a', 'jalon2', 'x-1-y', 'a'.repeat(63)]) expect(loadConfig({ ISSUER_SLUG: slug }).issuerSlug).toBe(slug);
    for (const slug of ['Jalon', 'jalon_1', '-jalon', 'jalon-', 'ja--lon', 'ja lon', 'jalön', 'a'.repeat(64)])
      expect(problemsOf({ ISSUER_SLUG: slug })).toEqual([
        `ISSUER_SLUG="${slug}" must be lower-case letters and digits, with single hyphens between them, at most 63 characters (e.g. jalon, cnam-idf): it is part of the issuer's URLs`,
      ]);
    expect(problemsOf({ ISSUER_URL: 'www.cnam.fr', ISSUER_EMAIL: 'certification', ISSUER_IMAGE: 'ftp://x/logo.png' })).toEqual([
      'ISSUER_URL is not a URL (expected http://… or https://…)',
      'ISSUER_IMAGE must start with https:// or http://',
      'ISSUER_EMAIL="certification" must be an e-mail address',
    ]);
  });

  it('checks master keys without ever echoing one', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(problemsOf({ MASTER_KEYS: `a:${short},bad entry,k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32).toString('base64')}` })).toEqual([
      'MASTER_KEYS key "a" must be 32 bytes in base64 (it is 16)',
      'MASTER_KEYS entry 2 must be id:base64 (id of letters, digits, - or _)',
      'MASTER_KEYS id "k1" appears twice',
    ]);
  });
});
