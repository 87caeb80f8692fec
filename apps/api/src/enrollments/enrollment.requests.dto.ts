import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ACCOMMODATION_KINDS, AccommodationTerms, CriterionResult } from '@jalon/domain';
import { IsCalendarDate } from '../shared/date-fields';

/** Codes of référentiel items (blocs, épreuves, parts) as the acts name them. */
export const CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
/** Référentiel ids. */
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class ExtraTimeDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(100) numerator!: number;
  @ApiProperty({ example: 4 }) @IsInt() @Min(1) @Max(100) denominator!: number;
}

export class AccommodationTermsRequest {
  @ApiProperty({ enum: ACCOMMODATION_KINDS }) @IsIn(ACCOMMODATION_KINDS) kind!: (typeof ACCOMMODATION_KINDS)[number];
  @ApiPropertyOptional({ type: ExtraTimeDto, description: 'Only for kind extra-time' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExtraTimeDto)
  extraTime?: ExtraTimeDto;
  @ApiPropertyOptional({ example: ['BC01-E1'], description: 'Épreuves it applies to; absent for all épreuves' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(CODE, { each: true })
  epreuves?: string[];
  @ApiProperty({ format: 'date', example: '2026-01-01', description: 'First day the measure is in force (YYYY-MM-DD)' }) @IsCalendarDate() validFrom!: string;
  @ApiPropertyOptional({
    format: 'date',
    example: '2027-06-30',
    description: 'Last day the measure is in force (YYYY-MM-DD); absent until the end of the course',
  })
  @IsOptional()
  @IsCalendarDate()
  validUntil?: string;
  @ApiPropertyOptional({ description: 'Practical details of the measure (never a diagnosis)' }) @IsOptional() @IsString() @MaxLength(2000) details?: string;
}

export class ConsentRequest {
  @ApiPropertyOptional({ description: 'A note on the consent (sealed with the candidate’s key, shown to the referent and the candidate only)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ReasonRequest {
  @ApiProperty() @IsString() @Length(1, 500) reason!: string;
}

/** The domain's terms of a measure, from the request that states them. */
export const accommodationTermsOf = (body: AccommodationTermsRequest): AccommodationTerms => ({
  kind: body.kind,
  ...(body.extraTime ? { extraTime: { numerator: body.extraTime.numerator, denominator: body.extraTime.denominator } } : {}),
  scope: body.epreuves ? { all: false, epreuves: body.epreuves } : { all: true },
  validFrom: body.validFrom,
  ...(body.validUntil ? { validUntil: body.validUntil } : {}),
  ...(body.details ? { details: body.details } : {}),
});

export class CriterionResultDto {
  @ApiProperty({ example: 'C1.1.1/CE1' }) @IsString() @Length(1, 120) criterion!: string;
  @ApiProperty() @IsBoolean() met!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** The domain's criterion results, from the request's (a comment only where one was written). */
export const criterionResultsOf = (results: readonly CriterionResultDto[]): CriterionResult[] =>
  results.map((r) => ({ criterion: r.criterion, met: r.met, ...(r.comment ? { comment: r.comment } : {}) }));
