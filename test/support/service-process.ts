import { createServer } from 'node:net';
import { ChildWorker, spawnChildWorker } from '@jalon/event-store/testing/child-worker';
import { compiledEntryPoint, compileServer } from './compiled-server';

/** What each app prints once it serves: the api listening, the worker running its projections and jobs. */
const READY_LINE = { api: 'Jalon api listening', worker: 'Jalon worker running' } as const;

/** An api or a worker in a process of its own, named for the test's output and the database's sessions. */
export interface ServiceProcess extends ChildWorker {
  readonly name: string;
  readonly app: 'api' | 'worker';
}

/** A port nothing listens on now, on the loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts an api or a worker from its entry point as `npm start` and `npm run worker` run it (the
 * compiled JavaScript of scripts/compile.js), with `env` added to this process's, and resolves once
 * it says it serves; rejects with its stderr if it exits first or takes longer than `timeoutMs`.
 * killAllChildWorkers (afterAll) kills whatever is left.
 */
export async function startService(app: 'api' | 'worker', name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<ServiceProcess> {
  compileServer();
  const child = spawnChildWorker(compiledEntryPoint(app), { NODE_OPTIONS: '', ...env });
  await new Promise<void>((done, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no "${READY_LINE[app]}" after ${timeoutMs} ms; stderr:\n${child.stderr()}`)), timeoutMs);
    child.child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').some((line) => line.startsWith(READY_LINE[app]))) {
        clearTimeout(timer);
        done();
      }
    });
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before serving (code ${code}, signal ${signal}); stderr:\n${child.stderr()}`));
    });
  });
  return { ...child, name, app };
}

/** Stops a service as an operator does (SIGTERM), killing it if it has not exited within `graceMs`. */
export async function stopService(service: ServiceProcess, graceMs = 10_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
}
