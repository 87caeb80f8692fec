import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ROLES, SEXES } from '@jalon/domain';
import { orWithheld } from '../shared/withheld.responses.dto';

/** The birth place as the accrochage codes it (the domain's BirthPlaceCodes). */
export class BirthPlaceCodesView {
  @ApiPropertyOptional({ example: '69123', description: 'INSEE code of the birth commune; born abroad, 99 + the country’s INSEE code' }) inseeCode?: string;
  @ApiPropertyOptional({ example: '69001', description: 'Postal code of the birth commune, where its INSEE code is not known' }) postalCode?: string;
  @ApiPropertyOptional({ example: 'MAR', description: 'Born abroad: the country’s 3-character code' }) countryCode?: string;
  @ApiPropertyOptional({ example: 'Maroc', description: 'Born abroad: the country’s name' }) countryName?: string;
}

/** A candidate's identity as registered (the domain's CandidateIdentity). */
export class CandidateIdentityView {
  @ApiProperty({ example: 'Martin' }) birthName!: string;
  @ApiPropertyOptional() usageName?: string;
  @ApiProperty({ type: [String], example: ['Léa'] }) firstNames!: string[];
  @ApiProperty({ example: '2001-03-14' }) birthDate!: string;
  @ApiProperty({ enum: [...SEXES] }) sex!: string;
  @ApiProperty({ example: 'Lyon (69)' }) birthPlace!: string;
  @ApiPropertyOptional({
    type: () => BirthPlaceCodesView,
    description: 'The birth place as the accrochage codes it: inseeCode or postalCode; born abroad, countryCode and countryName',
  })
  birthPlaceCodes?: BirthPlaceCodesView;
  @ApiProperty({ example: 'lea@example.org' }) email!: string;
}

/** GET /candidates/{id}. */
export class CandidateView {
  @ApiProperty({ format: 'uuid' }) candidateId!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty(orWithheld({ $ref: getSchemaPath(CandidateIdentityView) }, 'The identity; after an erasure `{"withheld":"erased"}`')) identity!: unknown;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the personal data was erased' }) erasedAt?: string;
}

/** One read of a candidate's personal data (the append-only read log): who, when, which view; never the values. */
export class PersonalDataReadView {
  @ApiProperty({ format: 'date-time' }) readAt!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty({ enum: [...ROLES] }) actorRole!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The enrollment read through, if any' }) enrollmentId!: string | null;
  @ApiProperty({ example: 'accommodations:full', description: 'The view that showed the data' }) view!: string;
  @ApiProperty({ type: [String], example: ['accommodation:5f1c…'], description: 'What was shown, by id' }) subjects!: string[];
}
