import { Command } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { ErasureOutcome } from './erasure-outcome.response.dto';

/** Erase a candidate's personal data (GDPR art. 17, R14), by their organisation's DPO. */
export class ErasePersonalDataCommand extends Command<ErasureOutcome> {
  constructor(
    readonly candidateId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
