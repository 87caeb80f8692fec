import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SITTING_MODES, SittingMode } from '@jalon/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsInstant } from '../../shared/date-fields';
import { CODE } from '../enrollment.requests.dto';

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
  @ApiPropertyOptional({ enum: SITTING_MODES, description: 'How the sitting was held: on site or at a distance (the accrochage declares it)' })
  @IsOptional()
  @IsIn(SITTING_MODES)
  mode?: SittingMode;
}
