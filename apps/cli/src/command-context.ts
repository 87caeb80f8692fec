import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { RuntimeModule } from '@jalon/runtime';

/**
 * The application context of a cli command that acts as the service does: the process's
 * RuntimeModule without its projections or jobs (the keys are still checked against the stored
 * data at start-up), and the runtime modules the command uses, named where it is built.
 */
@Module({})
export class CommandContext {
  static using(config: AppConfig, storage: Storage, modules: Type[]): DynamicModule {
    return { module: CommandContext, imports: [RuntimeModule.forRoot({ ...config, runProjections: false, runIssuance: false }, storage), ...modules] };
  }
}
