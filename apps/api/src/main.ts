import 'reflect-metadata';
import { ConfigError, loadConfig } from '@jalon/config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port);
  console.log(`Jalon api listening on http://localhost:${config.port} (OpenAPI at /docs)`);
}

main().catch((error: unknown) => {
  // One clear line for an operator, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : `Jalon failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
