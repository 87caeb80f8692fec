import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { SEXES } from '@jalon/domain';
import { IsCalendarDate } from '../../shared/date-fields';

export class RegisterCandidateRequest {
  @ApiProperty({ example: 'Martin', description: 'Nom de naissance' }) @IsString() @Length(1, 120) birthName!: string;
  @ApiPropertyOptional({ example: 'Durand', description: "Nom d'usage" }) @IsOptional() @IsString() @Length(1, 120) usageName?: string;
  @ApiProperty({ example: ['Léa', 'Marie'], description: 'Prénoms, in civil-status order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @IsString({ each: true })
  @Length(1, 80, { each: true })
  firstNames!: string[];
  @ApiProperty({ format: 'date', example: '2001-03-14', description: 'YYYY-MM-DD' }) @IsCalendarDate() birthDate!: string;
  @ApiProperty({ enum: SEXES }) @IsIn(SEXES) sex!: (typeof SEXES)[number];
  @ApiProperty({ example: 'Lyon (69)' }) @IsString() @Length(1, 160) birthPlace!: string;
  @ApiProperty({ example: 'lea.durand@example.org' }) @IsEmail() @Length(3, 254) email!: string;
}
