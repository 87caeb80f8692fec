import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BlocSummaryDto {
  @ApiProperty({ example: 'BC04' }) code!: string;
  @ApiProperty({ example: 'Développer, déployer et optimiser les pipelines de données' }) title!: string;
  @ApiPropertyOptional({ example: 'SPECIALISATION', description: 'Option group, absent for a mandatory bloc' }) optionGroup?: string;
  @ApiPropertyOptional({ example: 'Data Engineering' }) optionLabel?: string;
  @ApiProperty({ example: 5 }) competencies!: number;
  @ApiProperty({ example: 11 }) criteria!: number;
  @ApiProperty({ example: ['BC04-E1'] }) epreuves!: string[];
}

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
  @ApiProperty({ example: [{ code: 'SPECIALISATION', title: 'Bloc de spécialisation', choose: 1 }] }) optionGroups!: { code: string; title: string; choose: number }[];
  @ApiProperty({ example: [{ code: 'PROJET-FIL-ROUGE', title: 'Projet fil rouge' }] }) extraRequirements!: { code: string; title: string }[];
}
