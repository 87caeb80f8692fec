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
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ACCESS_ROUTES, ACCOMMODATION_KINDS, ANNULMENT_REASONS } from '@jalon/domain';
import { IsCalendarDate, IsInstant } from '../shared/date-fields';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The body of an act that takes nothing beyond its path and its caller. Declared all the same, so
 * the global ValidationPipe (whitelist, forbidNonWhitelisted) answers 400 for any field sent
 * instead of letting an unread body through; an absent body is the usual call.
 */
export class NoFieldsRequest {}

export class EnrollRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() candidateId!: string;
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) @Matches(SLUG) referentialId!: string;
  @ApiProperty({ example: '1' }) @IsString() @Length(1, 40) version!: string;
  @ApiProperty({ example: '2026-A' }) @IsString() @Length(1, 80) cohort!: string;
  @ApiProperty({ enum: ACCESS_ROUTES }) @IsIn(ACCESS_ROUTES) accessRoute!: (typeof ACCESS_ROUTES)[number];
  @ApiPropertyOptional({ example: ['BC05'], description: 'Chosen option blocs (e.g. one of BC04/BC05 in seed 000)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CODE, { each: true })
  optionBlocs?: string[];
}

export class ChooseOptionRequest {
  @ApiProperty({ example: ['BC05'] }) @IsArray() @ArrayMaxSize(20) @Matches(CODE, { each: true }) optionBlocs!: string[];
}

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

export class AmendAccommodationRequest extends AccommodationTermsRequest {
  @ApiProperty() @IsString() @Length(1, 500) reason!: string;
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

export class ScheduleSittingRequest {
  @ApiProperty({ example: 'BC01-E1' }) @Matches(CODE) epreuveCode!: string;
  @ApiProperty({ format: 'date-time', example: '2026-06-15T09:00:00+02:00', description: 'An instant with its time zone (Z or ±hh:mm)' })
  @IsInstant()
  scheduledAt!: string;
  @ApiProperty({ example: ['assessor-1'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  assessorIds!: string[];
}

export class TimedPartConditionsDto {
  @ApiProperty({ example: 'soutenance' }) @Matches(CODE) code!: string;
  @ApiProperty({ example: 40 }) @IsInt() @Min(1) @Max(1440) actualDurationMinutes!: number;
}

export class RecordSittingHeldRequest {
  @ApiProperty({ format: 'date-time', example: '2026-06-15T09:00:00+02:00', description: 'An instant with its time zone (Z or ±hh:mm)' })
  @IsInstant()
  heldAt!: string;
  @ApiProperty({ type: [TimedPartConditionsDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TimedPartConditionsDto)
  timedParts!: TimedPartConditionsDto[];
  @ApiProperty({ example: [], description: 'Ids of the accommodations actually given at the sitting' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  accommodationsApplied!: string[];
}

export class CriterionResultDto {
  @ApiProperty({ example: 'C1.1.1/CE1' }) @IsString() @Length(1, 120) criterion!: string;
  @ApiProperty() @IsBoolean() met!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class RecordAssessmentRequest {
  @ApiProperty({ type: [CriterionResultDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CriterionResultDto)
  results!: CriterionResultDto[];
}

export class CorrectAssessmentRequest extends RecordAssessmentRequest {
  @ApiProperty({ example: 'erreur de saisie du critère CE2' }) @IsString() @Length(1, 500) reason!: string;
}

export class AnnulBlocRequest {
  @ApiProperty({ enum: ANNULMENT_REASONS }) @IsIn(ANNULMENT_REASONS) reason!: (typeof ANNULMENT_REASONS)[number];
  @ApiProperty() @IsString() @Length(1, 2000) details!: string;
}

export class FinalDecisionRequest {
  @ApiProperty({ enum: ['awarded', 'refused', 'deferred'] }) @IsIn(['awarded', 'refused', 'deferred']) decision!: 'awarded' | 'refused' | 'deferred';
  @ApiProperty({ example: 'Paris', description: 'Where the jury deliberated (printed on the certificate)' }) @IsString() @Length(1, 200) place!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}

export class BlocCorrespondenceDto {
  @ApiProperty({ example: 'BC01' }) @Matches(CODE) fromBloc!: string;
  @ApiProperty({ example: 'BC01' }) @Matches(CODE) toBloc!: string;
}

export class TransferRequest {
  @ApiProperty() @Matches(SLUG) toReferentialId!: string;
  @ApiProperty() @IsString() @Length(1, 40) toVersion!: string;
  @ApiProperty({ type: [BlocCorrespondenceDto], description: 'Acquired blocs that carry over (correspondance)' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => BlocCorrespondenceDto)
  carriedBlocs!: BlocCorrespondenceDto[];
  @ApiPropertyOptional({ example: ['BC05'] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @Matches(CODE, { each: true }) optionBlocs?: string[];
}
