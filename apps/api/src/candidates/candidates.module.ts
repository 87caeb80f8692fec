import { Module } from '@nestjs/common';
import { EventSourcingModule, IssuanceModule, PrivacyModule, ProjectionsModule } from '@jalon/runtime';
import { CandidatesController } from './candidates.controller';
import { AmendCandidateIdentityHandler } from './amend-candidate-identity/amend-candidate-identity.handler';
import { ErasePersonalDataHandler } from './erase-personal-data/erase-personal-data.handler';
import { GetCandidateHandler } from './get-candidate/get-candidate.handler';
import { ListPersonalDataReadsHandler } from './list-personal-data-reads/list-personal-data-reads.handler';
import { RegisterCandidateHandler } from './register-candidate/register-candidate.handler';

/** Candidates: their registration, their identity (each read recorded), the read log, and erasure (R14); one folder per use case. */
@Module({
  // Erasure finds every enrollment once the read models have caught up (ProjectionsModule), then removes their documents' files (IssuanceModule).
  imports: [EventSourcingModule, PrivacyModule, ProjectionsModule, IssuanceModule],
  controllers: [CandidatesController],
  providers: [RegisterCandidateHandler, AmendCandidateIdentityHandler, GetCandidateHandler, ListPersonalDataReadsHandler, ErasePersonalDataHandler],
})
export class CandidatesModule {}
