import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { ACCESS_ROUTES, REGISTRATION_INITIATIVES, RegistrationInitiative, VAE_VOIES, VaeVoie } from '@jalon/domain';
import { CODE, SLUG } from '../enrollment.requests.dto';

export class ApprenticeshipRequest {
  @ApiProperty({ example: 'maitre-dupont', description: "The maître d'apprentissage's user id: only they assess the épreuves of that kind" })
  @IsString()
  @Length(1, 200)
  masterId!: string;
  @ApiProperty({ example: 'Acme SAS' }) @IsString() @Length(1, 200) company!: string;
}

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
  @ApiPropertyOptional({
    type: () => ApprenticeshipRequest,
    description: "For an apprenticeship: the maître d'apprentissage (their user id at the school's provider) and the company",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApprenticeshipRequest)
  apprenticeship?: ApprenticeshipRequest;
  @ApiPropertyOptional({ example: '2025-09-01', description: 'When the training or the contract started (YYYY-MM-DD); statistics count from it' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'trainingStartDate must be a date YYYY-MM-DD' })
  trainingStartDate?: string;
  @ApiPropertyOptional({ enum: REGISTRATION_INITIATIVES, description: 'Who took the initiative of the registration (declared in the accrochage)' })
  @IsOptional()
  @IsIn(REGISTRATION_INITIATIVES)
  registrationInitiative?: RegistrationInitiative;
  @ApiPropertyOptional({ enum: VAE_VOIES, description: 'On the vae route: a congé VAE, or a VAE alongside work (declared in the accrochage)' })
  @IsOptional()
  @IsIn(VAE_VOIES)
  vaeVoie?: VaeVoie;
}
