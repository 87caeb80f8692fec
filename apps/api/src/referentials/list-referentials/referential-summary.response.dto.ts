import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ACCESS_ROUTES, CERTIFICATION_KINDS } from '@jalon/domain';

export class ReferentialOptionGroupView {
  @ApiProperty({ example: 'SPECIALISATION' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'How many of its blocs a path chooses' }) choose!: number;
}

/** An extra requirement as the catalogue summarises it. */
export class ExtraRequirementSummaryView {
  @ApiProperty({ example: 'PROJET-FIL-ROUGE' }) code!: string;
  @ApiProperty() title!: string;
}

/** When and why a version was withdrawn from new enrollments (not part of its file: recorded afterwards by an admin). */
export class ReferentialWithdrawalView {
  @ApiProperty({ format: 'date-time', example: '2026-09-01T08:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 'Remplacée par la version 2 (nouvel arrêté d’enregistrement)' }) reason!: string;
}

export class ReferentialRegistrationView {
  @ApiPropertyOptional({ format: 'date', example: '2024-07-01' }) decisionDate?: string;
  @ApiPropertyOptional({ format: 'date', example: '2029-07-01' }) endDate?: string;
  @ApiPropertyOptional({ example: 'Décision n° 2024-123 de France Compétences' }) decisionReference?: string;
}

/**
 * What the référentiel's file assumes of the certification's identity but the référentiel does not
 * state: its `certification.assumed`, or a statement an erratum of the catalogue marks as assumed
 * (referentials/errata.yaml). Never a fact: no document prints it.
 */
export class AssumedIdentityView {
  @ApiPropertyOptional({ example: 'RNCP12345' }) rncpCode?: string;
  @ApiPropertyOptional({ example: 'RS5678' }) rsCode?: string;
  @ApiPropertyOptional({ type: ReferentialRegistrationView }) registration?: ReferentialRegistrationView;
  @ApiPropertyOptional({ type: [String], example: ['326n'] }) nsfCodes?: string[];
  @ApiPropertyOptional({ type: 'integer', example: 6, description: 'A level in the national framework the référentiel does not state' }) level?: number;
  @ApiPropertyOptional({ type: 'integer', example: 6 }) eqfLevel?: number;
  @ApiPropertyOptional() certifier?: string;
}

/** A parchemin mention (R15) the référentiel does not state. */
export class MissingParcheminMentionView {
  @ApiProperty({
    enum: ['registration-code', 'registration-decision-reference', 'registration-decision-date', 'certifier', 'national-level', 'eqf-level', 'nsf-codes'],
  })
  mention!: string;
  @ApiProperty({ example: 'certification.registration.decisionReference', description: 'Where the référentiel would state it' }) path!: string;
  @ApiProperty({ example: 'the reference of France Compétences’ registration decision' }) message!: string;
}

/**
 * Whether the version's documents can carry every mention France Compétences requires that the
 * référentiel must state (R15); not part of the file: worked out from it.
 */
export class DocumentIssuabilityView {
  @ApiProperty({ description: 'False: its attestations and certificates would lack a mandatory mention, which Jalon never invents' }) issuable!: boolean;
  @ApiProperty({ type: [MissingParcheminMentionView] }) missingMentions!: readonly MissingParcheminMentionView[];
}

export class BlocSummaryDto {
  @ApiProperty({ example: 'BC04' }) code!: string;
  @ApiPropertyOptional({
    example: 'Développer, déployer et optimiser les pipelines de données',
    description: 'Absent where the référentiel gives the bloc no title: it is then shown by its code and its competencies',
  })
  title?: string;
  @ApiPropertyOptional({ example: 'SPECIALISATION', description: 'Option group, absent for a mandatory bloc' }) optionGroup?: string;
  @ApiPropertyOptional({ example: 'Data Engineering' }) optionLabel?: string;
  @ApiProperty({ example: 5 }) competencies!: number;
  @ApiProperty({ example: 11, description: 'Its criteria: of its competencies, of its épreuves and those stated once for the bloc' }) criteria!: number;
  @ApiProperty({ example: ['BC04-E1'] }) epreuves!: string[];
}

/** A catalogue entry (GET /referentials) as ListReferentialsHandler builds it. */
@ApiSchema({ name: 'ReferentialSummary' })
export class ReferentialSummaryDto {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) referential!: string;
  @ApiProperty({ example: '1' }) version!: string;
  @ApiProperty({ enum: CERTIFICATION_KINDS, description: 'The kind of certification (a référentiel that states none: certification-professionnelle)' })
  kind!: string;
  @ApiProperty({ example: 'Expert en ingénierie et science des données' }) title!: string;
  @ApiPropertyOptional({ example: 'RNCP12345' }) rncpCode?: string;
  @ApiPropertyOptional({ example: 'RS5678' }) rsCode?: string;
  @ApiPropertyOptional({
    type: 'integer',
    example: 7,
    description: 'Level in the national framework, where the référentiel states it (one its file only assumes is under `assumed`)',
  })
  level?: number;
  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'European (EQF/CEC) level, where the référentiel states it' }) eqfLevel?: number;
  @ApiPropertyOptional() certifier?: string;
  @ApiPropertyOptional({
    type: AssumedIdentityView,
    description:
      'What its file only assumes of the identity (or the catalogue’s errata mark as assumed): not stated by the référentiel, so never among the fields above, and printed on no document',
  })
  assumed?: AssumedIdentityView;
  @ApiProperty({
    enum: ACCESS_ROUTES,
    isArray: true,
    description: 'The access routes the certification is open to (a référentiel that states none: every route)',
  })
  accessRoutes!: string[];
  @ApiProperty({ example: 'sha256:…', description: 'Hash of the canonical content' }) contentHash!: string;
  @ApiProperty({ type: DocumentIssuabilityView, description: 'Whether its documents can carry every mandatory mention the référentiel must state (R15)' })
  documents!: DocumentIssuabilityView;
  @ApiProperty({ enum: ['jury', 'automatic'] }) blocValidation!: string;
  @ApiProperty({ type: [BlocSummaryDto] }) blocs!: BlocSummaryDto[];
  @ApiProperty({ type: [ReferentialOptionGroupView] }) optionGroups!: ReferentialOptionGroupView[];
  @ApiProperty({ type: [ExtraRequirementSummaryView] }) extraRequirements!: ExtraRequirementSummaryView[];
  @ApiPropertyOptional({
    type: ReferentialWithdrawalView,
    description: 'Set once the version is withdrawn from new enrollments: enrolling on it is refused; the paths pinned to it go on',
  })
  withdrawn?: ReferentialWithdrawalView;
}
