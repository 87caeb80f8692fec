import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_SESSION_CANDIDATES, SITTING_MODES, SittingMode } from '@jalon/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { IsInstant } from '../../shared/date-fields';
import { TimedPartConditionsDto } from '../../enrollments/record-sitting-held/record-sitting-held.request.dto';

export class CandidateHeldRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() enrollmentId!: string;
  @ApiPropertyOptional({ description: 'The candidate did not come: nothing is recorded on their path (their sitting stays scheduled)', default: false })
  @IsOptional()
  @IsBoolean()
  absent?: boolean;
  @ApiPropertyOptional({
    type: [TimedPartConditionsDto],
    description: 'Each timed part’s actual duration; absent: as scheduled (the candidate’s own effective durations)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TimedPartConditionsDto)
  timedParts?: TimedPartConditionsDto[];
  @ApiPropertyOptional({
    type: [String],
    description: 'Ids of the accommodations given; absent: all that applied when the parts lasted at least as scheduled, none otherwise',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  accommodationsApplied?: string[];
  @ApiPropertyOptional({ enum: SITTING_MODES, description: 'On site or at a distance' })
  @IsOptional()
  @IsIn(SITTING_MODES)
  mode?: SittingMode;
}

export class RecordSessionHeldRequest {
  @ApiProperty({ format: 'date-time', example: '2026-06-15T09:00:00+02:00', description: 'An instant with its time zone (Z or ±hh:mm)' })
  @IsInstant()
  heldAt!: string;
  @ApiProperty({ type: [CandidateHeldRequest], description: 'One row per candidate recorded; a candidate left out is left as they are' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SESSION_CANDIDATES)
  @ValidateNested({ each: true })
  @Type(() => CandidateHeldRequest)
  candidates!: CandidateHeldRequest[];
}
