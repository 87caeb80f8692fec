import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { AppConfig } from '@jalon/config';

/** What Nest says of itself while it boots: its modules and route map, a hundred lines an operator does not need. */
const BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

const ORDER = ['error', 'warn', 'log', 'debug'] as const;

/**
 * Nest's console logger at LOG_LEVEL, without Nest's own boot lines unless LOG_LEVEL=debug: at the
 * default level, an operator reads what Jalon did (projections started, référentiels published,
 * what was generated), not the route map.
 */
export class ServiceLogger extends ConsoleLogger {
  constructor(private readonly level: AppConfig['logLevel']) {
    super({ logLevels: ORDER.slice(0, ORDER.indexOf(level) + 1) as LogLevel[] });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.length > 0 ? rest[rest.length - 1] : this.context;
    if (this.level !== 'debug' && typeof context === 'string' && BOOT_CONTEXTS.has(context)) return;
    super.log(message, ...rest);
  }
}
