import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROW_STATUSES, RowStatus } from './import-cohort/cohort-import.service';

export class RowReasonView {
  @ApiProperty({ example: 'Date de naissance', description: 'The column concerned (its header), or « Ligne » for the whole row' }) column!: string;
  @ApiPropertyOptional({ example: 'birthDate', description: 'The request field the api names' }) field?: string;
  @ApiPropertyOptional({ example: 'ENROLLMENT.ROUTE_NOT_OPEN', description: 'The code of a refusal by a decision' }) code?: string;
  @ApiProperty({ example: 'date invalide : JJ/MM/AAAA ou AAAA-MM-JJ, une date qui existe', description: 'Why, in French' }) message!: string;
}

export class RowReportView {
  @ApiProperty({ type: 'integer', example: 2, description: 'The row’s line in the file (headers on line 1)' }) row!: number;
  @ApiProperty({ example: 'ED-2026-001' }) candidateNumber!: string;
  @ApiPropertyOptional({ example: 'Léa MARTIN', description: 'As the file has it; absent from a report read back later (names are not stored with it)' })
  name?: string;
  @ApiProperty({
    enum: ROW_STATUSES,
    description:
      'imported; already-imported (an earlier import of this candidate number); refused (nothing written); incomplete (the candidate registered, not the enrollment: import the file again); to-import (dry run)',
  })
  status!: RowStatus;
  @ApiPropertyOptional({ description: 'The row completed an earlier import that registered its candidate without enrolling them' }) completed?: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) candidateId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) enrollmentId?: string;
  @ApiProperty({ type: [RowReasonView] }) reasons!: RowReasonView[];
}

export class ImportCountsView {
  @ApiProperty({ type: 'integer' }) imported!: number;
  @ApiProperty({ type: 'integer' }) 'already-imported'!: number;
  @ApiProperty({ type: 'integer' }) refused!: number;
  @ApiProperty({ type: 'integer' }) incomplete!: number;
  @ApiProperty({ type: 'integer' }) 'to-import'!: number;
}

export class CohortImportReportView {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: ImportCountsView }) counts!: ImportCountsView;
  @ApiProperty({ type: [RowReportView], description: 'In the file’s order' }) rows!: RowReportView[];
}

export class CohortImportView {
  @ApiProperty({ format: 'uuid', description: 'GET /imports/{id} answers where it stands' }) id!: string;
  @ApiProperty({
    enum: ['running', 'done', 'failed', 'interrupted'],
    description:
      'running (a large file, imported as a job: poll GET /imports/{id}), done (the report is there), failed, interrupted (its process stopped: import the file again)',
  })
  status!: 'running' | 'done' | 'failed' | 'interrupted';
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ type: 'integer', description: 'Rows in the file (headers and blank rows left out)' }) total!: number;
  @ApiProperty({ type: 'integer', description: 'Rows done so far' }) processed!: number;
  @ApiProperty({ type: ImportCountsView }) counts!: ImportCountsView;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
  @ApiProperty({ type: CohortImportReportView, nullable: true, description: 'Once done' }) report!: CohortImportReportView | null;
}
