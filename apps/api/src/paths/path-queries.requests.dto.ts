import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsCalendarDateOrInstant } from '../shared/date-fields';

import { BLOC_STATUSES, ENROLLMENT_SORTS, PATH_STATUSES } from '@jalon/read-models';

export class ConsistencyQuery {
  @ApiPropertyOptional({
    example: '1042-5531',
    pattern: '^-?\\d{1,20}-\\d{1,20}$',
    description: 'Wait (bounded) until the read models have reached this position, from a command answer',
  })
  @IsOptional()
  @Matches(/^-?\d{1,20}-\d{1,20}$/)
  consistentWith?: string;
}

export class ListEnrollmentsQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 80 }) @IsOptional() @IsString() @Length(1, 80) referentialId?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) version?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 80 }) @IsOptional() @IsString() @Length(1, 80) cohort?: string;
  @ApiPropertyOptional({ enum: PATH_STATUSES, description: '"eligible" is ready for the jury' })
  @IsOptional()
  @IsIn(PATH_STATUSES)
  status?: (typeof PATH_STATUSES)[number];
  @ApiPropertyOptional({ example: 'BC01', minLength: 1, maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) bloc?: string;
  @ApiPropertyOptional({ enum: BLOC_STATUSES, description: 'With bloc: that bloc’s status' })
  @IsOptional()
  @IsIn(BLOC_STATUSES)
  blocStatus?: (typeof BLOC_STATUSES)[number];
  @ApiPropertyOptional({
    example: '2026-09-01',
    description:
      'Open paths with no progress (assessment, competency, validation) since this date (YYYY-MM-DD) or instant (with its time zone, e.g. 2026-09-01T00:00:00+02:00)',
  })
  @IsOptional()
  @IsCalendarDateOrInstant()
  noProgressSince?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 80, description: 'Auditors only: one organisation' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  organisationId?: string;
  @ApiPropertyOptional({ enum: ENROLLMENT_SORTS, default: 'enrolledAt' }) @IsOptional() @IsIn(ENROLLMENT_SORTS) sort?: (typeof ENROLLMENT_SORTS)[number];
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class CohortStatisticsQuery extends ConsistencyQuery {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees', minLength: 1, maxLength: 80 }) @IsString() @Length(1, 80) referentialId!: string;
  @ApiProperty({ example: '1', minLength: 1, maxLength: 40 }) @IsString() @Length(1, 40) version!: string;
  @ApiPropertyOptional({ example: '2026-A', minLength: 1, maxLength: 80 }) @IsOptional() @IsString() @Length(1, 80) cohort?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 80, description: 'Auditors only: one organisation' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  organisationId?: string;
}

export class AsOfQuery extends ConsistencyQuery {
  @ApiProperty({
    example: '2026-07-01T00:00:00Z',
    description: 'The instant to look back to, with its time zone (Z or ±hh:mm); a date alone (YYYY-MM-DD) is its 00:00 UTC',
  })
  @IsCalendarDateOrInstant()
  at!: string;
}

export class FindingsQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 80, description: 'Auditors only: one organisation' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  organisationId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  pageSize?: number;
}
