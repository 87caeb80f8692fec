import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ExtraRequirementSummaryView, ReferentialOptionGroupView } from './list-referentials/referential-summary.response.dto';

/*
 * A référentiel version as its file states it (the domain's Referential; the file's own schema is
 * referentials/schema/referential.schema.json): GET /referentials/{referential}/versions/{version}.
 */

export class ReferentialCriterionView {
  @ApiProperty({ example: 'C1.1-a' }) code!: string;
  @ApiProperty() text!: string;
  @ApiPropertyOptional({ type: [String] }) indicators?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Only on épreuve criteria: the covered competencies it bears on (default: all covered)' })
  competencies?: string[];
}

export class ReferentialCompetencyView {
  @ApiProperty({ example: 'C1.1' }) code!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ type: [ReferentialCriterionView] }) criteria?: ReferentialCriterionView[];
}

export class ReferentialTimedPartView {
  @ApiProperty({ example: 'ORAL' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer', example: 45 }) baseDurationMinutes!: number;
  @ApiPropertyOptional() note?: string;
}

export class ReferentialEpreuveView {
  @ApiProperty({ example: 'BC01-E1' }) code!: string;
  @ApiPropertyOptional() label?: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'mise-en-situation' }) kind!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: [String], description: 'The competencies it assesses' }) covers!: string[];
  @ApiPropertyOptional({ type: [ReferentialCriterionView] }) criteria?: ReferentialCriterionView[];
  @ApiProperty({ type: [String] }) deliverables!: string[];
  @ApiProperty({ enum: ['expert-technique', 'jury-professionnels', 'maitre-apprentissage'] }) assessorKind!: string;
  @ApiPropertyOptional({ type: [ReferentialTimedPartView] }) timedParts?: ReferentialTimedPartView[];
}

export class ReferentialBlocView {
  @ApiProperty({ example: 'BC01' }) code!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ description: 'Absent for a mandatory bloc' }) optionGroup?: string;
  @ApiPropertyOptional() optionLabel?: string;
  @ApiProperty({ type: [ReferentialCompetencyView] }) competencies!: ReferentialCompetencyView[];
  @ApiProperty({ type: [ReferentialEpreuveView] }) epreuves!: ReferentialEpreuveView[];
}

export class ReferentialCertificationView {
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ example: 'RNCP12345' }) rncpCode?: string;
  @ApiProperty({ type: 'integer', example: 7 }) level!: number;
  @ApiProperty() certifier!: string;
}

export class ReferentialValidationPolicyView {
  @ApiProperty({ enum: ['jury', 'automatic'] }) blocValidation!: string;
  @ApiProperty({ enum: ['all-criteria-met'] }) competencyAcquisition!: string;
}

export class ReferentialExtraRequirementView extends ExtraRequirementSummaryView {
  @ApiPropertyOptional() description?: string;
}

export class ReferentialView {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) referential!: string;
  @ApiProperty({ example: '1' }) version!: string;
  @ApiPropertyOptional({ description: 'Where the content comes from' }) source?: string;
  @ApiProperty({ type: ReferentialCertificationView }) certification!: ReferentialCertificationView;
  @ApiProperty({ type: ReferentialValidationPolicyView }) validationPolicy!: ReferentialValidationPolicyView;
  @ApiPropertyOptional({ type: [ReferentialOptionGroupView] }) optionGroups?: ReferentialOptionGroupView[];
  @ApiProperty({ type: [ReferentialBlocView] }) blocs!: ReferentialBlocView[];
  @ApiPropertyOptional({ type: [ReferentialExtraRequirementView] }) extraRequirements?: ReferentialExtraRequirementView[];
}
