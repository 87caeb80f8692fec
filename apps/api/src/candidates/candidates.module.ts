import { Module } from '@nestjs/common';
import { CandidatesController } from './candidates.controller';
import { Erasure } from './erasure.service';

/** Candidates: their registration, their identity (each read recorded), the read log, and erasure (R14). */
@Module({
  controllers: [CandidatesController],
  providers: [Erasure],
})
export class CandidatesModule {}
