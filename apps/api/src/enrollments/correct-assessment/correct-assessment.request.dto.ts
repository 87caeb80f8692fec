import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { RecordAssessmentRequest } from '../record-assessment/record-assessment.request.dto';

export class CorrectAssessmentRequest extends RecordAssessmentRequest {
  @ApiProperty({ example: 'erreur de saisie du critère CE2' }) @IsString() @Length(1, 500) reason!: string;
}
