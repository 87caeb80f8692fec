import { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { openStorage, Storage } from '@jalon/event-store';
import {
  AccrochageDeclarationsModule,
  APP_CONFIG,
  EventSourcingModule,
  IssuanceModule,
  ISSUERS,
  JobQueuesModule,
  PrivacyModule,
  ProjectionsModule,
  RuntimeLifecycle,
  RuntimeModule,
  STORAGE,
} from '@jalon/runtime';
import { CataloguePublisher } from '../apps/api/src/referentials/catalogue-publisher';
import { RedisThrottlerStorage } from '../apps/api/src/shared/redis-throttler-storage';
import { CommandContext } from '../apps/cli/src/command-context';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { startTestApp, TestApp } from './support/test-app';

const RUNTIME_MODULES = [RuntimeModule, EventSourcingModule, PrivacyModule, ProjectionsModule, JobQueuesModule, IssuanceModule, AccrochageDeclarationsModule];

/** The runtime's providers of a process, by name, with the modules providing each: one each, or something is built twice. */
function runtimeProviders(app: INestApplicationContext): Map<string, string[]> {
  const modules = [...app.get(ModulesContainer).values()];
  const providers = new Map<string, string[]>();
  for (const module of modules.filter((m) => RUNTIME_MODULES.includes(m.metatype as never))) {
    for (const [token, wrapper] of module.providers) {
      if (wrapper.metatype === module.metatype || (typeof token === 'function' && ['ModuleRef', 'ApplicationConfig'].includes(token.name))) continue;
      const name = typeof token === 'function' ? token.name : String(token);
      providers.set(name, [...(providers.get(name) ?? []), module.name]);
    }
  }
  // A feature module providing a runtime class again would build a second one.
  for (const module of modules.filter((m) => !RUNTIME_MODULES.includes(m.metatype as never)))
    for (const token of module.providers.keys()) {
      const name = typeof token === 'function' ? token.name : String(token);
      if (providers.has(name)) providers.get(name)!.push(module.name);
    }
  return providers;
}

/**
 * The runtime as each process builds it: the modules feature modules import by name (the event
 * sourcing, privacy, projections, job queues, issuance, accrochage) are made once per process
 * however many import them, so there is one Redis connection, one projection runner, one cache of
 * stream states; the one global module exports only what the process started with; and
 * RuntimeLifecycle starts before every other module and stops after them all.
 */
describe('the runtime modules of each process (PostgreSQL, Redis)', () => {
  let testApp: TestApp;
  let closed = false;
  const lifecycleStarts = jest.spyOn(RuntimeLifecycle.prototype, 'onApplicationBootstrap');
  const lifecycleStops = jest.spyOn(RuntimeLifecycle.prototype, 'onApplicationShutdown');
  const catalogueStarts = jest.spyOn(CataloguePublisher.prototype, 'onApplicationBootstrap');
  const throttlerStops = jest.spyOn(RedisThrottlerStorage.prototype, 'onApplicationShutdown');

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    if (!closed) await testApp?.close();
    jest.restoreAllMocks();
  });

  it('the api builds each runtime provider once, whichever feature modules import it', () => {
    const providers = runtimeProviders(testApp.app);
    expect(providers.size).toBeGreaterThanOrEqual(23);
    for (const [name, modules] of providers) expect({ name, modules }).toEqual({ name, modules: [expect.any(String)] });
    for (const runtime of RUNTIME_MODULES)
      expect([...testApp.app.get(ModulesContainer).values()].filter((module) => module.metatype === runtime)).toHaveLength(1);
  });

  it('only what the process started with is global', () => {
    const runtime = [...testApp.app.get(ModulesContainer).values()].filter((module) => module.isGlobal && module.metatype === RuntimeModule);
    expect(runtime).toHaveLength(1);
    expect(new Set(runtime[0].exports)).toEqual(new Set([APP_CONFIG, STORAGE, ISSUERS]));
    for (const module of RUNTIME_MODULES.filter((m) => m !== RuntimeModule))
      expect([...testApp.app.get(ModulesContainer).values()].find((m) => m.metatype === module)?.isGlobal).toBe(false);
  });

  it('the worker and the cli’s command contexts build each runtime provider once too', async () => {
    const contexts: ((storage: Storage) => DynamicModule)[] = [
      (storage) => WorkerModule.forRoot({ ...testApp.config, runIssuance: false }, storage),
      (storage) => CommandContext.using(testApp.config, storage, [IssuanceModule]),
      (storage) => CommandContext.using(testApp.config, storage, [AccrochageDeclarationsModule]),
    ];
    for (const contextOn of contexts) {
      // Each context closes the storage it is given (RuntimeLifecycle): each has its own.
      const storage = await openStorage(testApp.config);
      try {
        const context = await NestFactory.createApplicationContext(contextOn(storage), { logger: ['error'] });
        try {
          for (const [name, modules] of runtimeProviders(context)) expect({ name, modules }).toEqual({ name, modules: [expect.any(String)] });
        } finally {
          await context.close();
        }
      } finally {
        await storage.close();
      }
    }
  });

  it('RuntimeLifecycle starts before the catalogue is published, and stops after the throttler’s Redis', async () => {
    // The api's, started first (the contexts above started after it).
    expect(lifecycleStarts.mock.invocationCallOrder[0]).toBeLessThan(catalogueStarts.mock.invocationCallOrder[0]);
    lifecycleStops.mockClear();
    await testApp.close();
    closed = true;
    expect(lifecycleStops).toHaveBeenCalledTimes(1);
    expect(throttlerStops.mock.invocationCallOrder[0]).toBeLessThan(lifecycleStops.mock.invocationCallOrder[0]);
  });
});
