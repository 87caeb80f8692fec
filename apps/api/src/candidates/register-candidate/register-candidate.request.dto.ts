import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { CandidateIdentity, SEXES } from '@jalon/domain';
import { IsCalendarDate } from '../../shared/date-fields';

/** The birth place as the Caisse des Dépôts codes it (the accrochage): INSEE code, or postal code; born abroad, the country too. */
export class BirthPlaceCodesRequest {
  @ApiPropertyOptional({
    example: '69123',
    description: 'INSEE code of the birth commune (5 characters, 2A/2B in Corsica); born abroad: 99 + the INSEE country code',
  })
  @IsOptional()
  @Matches(/^(?:[0-9]{5}|2[ABab][0-9]{3})$/, { message: 'inseeCode must be an INSEE code: 5 characters (2A/2B in Corsica, 99xxx abroad)' })
  inseeCode?: string;
  @ApiPropertyOptional({ example: '69001', description: 'Postal code of the birth commune, where its INSEE code is not known' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z -]{1,9}$/, { message: 'postalCode must be a postal code of at most 9 characters' })
  postalCode?: string;
  @ApiPropertyOptional({ example: 'MAR', description: 'Born abroad: the country’s 3-character code' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{3}$/, { message: 'countryCode must be 3 letters or digits' })
  countryCode?: string;
  @ApiPropertyOptional({ example: 'Maroc', description: 'Born abroad: the country’s name' }) @IsOptional() @IsString() @Length(1, 60) countryName?: string;
}

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
  @ApiPropertyOptional({ type: () => BirthPlaceCodesRequest, description: 'What the accrochage declares of the birth place (completed later if unknown)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BirthPlaceCodesRequest)
  birthPlaceCodes?: BirthPlaceCodesRequest;
  @ApiProperty({ example: 'lea.durand@example.org' }) @IsEmail() @Length(3, 254) email!: string;
}

/** The identity fields given, without the empty ones: what the domain records. */
export function identityFieldsOf(body: Partial<RegisterCandidateRequest>): Partial<CandidateIdentity> {
  const codes = body.birthPlaceCodes && Object.fromEntries(Object.entries(body.birthPlaceCodes).filter(([, v]) => v !== undefined && v !== ''));
  return Object.fromEntries(
    Object.entries({ ...body, ...(codes ? { birthPlaceCodes: codes } : {}) }).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<CandidateIdentity>;
}
