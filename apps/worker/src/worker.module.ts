import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { RuntimeModule } from '@jalon/runtime';

/**
 * The worker process: runs the projections (and, later, the issuance processors) apart from the
 * api, so each scales on its own. Several workers may run: one applies a given projection batch.
 * It has no feature module: what it runs is RuntimeModule's lifecycle (the projections, the
 * issuance and delivery jobs), which imports the runtime modules it drives.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, storage: Storage): DynamicModule {
    return { module: WorkerModule, imports: [RuntimeModule.forRoot({ ...config, runProjections: true }, storage)] };
  }
}
