import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { ConfigError, loadConfig, resolveJwtSecret, resolveMasterKeys } from '@jalon/config';
import { Role, ROLES } from '@jalon/domain';
import { comparePositions, formatPosition, openStorage, parsePosition, StorageUnavailableError } from '@jalon/event-store';
import { createIssuanceProcess } from '@jalon/issuance';
import { DataKeys } from '@jalon/privacy';
import { ProjectionRunner } from '@jalon/projections';
import { createAllProjections } from '@jalon/read-models';
import { formatDuration, renderProgress } from './progress-bar';

const USAGE = `usage: npm run cli -- <command>

  token --role ROLE [--subject ID] [--org ORG] [--expires 8h]
                                a bearer token for local use (roles: admin, assessor, jury,
                                referent, auditor, candidate, dpo), signed with the service's secret
  projections status            each projection: status, position, events applied, error
  projections rebuild [name]    replay the whole log into fresh tables, then swap them in
                                (all projections when no name is given); the service keeps
                                answering from the old tables meanwhile
  keys rotate                   rewrap every candidate's data key with the first of MASTER_KEYS
                                (no event is rewritten); then the older master keys can be removed`;

async function projections(args: string[]): Promise<number> {
  const [action, name] = args;
  if (action !== 'status' && action !== 'rebuild') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    if (action === 'status') {
      // Every projection the service runs, as /health lists them; the issuance process's jobs are never enqueued from here.
      const everyProjection = [...createAllProjections(), createIssuanceProcess(() => Promise.reject(new Error('the cli enqueues no issuance job')))];
      const runner = new ProjectionRunner(storage.sql.db, storage.store, everyProjection, { pollIntervalMs: config.pollIntervalMs });
      const head = await storage.store.headPosition();
      const known = new Map((await runner.statuses()).map((s) => [s.name, s]));
      for (const projection of everyProjection) {
        const s = known.get(projection.name);
        if (!s) {
          console.log(`${projection.name}  not started yet (no checkpoint: the service has not run it)`);
          continue;
        }
        // The checkpoint says how far it got, not whether a process runs it now: say where it stands against the log.
        const standing =
          s.status === 'failed'
            ? `FAILED  error: ${s.error} (event ${s.failedEventId})`
            : comparePositions(parsePosition(s.position)!, head) >= 0
              ? 'caught up with the log'
              : `behind the log (head ${formatPosition(head)})`;
        console.log(`${s.name}  ${standing}  position ${s.position}  ${s.eventsApplied} events applied  last written ${s.updatedAt}`);
      }
      return 0;
    }
    const runner = new ProjectionRunner(storage.sql.db, storage.store, createAllProjections(), { pollIntervalMs: config.pollIntervalMs });
    await runner.prepare();
    const names = name ? [name] : runner.projections.map((p) => p.name);
    for (const projection of names) {
      process.stderr.write(`rebuilding ${projection}\n`);
      const { events, seconds } = await runner.rebuild(projection, (progress) => process.stderr.write(`\r${renderProgress(progress)}`));
      process.stderr.write(`\r${renderProgress({ done: events, eventsPerSecond: seconds > 0 ? events / seconds : 0, fraction: 1, etaSeconds: 0 })}\n`);
      console.log(`${projection}: ${events} events replayed in ${formatDuration(seconds)}, swapped in`);
    }
    return 0;
  } finally {
    await storage.close();
  }
}

async function keys(args: string[]): Promise<number> {
  if (args[0] !== 'rotate') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const masterKeys = resolveMasterKeys(config);
  const storage = await openStorage(config);
  try {
    const rewrapped = await new DataKeys(storage.sql.db, masterKeys).rotate();
    console.log(`${rewrapped} candidate key(s) rewrapped with master key "${masterKeys[0].id}"`);
    return 0;
  } finally {
    await storage.close();
  }
}

function token(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, subject: { type: 'string' }, org: { type: 'string' }, expires: { type: 'string' } },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role) || role === 'system') {
    console.error(`--role is one of ${ROLES.filter((r) => r !== 'system').join(', ')}`);
    return 2;
  }
  const secret = resolveJwtSecret(loadConfig());
  const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  console.log(jwt.sign({ role, org: values.org ?? 'org-1' }, { subject: values.subject ?? `${role}-1`, expiresIn: (values.expires ?? '8h') as never }));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'token':
      return token(rest);
    case 'projections':
      return projections(rest);
    case 'keys':
      return keys(rest);
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof StorageUnavailableError;
    console.error(known ? (error as Error).message : error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
