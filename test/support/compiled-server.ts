import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');
let compiled = false;

/**
 * The server compiled as `npm start`, `npm run worker` and `npm run cli` run it (scripts/compile.js:
 * SWC into dist/node, only the files changed since the last compile), once per test process.
 */
export function compileServer(): void {
  if (compiled) return;
  execFileSync(process.execPath, ['scripts/compile.js'], { cwd: REPO_ROOT, stdio: 'pipe' });
  compiled = true;
}

/** The compiled entry point of an app (`dist/node/apps/<app>/src/main.js`), relative to the checkout. */
export const compiledEntryPoint = (app: 'api' | 'worker' | 'cli'): string => join('dist/node/apps', app, 'src/main.js');
