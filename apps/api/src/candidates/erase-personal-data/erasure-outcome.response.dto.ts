import { ApiProperty } from '@nestjs/swagger';
import { CommandOutcome } from '../../shared/command-outcome';

/** What an erasure answers: the candidate, their enrollments, the files removed, and where the log stands. */
export class ErasureOutcome extends CommandOutcome {
  @ApiProperty({ format: 'uuid' })
  candidateId!: string;

  @ApiProperty({ type: [String], description: 'The candidate’s enrollments, whose documents’ files were removed' })
  enrollments!: string[];

  @ApiProperty({ example: 2, description: 'Document files deleted by this call (0 when retried)' })
  documentFilesRemoved!: number;
}
