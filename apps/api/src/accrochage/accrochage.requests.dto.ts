import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../shared/date-fields';

/** The awards of a period, by their Paris award date, both ends included. */
export class AwardPeriod {
  @ApiPropertyOptional({ format: 'date', example: '2026-01-01', description: 'Awards on or after this date (Europe/Paris)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;
  @ApiPropertyOptional({ format: 'date', example: '2026-12-31', description: 'Awards on or before this date (Europe/Paris)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class DeclareHoldersRequest extends AwardPeriod {
  @ApiPropertyOptional({ description: 'Declare again the holders already declared, under the same idTechnique (after a correction)' })
  @IsOptional()
  @IsBoolean()
  redeclare?: boolean;
}

export const DECLARATION_STATUSES = ['to-declare', 'declared', 'to-correct', 'annulled', 'erased'] as const;

export class HoldersQuery extends AwardPeriod {
  @ApiPropertyOptional({ enum: DECLARATION_STATUSES }) @IsOptional() @IsIn(DECLARATION_STATUSES) status?: (typeof DECLARATION_STATUSES)[number];
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}
