import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The console's typed client is generated from the api's own /docs-json: a stale one fails here. */
describe('the console’s typed client', () => {
  it('is the one generated from the api’s OpenAPI document (npm run web:client)', () => {
    const root = resolve(__dirname, '..');
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/web-client.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  }, 60_000);
});
