import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { compileServer } from './compiled-server';
import { TestApp } from './test-app';

/** The cli as an operator runs it (`npm run cli`: compiled, scripts/run.js), on the test service's database, keys, documents and Redis. */
export async function runCli(testApp: TestApp, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { config } = testApp;
  return runCliWith(
    {
      EVENT_STORE: 'postgres',
      DATABASE_URL: config.databaseUrl!,
      JWT_SECRET: config.jwtSecret!,
      MASTER_KEYS: (config.masterKeys ?? []).map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
      PUBLIC_BASE_URL: config.publicBaseUrl,
      DATA_DIR: config.dataDir,
      DOCUMENTS_DIR: config.documentsDir,
      REDIS_URL: config.redisUrl,
      REDIS_PREFIX: config.redisPrefix,
      ...env,
    },
    args,
  );
}

/** The cli as an operator runs it, with `env` (the service's configuration) added to this process's. */
export async function runCliWith(env: Record<string, string | undefined>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cliEnv = { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'error', ...env };
  // Compiled first, once (scripts/compile.js), so that each run's stderr is the cli's alone.
  compileServer();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/run.js', 'cli', ...args], { env: cliEnv, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
