import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ACCESS_ROUTES } from '@jalon/domain';
import { CODE, SLUG } from '../enrollment.requests.dto';

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
