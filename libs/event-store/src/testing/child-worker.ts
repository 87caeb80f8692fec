import { ChildProcess, spawn } from 'node:child_process';
import { relative, resolve, sep } from 'node:path';

/** A TypeScript entry point run as its own process, as crash tests kill and restart it. */
export interface ChildWorker {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
}

const REPO_ROOT = resolve(__dirname, '../../../..');
const live = new Set<ChildProcess>();

/** What scripts/compile.js compiles into dist/node (the server and its libraries, the crash tests' process files among them). */
const COMPILED_ROOTS = ['apps/api/src', 'apps/cli/src', 'apps/worker/src', 'libs'].map((root) => resolve(REPO_ROOT, root) + sep);
let compiledOut: string | undefined;

/** dist/node, brought up to date with the sources once per test process (they do not change during a run). */
function compiledTree(): string {
  if (compiledOut === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script of the repository, not a module of the build
    const { compile, OUT } = require(resolve(REPO_ROOT, 'scripts/compile.js')) as { compile: () => void; OUT: string };
    compile();
    compiledOut = OUT;
  }
  return compiledOut;
}

/**
 * Starts `file`, with `env` added to this process's and `nodeArgs` before the file: a file of the
 * server or its libraries from its compiled JavaScript (dist/node, scripts/compile.js), as `npm
 * start` runs them, since a crash test restarts its process a few dozen times and ts-node took
 * seconds to transpile its imports at each start; JavaScript as it is; other TypeScript (the
 * bench's servers) under ts-node with the @jalon/* aliases.
 */
export function spawnChildWorker(file: string, env: Record<string, string>, nodeArgs: readonly string[] = []): ChildWorker {
  const absolute = resolve(REPO_ROOT, file);
  if (absolute.endsWith('.js')) return spawnTracked(['--enable-source-maps', ...nodeArgs, absolute], env);
  if (absolute.endsWith('.ts') && COMPILED_ROOTS.some((root) => absolute.startsWith(root))) {
    const compiled = resolve(compiledTree(), relative(REPO_ROOT, absolute)).replace(/\.ts$/, '.js');
    return spawnTracked(['--enable-source-maps', ...nodeArgs, compiled], env);
  }
  return spawnTracked(['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ...nodeArgs, file], {
    ...env,
    TS_NODE_TRANSPILE_ONLY: 'true',
  });
}

/**
 * Starts one of the services from the compiled JavaScript `npm start` and `npm run worker` run
 * (scripts/run.js), compiled here first if its sources changed; `nodeArgs` given to node. The web
 * console is not built: the api serves whatever build there is.
 */
export function spawnService(app: 'api' | 'worker', env: Record<string, string>, nodeArgs: readonly string[] = []): ChildWorker {
  return spawnTracked(['--enable-source-maps', ...nodeArgs, resolve(compiledTree(), 'apps', app, 'src', 'main.js')], env);
}

function spawnTracked(args: readonly string[], env: Record<string, string>): ChildWorker {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => {
      live.delete(child);
      done({ code, signal });
    }),
  );
  return { child, exited, stderr: () => stderr };
}

/** Resolves when the child prints a line `ready`; rejects if it exits first or takes too long. */
export async function waitReady(worker: ChildWorker, timeoutMs = 30_000): Promise<void> {
  await new Promise<void>((done, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker not ready after ${timeoutMs} ms; stderr:\n${worker.stderr()}`)), timeoutMs);
    worker.child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').includes('ready')) {
        clearTimeout(timer);
        done();
      }
    });
    void worker.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited before ready (code ${code}, signal ${signal}); stderr:\n${worker.stderr()}`));
    });
  });
}

/** Kills every child still running (afterAll): a failing test never leaves one behind. */
export async function killAllChildWorkers(): Promise<void> {
  for (const child of live) child.kill('SIGKILL');
  await Promise.all(
    [...live].map((child) => new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done(undefined) : child.once('exit', done)))),
  );
}

/**
 * The child's side: on SIGTERM (once), run `stop` and exit 0, or print why it failed and exit 1.
 * Register it before announcing `ready`, so a SIGTERM sent as soon as the parent reads it is handled.
 * Returns the handler, for children that also stop on other signals.
 */
export function exitOnSigterm(stop: () => Promise<void>): () => void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  return handler;
}
