import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { TestApp } from './test-app';

let compiled = false;

/** The cli as an operator runs it (`npm run cli`: compiled, scripts/run.js), on the test service's database, keys, documents and Redis. */
export async function runCli(testApp: TestApp, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { config } = testApp;
  const cliEnv = {
    ...process.env,
    NODE_OPTIONS: '',
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
  // Compiled first, once (scripts/compile.js), so that each run's stderr is the cli's alone.
  if (!compiled) execFileSync(process.execPath, ['scripts/compile.js'], { stdio: 'pipe' });
  compiled = true;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/run.js', 'cli', ...args], { env: cliEnv, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
