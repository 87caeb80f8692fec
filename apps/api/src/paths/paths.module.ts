import { Module } from '@nestjs/common';
import { EventSourcingModule, PrivacyModule, ProjectionsModule } from '@jalon/runtime';
import { GetBlocProvenanceHandler } from './get-bloc-provenance/get-bloc-provenance.handler';
import { GetCohortStatisticsHandler } from './get-cohort-statistics/get-cohort-statistics.handler';
import { GetPathAsOfHandler } from './get-path-as-of/get-path-as-of.handler';
import { GetPathHandler } from './get-path/get-path.handler';
import { ListEnrollmentsHandler } from './list-enrollments/list-enrollments.handler';
import { ListUnappliedAccommodationFindingsHandler } from './list-unapplied-accommodation-findings/list-unapplied-accommodation-findings.handler';
import { PathReads } from './path-reads.service';
import { PathsController } from './paths.controller';
import { ReadConsistency } from './read-consistency.service';

/**
 * The questions on paths: one folder per question (its query and its handler), the controller that
 * turns each route into its query, and what they share (PathReads: which rows a reader may see,
 * the reader's view of the accommodations; ReadConsistency: waiting for `consistentWith`).
 */
@Module({
  imports: [EventSourcingModule, PrivacyModule, ProjectionsModule],
  controllers: [PathsController],
  providers: [
    PathReads,
    ReadConsistency,
    ListEnrollmentsHandler,
    GetPathHandler,
    GetPathAsOfHandler,
    GetBlocProvenanceHandler,
    GetCohortStatisticsHandler,
    ListUnappliedAccommodationFindingsHandler,
  ],
  exports: [ReadConsistency],
})
export class PathsModule {}
