import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@jalon/config';
import {
  accrochageDecider,
  AccrochageEvent,
  AccrochageState,
  EnrollmentState,
  examSessionDecider,
  ExamSessionEvent,
  ExamSessionState,
  referentialDecider,
  ReferentialEvent,
  ReferentialState,
} from '@jalon/domain';
import { EventStore, RecentStreamStates, StreamCommandHandler } from '@jalon/event-store';
import { candidateCommandHandler, enrollmentCommandHandler, PersonalDataVault } from '@jalon/privacy';
import { ProjectionRunner } from '@jalon/projections';
import { APP_CONFIG, EVENT_STORE } from './runtime.tokens';

/**
 * The command handler of each stream type, built once for the process: every act of the api, every
 * transfer completed and every document recorded goes through one of them, with the same codec,
 * the same metadata, and the projections woken after each append.
 */
@Injectable()
export class StreamCommandHandlers {
  readonly enrollments: ReturnType<typeof enrollmentCommandHandler>;
  readonly candidates: ReturnType<typeof candidateCommandHandler>;
  readonly referentials: StreamCommandHandler<ReferentialState, ReferentialEvent>;
  /** Each certifier's declarations to the Caisse des Dépôts (no personal data: enrollment ids and award ids). */
  readonly accrochage: StreamCommandHandler<AccrochageState, AccrochageEvent>;
  /** Each session d'examen: its plan and what was recorded when it was held (no personal data: ids, place, time). */
  readonly sessions: StreamCommandHandler<ExamSessionState, ExamSessionEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore, vault: PersonalDataVault, projections: ProjectionRunner, @Inject(APP_CONFIG) config: AppConfig) {
    const appended = () => projections.wake();
    this.enrollments = enrollmentCommandHandler(store, vault, {
      appended,
      // States of recently written enrollments, folded from the events as stored (sealed): a decision that
      // opens nothing starts from here instead of reading its stream; the expected revision still guards it.
      ...(config.streamStateCacheSize > 0 ? { cache: new RecentStreamStates<EnrollmentState>(config.streamStateCacheSize) } : {}),
    });
    this.candidates = candidateCommandHandler(store, vault, { appended });
    this.referentials = new StreamCommandHandler(store, referentialDecider, { appended });
    this.accrochage = new StreamCommandHandler(store, accrochageDecider, { appended });
    this.sessions = new StreamCommandHandler(store, examSessionDecider, { appended });
  }
}
