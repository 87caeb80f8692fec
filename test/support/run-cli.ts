import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TestApp } from './test-app';

/** The cli as an operator runs it, on the test service's database, keys, documents and Redis. */
export async function runCli(testApp: TestApp, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { config } = testApp;
  const cliEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    TS_NODE_TRANSPILE_ONLY: 'true',
    EVENT_STORE: 'postgres',
    DATABASE_URL: config.databaseUrl!,
    JWT_SECRET: config.jwtSecret!,
    MASTER_KEYS: (config.masterKeys ?? []).map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    PUBLIC_BASE_URL: config.publicBaseUrl,
    DATA_DIR: config.dataDir,
    DOCUMENTS_DIR: config.documentsDir,
    REDIS_URL: config.redisUrl,
    REDIS_PREFIX: config.redisPrefix,
    LOG_LEVEL: 'error',
    ...env,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args],
      { env: cliEnv, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
