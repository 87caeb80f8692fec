import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

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

export class BlocSummaryDto {
  @ApiProperty({ example: 'BC04' }) code!: string;
  @ApiProperty({ example: 'Développer, déployer et optimiser les pipelines de données' }) title!: string;
  @ApiPropertyOptional({ example: 'SPECIALISATION', description: 'Option group, absent for a mandatory bloc' }) optionGroup?: string;
  @ApiPropertyOptional({ example: 'Data Engineering' }) optionLabel?: string;
  @ApiProperty({ example: 5 }) competencies!: number;
  @ApiProperty({ example: 11 }) criteria!: number;
  @ApiProperty({ example: ['BC04-E1'] }) epreuves!: string[];
}

/** A catalogue entry (GET /referentials) as ListReferentialsHandler builds it. */
@ApiSchema({ name: 'ReferentialSummary' })
export class ReferentialSummaryDto {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) referential!: string;
  @ApiProperty({ example: '1' }) version!: string;
  @ApiProperty({ example: 'Expert en ingénierie et science des données' }) title!: string;
  @ApiPropertyOptional({ example: 'RNCP12345' }) rncpCode?: string;
  @ApiProperty({ example: 7 }) level!: number;
  @ApiProperty() certifier!: string;
  @ApiProperty({ example: 'sha256:…', description: 'Hash of the canonical content' }) contentHash!: string;
  @ApiProperty({ enum: ['jury', 'automatic'] }) blocValidation!: string;
  @ApiProperty({ type: [BlocSummaryDto] }) blocs!: BlocSummaryDto[];
  @ApiProperty({ type: [ReferentialOptionGroupView] }) optionGroups!: ReferentialOptionGroupView[];
  @ApiProperty({ type: [ExtraRequirementSummaryView] }) extraRequirements!: ExtraRequirementSummaryView[];
}
