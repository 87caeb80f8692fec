import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { CODE, SLUG } from '../enrollment.requests.dto';

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
