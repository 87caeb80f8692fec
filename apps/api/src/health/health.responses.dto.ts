import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProjectionStatus } from '@jalon/projections';

/** One projection's progress (ProjectionRunner.statuses). */
export class ProjectionStatusView {
  @ApiProperty({ example: 'candidate-path' }) name!: string;
  @ApiProperty({ enum: ['running', 'failed'] }) status!: string;
  @ApiProperty({ example: '812-1043', description: 'The last position applied' }) position!: string;
  @ApiProperty({ type: 'integer', example: 1043 }) eventsApplied!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ description: 'The error that stopped it' }) error?: string;
  @ApiPropertyOptional({ description: 'The event it stopped on' }) failedEventId?: string;
}

/** GET /health. */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'], description: '"degraded" when a projection stopped on an error' }) status!: 'ok' | 'degraded';
  @ApiProperty({ enum: ['pglite', 'postgres', 'eventstoredb'], example: 'postgres' }) eventStore!: string;
  @ApiProperty({ type: 'integer', example: 4, description: 'Référentiel versions in the catalogue' }) referentials!: number;
  // Documented member by member above; typed as the runner gives it.
  @ApiProperty({ type: [ProjectionStatusView] }) projections!: ProjectionStatus[];
}
