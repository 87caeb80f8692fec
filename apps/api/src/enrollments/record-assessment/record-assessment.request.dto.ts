import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { CriterionResultDto } from '../enrollment.requests.dto';

export class RecordAssessmentRequest {
  @ApiProperty({ type: [CriterionResultDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CriterionResultDto)
  results!: CriterionResultDto[];
}
