import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, secretsToGenerate } from '@jalon/config';
import { StorageUnavailableError } from '@jalon/event-store';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const toGenerate = secretsToGenerate(config);
  const app = await createApp(config);
  await app.listen(config.port);
  console.log(`Jalon api listening on http://localhost:${config.port} (OpenAPI at /docs), events in ${config.eventStore}`);
  const generated = toGenerate.filter((s) => existsSync(s.file));
  if (generated.length > 0) console.log(`generated on this first start: ${generated.map((s) => `${s.file} (${s.what})`).join('; ')}`);
}

main().catch((error: unknown) => {
  // One clear line for an operator, not a stack trace.
  const known = error instanceof ConfigError || error instanceof StorageUnavailableError;
  console.error(known ? (error as Error).message : `Jalon failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
