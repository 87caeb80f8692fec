import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches } from 'class-validator';
import { IsInstant } from '../../shared/date-fields';
import { CODE } from '../enrollment.requests.dto';

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
