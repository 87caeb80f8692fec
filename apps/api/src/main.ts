import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, secretsToGenerate } from '@jalon/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const toGenerate = secretsToGenerate(config);
  // What start-up is doing, so a first start is never silent (at LOG_LEVEL log or debug).
  const say = (line: string) => {
    if (config.logLevel === 'log' || config.logLevel === 'debug') console.log(line);
  };
  // Loaded once the configuration is known good: on a cold disk, reading the api's modules takes a while.
  say('loading the api…');
  const { createApp } = await import('./create-app');
  const pglite = join(resolve(config.dataDir), 'pglite');
  say(
    config.eventStore !== 'pglite'
      ? `connecting to ${config.eventStore === 'postgres' ? 'PostgreSQL' : 'EventStoreDB and PostgreSQL'}…`
      : existsSync(join(pglite, 'PG_VERSION'))
        ? `opening the embedded database in ${pglite}…`
        : `creating the embedded database in ${pglite} (once, a few seconds)…`,
  );
  const app = await createApp(config);
  // Every address, as Node listens without a host (and as the api did on Express): IPv6 and IPv4
  // where the machine has IPv6, IPv4 alone where it has not. Fastify without a host listens on localhost only.
  const hasIpv6 = Object.values(networkInterfaces()).some((addresses) => addresses?.some((address) => address.family === 'IPv6'));
  await app.listen(config.port, hasIpv6 ? '::' : '0.0.0.0');
  // process.uptime(): since `npm start` began, the web console's build and the compile included (scripts/run.js).
  console.log(
    `Jalon api listening on http://localhost:${config.port} (OpenAPI at /docs), events in ${config.eventStore}; ready in ${process.uptime().toFixed(1)} s`,
  );
  const generated = toGenerate.filter((s) => existsSync(s.file));
  if (generated.length > 0) console.log(`generated on this first start: ${generated.map((s) => `${s.file} (${s.what})`).join('; ')}`);
}

main().catch((error: unknown) => {
  // One clear line for an operator, not a stack trace.
  const known = error instanceof ConfigError || (error instanceof Error && error.name === 'StorageUnavailableError');
  console.error(known ? (error as Error).message : `Jalon failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
