import { Module } from '@nestjs/common';
import { Storage } from '@jalon/event-store';
import { PrivacyModule } from './privacy.module';
import { ProcessLiveness } from './process-liveness';
import { ProjectionsModule } from './projections.module';
import { ReferentialResolver } from './referential-resolver.service';
import { EVENT_STORE, SQL_DB, STORAGE } from './runtime.tokens';
import { StreamCommandHandlers } from './stream-command-handlers';
import { TransferCompletion } from './transfer-completion';

/**
 * The log and its read models' database, and what every act writes and decides with: the stream
 * command handlers (sealing personal data through the vault, waking the projections after each
 * append), the référentiel versions as published in the log, the one writer of a transfer's second
 * half; and this process's liveness, by which a claim it left behind is known to be a dead one's.
 */
@Module({
  imports: [PrivacyModule, ProjectionsModule],
  providers: [
    { provide: EVENT_STORE, inject: [STORAGE], useFactory: (storage: Storage) => storage.store },
    { provide: SQL_DB, inject: [STORAGE], useFactory: (storage: Storage) => storage.sql.db },
    StreamCommandHandlers,
    ReferentialResolver,
    TransferCompletion,
    ProcessLiveness,
  ],
  exports: [EVENT_STORE, SQL_DB, StreamCommandHandlers, ReferentialResolver, TransferCompletion, ProcessLiveness],
})
export class EventSourcingModule {}
