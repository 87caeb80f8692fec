import 'reflect-metadata';
import { ConfigError, loadConfig } from '@jalon/config';
import { openStorage, StorageUnavailableError } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { createAllProjections } from '@jalon/read-models';
import { formatDuration, renderProgress } from './progress-bar';

const USAGE = `usage: npm run cli -- <command>

  projections status            each projection: status, position, events applied, error
  projections rebuild [name]    replay the whole log into fresh tables, then swap them in
                                (all projections when no name is given); the service keeps
                                answering from the old tables meanwhile`;

async function projections(args: string[]): Promise<number> {
  const [action, name] = args;
  if (action !== 'status' && action !== 'rebuild') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const runner = new ProjectionRunner(storage.sql.db, storage.store, createAllProjections(), { pollIntervalMs: config.pollIntervalMs });
    await runner.prepare();
    if (action === 'status') {
      for (const s of await runner.statuses()) console.log(`${s.name}  ${s.status}  position ${s.position}  ${s.eventsApplied} events applied${s.error ? `  error: ${s.error} (event ${s.failedEventId})` : ''}`);
      return 0;
    }
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'projections':
      return projections(rest);
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
