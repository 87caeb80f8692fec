import { generateKeyPairSync, randomBytes } from 'node:crypto';
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
 * The Ed25519 key documents are signed with: ISSUER_SIGNING_KEY, or one generated once and kept in
 * DATA_DIR. Outside embedded mode, set it, so every instance signs with the same published key.
 */
export function resolveIssuerSigningKey(config: AppConfig): { pem: string; generated: boolean } {
  if (config.issuerSigningKey) return { pem: config.issuerSigningKey, generated: false };
  const dir = resolve(config.dataDir);
  const file = join(dir, 'issuer-ed25519.pem');
  if (existsSync(file)) return { pem: readFileSync(file, 'utf8'), generated: true };
  mkdirSync(dir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  return { pem, generated: true };
}

/**
 * The master keys that wrap candidates' data keys: MASTER_KEYS, or in embedded mode one generated
 * once and kept in DATA_DIR (mode 600). Losing it loses every sealed field: back it up with the data.
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
    { configured: config.issuerSigningKey !== undefined, file: 'issuer-ed25519.pem', what: 'signs documents' },
  ];
  return secrets.filter((s) => !s.configured && !existsSync(join(dir, s.file))).map((s) => ({ file: join(dir, s.file), what: s.what }));
}
