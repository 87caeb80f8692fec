import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { AccrochageCertifier, accrochageCertifiersOf, Certifier, certifiersOf } from './certifiers';
import { EMAIL_ADDRESS, isMailbox } from './mailbox';
/**
 * Configuration from environment variables, with defaults that run the embedded mode. Every bad
 * value is reported at once, each with the variable's name and what it accepts, so start-up fails
 * with a message an operator can act on.
 */
export type EventStoreKind = 'pglite' | 'postgres' | 'eventstoredb';

export interface AppConfig {
  readonly port: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** Where events live; read models live in PostgreSQL (DATABASE_URL) or, embedded, in PGlite. */
  readonly eventStore: EventStoreKind;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly eventStoreConnectionString?: string;
  /** How often subscriptions look for events appended by other processes. */
  readonly pollIntervalMs: number;
  /** Whether this process runs the projections (the api does in embedded mode; in production the worker does). */
  readonly runProjections: boolean;
  /** HS256 secret for bearer tokens; embedded mode keeps a generated one in DATA_DIR when unset. */
  readonly jwtSecret?: string;
  /** BullMQ's Redis (issuance jobs). */
  readonly redisUrl: string;
  /** Prefix of every Redis key, so deployments (or test runs) can share a Redis. */
  readonly redisPrefix: string;
  /** Whether this process runs the issuance jobs (the api does in embedded mode; the worker always does). */
  readonly runIssuance: boolean;
  /** Base of the public verification URLs printed on documents. */
  readonly publicBaseUrl: string;
  /**
   * The Ed25519 private key (PKCS#8 PEM) the first documents were signed with, before signing keys
   * lived in the database (`issuer_keys`, RS256): only its public key is kept published, so those
   * documents stay verifiable; it never signs again.
   */
  readonly issuerSigningKey?: string;
  /** The issuer this instance issues as: its profile is `<PUBLIC_BASE_URL>/issuers/<slug>`, its keys are stored under the slug. */
  readonly issuerSlug: string;
  readonly issuerName: string;
  /** The issuer's web site, e-mail address and image (logo) in its Open Badges profile, where given. */
  readonly issuerUrl?: string;
  readonly issuerEmail?: string;
  readonly issuerImage?: string;
  /**
   * Who signs the documents for the certifier (R15): name and capacity as printed, and the file of
   * their signature image (PNG or JPEG) where given.
   */
  readonly issuerSignatory?: { readonly name: string; readonly capacity: string; readonly imageFile?: string };
  readonly documentsDir: string;
  /** Requests one client may make per minute before 429. */
  readonly throttlePerMinute: number;
  /**
   * The proxies in front of the api whose X-Forwarded-For is believed about the caller's address
   * (Fastify's `trustProxy`): a number of hops, or their addresses and subnets. Unset, none is: the
   * address is the connection's, which behind a load balancer is the balancer's for every caller.
   */
  readonly trustProxy?: number | string;
  /** Largest request body accepted, in bytes (413 beyond). */
  readonly bodyLimitBytes: number;
  /**
   * Master keys wrapping each candidate's data key and sealing the issuers' signing keys, newest first
   * (`id:base64,id:base64`): the first wraps new keys and `keys rotate` rewraps the others; embedded
   * mode keeps a generated one in DATA_DIR.
   */
  readonly masterKeys?: readonly MasterKey[];
  /** Whether POST /auth/dev-sign-in hands out tokens (development only: a person picks a role, an organisation and an id). */
  readonly devSignIn: boolean;
  /** The built web console the api serves at `/` (npm start builds it there). */
  readonly consoleDir: string;
  /** The school's OpenID Connect provider people sign in through (none: the development sign-in, embedded mode only). */
  readonly oidc?: OidcConfig;
  /** Enrollment states the api keeps folded in memory, so a command on a recent stream reads nothing first (0: none). */
  readonly streamStateCacheSize: number;
  /**
   * The certifiers of this instance (CERTIFIERS, or ACCROCHAGE_CERTIFIERS as before): each issues the
   * documents of its certifications as itself where it gives its legal name (`issuer`); the
   * référentiels no certifier issues are issued by the default issuer (ISSUER_*).
   */
  readonly certifiers: readonly Certifier[];
  /** Those of `certifiers` that declare their holders to the Caisse des Dépôts (their CDC ids given); none: the accrochage is off. */
  readonly accrochageCertifiers: readonly AccrochageCertifier[];
  /** Documents delivered to their holders by e-mail (SMTP_URL); absent: delivery is off. */
  readonly delivery?: DeliveryConfig;
}

export interface DeliveryConfig {
  /** smtp://user:password@host:587 or smtps://…:465 (nodemailer's URL form); never logged with its credentials. */
  readonly smtpUrl: string;
  /** The default sender (MAIL_FROM, else ISSUER_NAME <ISSUER_EMAIL>); a certifier's `mailFrom` replaces it for its documents. */
  readonly from: string;
}

export interface OidcConfig {
  /** The provider's issuer URL exactly as its tokens name it (`iss`); its discovery document is under it. */
  readonly issuer: string;
  /** The console's client id at the provider (a public client: authorization code with PKCE). */
  readonly clientId: string;
  /** What the provider's access tokens must name in `aud` for the api to accept them (default: the client id). */
  readonly audience: string;
  /** What the console asks for when it sends a person to the provider. */
  readonly scopes: string;
  /** The claim (a dotted path into the token, e.g. `realm_access.roles`) naming the person's Jalon role; a string or a list holding one role. */
  readonly roleClaim: string;
  /** The claim naming the person's organisation. */
  readonly organisationClaim: string;
}

export interface MasterKey {
  readonly id: string;
  /** 32 bytes: AES-256-GCM. */
  readonly key: Buffer;
}

/** An issuer's slug, as it appears in its URLs: lower-case letters and digits, single hyphens between them, at most 63 characters. */
export const ISSUER_SLUG_PATTERN = /^(?=.{1,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const isIssuerSlug = (value: string): boolean => ISSUER_SLUG_PATTERN.test(value);

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const logLevel = oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug'] as const, 'log', problems);
  const eventStore = oneOf(env, 'EVENT_STORE', ['pglite', 'postgres', 'eventstoredb'] as const, 'pglite', problems);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems);
  const eventStoreConnectionString = url(env, 'EVENTSTORE_CONNECTION_STRING', ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:'], problems);
  if (eventStore !== 'pglite' && !databaseUrl && !problems.some((p) => p.startsWith('DATABASE_URL'))) {
    problems.push(`DATABASE_URL is required when EVENT_STORE=${eventStore} (read models live in PostgreSQL)`);
  }
  if (eventStore === 'eventstoredb' && !eventStoreConnectionString && !problems.some((p) => p.startsWith('EVENTSTORE_CONNECTION_STRING'))) {
    problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb');
  }
  const pollIntervalMs = integer(env, 'POLL_INTERVAL_MS', 100, 1, 60_000, problems);
  const runProjections = oneOf(env, 'RUN_PROJECTIONS', ['true', 'false'] as const, 'true', problems) === 'true';
  const jwtSecret = env.JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (jwtSecret === undefined && eventStore !== 'pglite') problems.push(`JWT_SECRET is required when EVENT_STORE=${eventStore}`);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:'], problems) ?? 'redis://127.0.0.1:6379';
  const runIssuance = oneOf(env, 'RUN_ISSUANCE', ['true', 'false'] as const, 'true', problems) === 'true';
  const publicBaseUrl = publicBaseUrlOf(env, eventStore, port, problems);
  const throttlePerMinute = integer(env, 'THROTTLE_PER_MINUTE', 6000, 1, 1_000_000, problems);
  const trustProxy = trustProxyOf(env, problems);
  const streamStateCacheSize = integer(env, 'STREAM_STATE_CACHE_SIZE', 2000, 0, 1_000_000, problems);
  const bodyLimitBytes = integer(env, 'BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024, 100 * 1024 * 1024, problems);
  const issuerSigningKey = env.ISSUER_SIGNING_KEY || undefined;
  if (issuerSigningKey !== undefined && !isEd25519PrivateKey(issuerSigningKey))
    problems.push('ISSUER_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----; openssl genpkey -algorithm ed25519)');
  const issuerSlug = env.ISSUER_SLUG || 'jalon';
  if (!isIssuerSlug(issuerSlug))
    problems.push(
      `ISSUER_SLUG="${issuerSlug}" must be lower-case letters and digits, with single hyphens between them, at most 63 characters (e.g. jalon, cnam-idf): it is part of the issuer's URLs`,
    );
  const issuerUrl = url(env, 'ISSUER_URL', ['http:', 'https:'], problems);
  const issuerImage = url(env, 'ISSUER_IMAGE', ['https:', 'http:'], problems);
  const issuerEmail = env.ISSUER_EMAIL || undefined;
  if (issuerEmail !== undefined && !EMAIL_ADDRESS.test(issuerEmail)) problems.push(`ISSUER_EMAIL="${issuerEmail}" must be an e-mail address`);
  const issuerSignatory = signatoryOf(env, problems);
  const masterKeys = env.MASTER_KEYS ? parseMasterKeys(env.MASTER_KEYS, problems) : undefined;
  if (!env.MASTER_KEYS && eventStore !== 'pglite') problems.push(`MASTER_KEYS is required when EVENT_STORE=${eventStore}`);
  const production = env.NODE_ENV === 'production';
  const oidc = oidcConfig(env, problems);
  // The development sign-in mints any role's token for whoever asks: on by default only where the
  // service is one person's (embedded mode with no identity provider), never in production.
  const devSignIn =
    oneOf(env, 'DEV_SIGN_IN', ['true', 'false'] as const, eventStore === 'pglite' && !production && !oidc ? 'true' : 'false', problems) === 'true';
  if (devSignIn && production) problems.push('DEV_SIGN_IN cannot be true when NODE_ENV=production: people sign in through the identity provider');
  if (devSignIn && oidc) problems.push('DEV_SIGN_IN cannot be true when OIDC_ISSUER is set: people sign in through the identity provider');
  const certifiers = certifiersOf(env, problems);
  for (const certifier of certifiers)
    if (certifier.issuer && certifier.id === issuerSlug)
      problems.push(
        `certifier "${certifier.id}" issues as itself under the slug of the default issuer (ISSUER_SLUG): give the certifier another id, or ISSUER_SLUG another slug`,
      );
  const delivery = deliveryOf(env, issuerEmail, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = env.DATA_DIR || './data';
  return {
    port,
    logLevel,
    eventStore,
    databaseUrl,
    dataDir,
    eventStoreConnectionString,
    pollIntervalMs,
    runProjections,
    jwtSecret,
    redisUrl,
    redisPrefix: env.REDIS_PREFIX || 'jalon',
    runIssuance,
    publicBaseUrl,
    issuerSigningKey,
    issuerSlug,
    issuerName: env.ISSUER_NAME || 'Jalon',
    ...(issuerUrl ? { issuerUrl } : {}),
    ...(issuerEmail ? { issuerEmail } : {}),
    ...(issuerImage ? { issuerImage } : {}),
    ...(issuerSignatory ? { issuerSignatory } : {}),
    documentsDir: env.DOCUMENTS_DIR || `${dataDir}/documents`,
    throttlePerMinute,
    ...(trustProxy !== undefined ? { trustProxy } : {}),
    bodyLimitBytes,
    masterKeys,
    streamStateCacheSize,
    certifiers,
    accrochageCertifiers: accrochageCertifiersOf(certifiers),
    ...(delivery ? { delivery } : {}),
    devSignIn,
    consoleDir: env.CONSOLE_DIR || 'dist/web',
    oidc,
  };
}

/** Express's names for the private ranges a proxy may sit in. */
const TRUSTED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: how many proxies stand in front of the api (1 behind one load balancer), or which
 * (addresses, subnets, loopback, linklocal, uniquelocal; comma-separated). "true" (every hop) is
 * refused: a caller could then name any address in X-Forwarded-For and escape its rate limit.
 */
function trustProxyOf(env: Env, problems: string[]): number | string | undefined {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw) && Number(raw) <= 10) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  const known = (entry: string) => {
    const [address, bits, ...rest] = entry.split('/');
    if (rest.length > 0) return false;
    if (TRUSTED_RANGES.includes(entry)) return true;
    const family = isIP(address);
    return family !== 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
  };
  if (entries.every(known)) return entries.join(',');
  problems.push(
    `TRUST_PROXY="${raw}" must be the number of proxies in front of the api (0 to 10; 1 behind one load balancer), or their addresses and subnets, comma-separated (e.g. 10.0.0.0/8, loopback)`,
  );
  return undefined;
}

/** The signatory of the documents: ISSUER_SIGNATORY_NAME and ISSUER_SIGNATORY_CAPACITY together, ISSUER_SIGNATURE_IMAGE with them. */
function signatoryOf(env: Env, problems: string[]): AppConfig['issuerSignatory'] {
  const name = env.ISSUER_SIGNATORY_NAME?.trim();
  const capacity = env.ISSUER_SIGNATORY_CAPACITY?.trim();
  const imageFile = env.ISSUER_SIGNATURE_IMAGE?.trim();
  if (!name && !capacity) {
    if (imageFile) problems.push('ISSUER_SIGNATURE_IMAGE needs ISSUER_SIGNATORY_NAME and ISSUER_SIGNATORY_CAPACITY (whose signature it is)');
    return undefined;
  }
  if (!name || !capacity) {
    problems.push('ISSUER_SIGNATORY_NAME and ISSUER_SIGNATORY_CAPACITY go together: the documents print the signatory’s name and capacity');
    return undefined;
  }
  return { name, capacity, ...(imageFile ? { imageFile } : {}) };
}

/**
 * E-mail delivery of the documents: SMTP_URL (smtp:// or smtps://) and a sender, MAIL_FROM or the
 * issuer's ISSUER_EMAIL under its ISSUER_NAME. Errors never echo the URL: it may hold a password.
 */
function deliveryOf(env: Env, issuerEmail: string | undefined, problems: string[]): DeliveryConfig | undefined {
  const raw = env.SMTP_URL?.trim();
  const mailFrom = env.MAIL_FROM?.trim();
  if (mailFrom && !isMailbox(mailFrom))
    problems.push(`MAIL_FROM="${mailFrom}" must be an e-mail address, or a name and <address> (e.g. École Data <certificats@ecole-data.fr>)`);
  if (!raw) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    problems.push('SMTP_URL is not a URL (expected smtp://user:password@host:587 or smtps://user:password@host:465)');
  }
  if (parsed && !['smtp:', 'smtps:'].includes(parsed.protocol)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  else if (parsed && !parsed.hostname) problems.push('SMTP_URL must name the mail server (smtp://host:port)');
  const from = mailFrom || (issuerEmail ? `${(env.ISSUER_NAME || 'Jalon').replace(/[<>"\r\n]/g, '')} <${issuerEmail}>` : undefined);
  if (!from && !mailFrom)
    problems.push(
      'MAIL_FROM is required when SMTP_URL is set (the sender of the documents’ e-mails, e.g. École Data <certificats@ecole-data.fr>), unless ISSUER_EMAIL is',
    );
  return from ? { smtpUrl: raw, from } : undefined;
}

/** The identity provider, when OIDC_ISSUER is set: its client id is then required too. */
function oidcConfig(env: Env, problems: string[]): OidcConfig | undefined {
  const issuer = url(env, 'OIDC_ISSUER', ['https:', 'http:'], problems);
  const named = ['OIDC_CLIENT_ID', 'OIDC_AUDIENCE', 'OIDC_SCOPES', 'OIDC_ROLE_CLAIM', 'OIDC_ORGANISATION_CLAIM'].filter((name) => env[name]);
  if (!issuer) {
    if (named.length > 0 && !problems.some((p) => p.startsWith('OIDC_ISSUER')))
      problems.push(`OIDC_ISSUER is required when ${named.join(', ')} ${named.length > 1 ? 'are' : 'is'} set`);
    return undefined;
  }
  if (env.NODE_ENV === 'production' && !issuer.startsWith('https:'))
    problems.push('OIDC_ISSUER must be https:// when NODE_ENV=production (tokens and keys come from it)');
  const clientId = env.OIDC_CLIENT_ID;
  if (!clientId) problems.push("OIDC_CLIENT_ID is required when OIDC_ISSUER is set (the console's client id at the provider)");
  const claim = (name: string, fallback: string) => {
    const value = env[name] || fallback;
    if (!/^[A-Za-z0-9_:/.-]+$/.test(value) || value.startsWith('.') || value.endsWith('.'))
      problems.push(`${name} must name a claim, or a dotted path to one (letters, digits, _ : / - .)`);
    return value;
  };
  const scopes = (env.OIDC_SCOPES || 'openid').trim().split(/\s+/);
  if (!scopes.includes('openid')) problems.push('OIDC_SCOPES must include openid');
  return {
    issuer,
    clientId: clientId ?? '',
    audience: env.OIDC_AUDIENCE || (clientId ?? ''),
    scopes: scopes.join(' '),
    roleClaim: claim('OIDC_ROLE_CLAIM', 'jalon_role'),
    organisationClaim: claim('OIDC_ORGANISATION_CLAIM', 'jalon_org'),
  };
}

/** `id:base64` pairs, comma-separated, newest first; each key is 32 random bytes. Never echoes a key. */
export function parseMasterKeys(raw: string, problems: string[] = []): MasterKey[] {
  const keys: MasterKey[] = [];
  raw
    .split(',')
    .map((entry) => entry.trim())
    .forEach((entry, i) => {
      const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/_=-]+)$/.exec(entry);
      if (!match) return void problems.push(`MASTER_KEYS entry ${i + 1} must be id:base64 (id of letters, digits, - or _)`);
      const key = Buffer.from(match[2], 'base64');
      if (key.length !== 32) return void problems.push(`MASTER_KEYS key "${match[1]}" must be 32 bytes in base64 (it is ${key.length})`);
      if (keys.some((k) => k.id === match[1])) return void problems.push(`MASTER_KEYS id "${match[1]}" appears twice`);
      keys.push({ id: match[1], key });
    });
  return keys;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name}="${raw}" must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    problems.push(`${name}="${raw}" must be one of ${allowed.join(', ')}`);
    return fallback;
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[], problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    problems.push(`${name} is not a URL (expected ${protocols.map((p) => `${p}//…`).join(' or ')})`);
    return undefined;
  }
  if (!protocols.includes(protocol)) {
    problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    return undefined;
  }
  return raw;
}

/**
 * The base of every URL a document carries (QR code, credential ids, issuer, status list): printed
 * on paper that lives for decades, so outside embedded mode it must be given, and in production it
 * must be a public https address, never this machine's.
 */
function publicBaseUrlOf(env: Env, eventStore: EventStoreKind, port: number, problems: string[]): string {
  const given = url(env, 'PUBLIC_BASE_URL', ['http:', 'https:'], problems);
  const fallback = `http://localhost:${port}`;
  if (given === undefined) {
    if (eventStore !== 'pglite' && !problems.some((p) => p.startsWith('PUBLIC_BASE_URL')))
      problems.push(
        `PUBLIC_BASE_URL is required when EVENT_STORE=${eventStore} (the public address printed in documents' QR codes, e.g. https://certificats.example.fr)`,
      );
    return fallback;
  }
  const { protocol, hostname, search, hash } = new URL(given);
  if (search || hash) problems.push('PUBLIC_BASE_URL must be a base address, without ?query or #fragment');
  if (env.NODE_ENV === 'production') {
    if (protocol !== 'https:') problems.push('PUBLIC_BASE_URL must be https:// when NODE_ENV=production (anyone verifies documents there)');
    if (isLoopback(hostname)) problems.push(`PUBLIC_BASE_URL must be a public address when NODE_ENV=production, not ${hostname} (it is printed in QR codes)`);
  }
  return given.replace(/\/+$/, '');
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || /^127\./.test(host);
}

/** Whether the text is a PEM private key that really is Ed25519: a header alone, or an RSA key, fails at start-up here rather than with a stack trace later. */
function isEd25519PrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}
