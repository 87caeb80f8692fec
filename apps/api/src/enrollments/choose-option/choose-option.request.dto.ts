import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, Matches } from 'class-validator';
import { CODE } from '../enrollment.requests.dto';

export class ChooseOptionRequest {
  @ApiProperty({ example: ['BC05'] }) @IsArray() @ArrayMaxSize(20) @Matches(CODE, { each: true }) optionBlocs!: string[];
}
