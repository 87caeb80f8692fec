import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig, MasterKey, parseMasterKeys } from './config';

/**
 * The configured JWT_SECRET, or in embedded mode a random one generated once and kept in
 * DATA_DIR (mode 600), so `npm run cli -- token` signs tokens the local service accepts.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.jwtSecret) return config.jwtSecret;
  const dir = resolve(config.dataDir);
  const file = join(dir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

/**
 * The Ed25519 key the first documents were signed with, where there is one: ISSUER_SIGNING_KEY, or
 * the key an earlier version generated in DATA_DIR (issuer-ed25519.pem). Nothing is generated any
 * more: documents are signed with the issuer's keys kept in the database, and this key's public
 * half is only kept published so that the documents it signed stay verifiable.
 */
export function legacyIssuerSigningKey(config: AppConfig): string | undefined {
  if (config.issuerSigningKey) return config.issuerSigningKey;
  const file = join(resolve(config.dataDir), LEGACY_ISSUER_KEY_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Where versions before the key ring generated the Ed25519 signing key, in DATA_DIR. */
export const LEGACY_ISSUER_KEY_FILE = 'issuer-ed25519.pem';

/**
 * The master keys that wrap candidates' data keys and seal the issuers' signing keys: MASTER_KEYS, or
 * in embedded mode one generated once and kept in DATA_DIR (mode 600). Losing it loses every sealed
 * field and the signing keys: back it up with the data.
 */
export function resolveMasterKeys(config: AppConfig): readonly MasterKey[] {
  if (config.masterKeys && config.masterKeys.length > 0) return config.masterKeys;
  const dir = resolve(config.dataDir);
  const file = join(dir, 'master-keys');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `local-1:${randomBytes(32).toString('base64')}`, { mode: 0o600, flag: 'wx' });
  }
  const problems: string[] = [];
  const keys = parseMasterKeys(readFileSync(file, 'utf8').trim(), problems);
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return keys;
}

/**
 * The secrets this start will generate in DATA_DIR (those neither configured nor there yet), with
 * what each is for: read before start-up, so the first start can say what it created.
 */
export function secretsToGenerate(config: AppConfig): { readonly file: string; readonly what: string }[] {
  const dir = resolve(config.dataDir);
  const secrets = [
    { configured: config.jwtSecret !== undefined, file: 'jwt-secret', what: 'signs bearer tokens (npm run cli -- token)' },
    { configured: (config.masterKeys?.length ?? 0) > 0, file: 'master-keys', what: 'opens personal data: back it up with the data' },
  ];
  return secrets.filter((s) => !s.configured && !existsSync(join(dir, s.file))).map((s) => ({ file: join(dir, s.file), what: s.what }));
}
