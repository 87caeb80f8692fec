import { ApiProperty } from '@nestjs/swagger';
import { MAX_SESSION_ASSESSORS, MAX_SESSION_CANDIDATES } from '@jalon/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsInstant } from '../../shared/date-fields';
import { CODE } from '../../enrollments/enrollment.requests.dto';

export class ScheduleSessionRequest {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) @IsString() @Length(1, 200) referentialId!: string;
  @ApiProperty({ example: '1' }) @IsString() @Length(1, 50) version!: string;
  @ApiProperty({ example: 'BC01-E1' }) @Matches(CODE) epreuveCode!: string;
  @ApiProperty({ example: 'Campus de Lyon, salle 204' }) @IsString() @Length(1, 200) place!: string;
  @ApiProperty({ format: 'date-time', example: '2026-06-15T09:00:00+02:00', description: 'An instant with its time zone (Z or ±hh:mm)' })
  @IsInstant()
  scheduledAt!: string;
  @ApiProperty({ example: ['assessor-1'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SESSION_ASSESSORS)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  assessorIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'The enrollments of the candidates, each in this certification version' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SESSION_CANDIDATES)
  @IsUUID('all', { each: true })
  enrollmentIds!: string[];
}
