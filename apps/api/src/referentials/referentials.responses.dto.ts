import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCESS_ROUTES, CERTIFICATION_KINDS } from '@jalon/domain';
import { CommandOutcome } from '../shared/command-outcome';
import {
  AssumedIdentityView,
  DocumentIssuabilityView,
  ExtraRequirementSummaryView,
  ReferentialOptionGroupView,
  ReferentialRegistrationView,
  ReferentialWithdrawalView,
} from './list-referentials/referential-summary.response.dto';

/*
 * A référentiel version as its file states it (the domain's Referential; the file's own schema is
 * referentials/schema/referential.schema.json): GET /referentials/{referential}/versions/{version}.
 * What the file does not state is absent, not filled in; what it only assumes, or an erratum of the
 * catalogue marks as assumed, is under `certification.assumed`.
 */

const SHARED_CRITERIA_RULES = ['each-epreuve', 'any-epreuve', 'jury-weighs'];
const CONTINUOUS_RULES = ['last', 'all', 'jury-weighs'];

export class ReferentialCriterionView {
  @ApiProperty({ example: 'C1.1-a' }) code!: string;
  @ApiProperty() text!: string;
  @ApiPropertyOptional({ type: [String] }) indicators?: string[];
  @ApiPropertyOptional({
    type: [String],
    description:
      'On épreuve and bloc criteria: the competencies it bears on (default: all the épreuve covers, or all of the bloc for a criterion stated once for the bloc)',
  })
  competencies?: string[];
}

export class ReferentialCompetencyView {
  @ApiProperty({ example: 'C1.1' }) code!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ type: [ReferentialCriterionView] }) criteria?: ReferentialCriterionView[];
}

export class ReferentialActivityView {
  @ApiPropertyOptional({ example: 'A1' }) code?: string;
  @ApiProperty({ example: 'Analyse du besoin client' }) title!: string;
}

export class ReferentialTimedPartView {
  @ApiProperty({ example: 'ORAL' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer', example: 45 }) baseDurationMinutes!: number;
  @ApiPropertyOptional() note?: string;
}

export class ReferentialContinuousAssessmentView {
  @ApiProperty({
    enum: CONTINUOUS_RULES,
    description: 'Which of its dated observations give the épreuve’s result: the last one, all of them, or the jury’s weighing',
  })
  rule!: string;
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
  @ApiProperty({
    example: 'expert-technique',
    description:
      'The code of one of the référentiel’s assessorKinds (absent there: expert-technique, jury-professionnels or maitre-apprentissage); maitre-apprentissage: the enrollment’s own maître d’apprentissage assesses it',
  })
  assessorKind!: string;
  @ApiPropertyOptional({ enum: ACCESS_ROUTES, isArray: true, description: 'The access routes on which the épreuve is owed; absent: every route' })
  routes?: string[];
  @ApiPropertyOptional({
    type: ReferentialContinuousAssessmentView,
    description: 'Assessed through several dated observations over the training rather than at one sitting',
  })
  continuous?: ReferentialContinuousAssessmentView;
  @ApiPropertyOptional({ type: [ReferentialTimedPartView] }) timedParts?: ReferentialTimedPartView[];
}

export class ReferentialBlocView {
  @ApiProperty({ example: 'BC01' }) code!: string;
  @ApiPropertyOptional({ description: 'Absent where the référentiel gives the bloc no title: it is then shown by its code and its competencies' })
  title?: string;
  @ApiPropertyOptional({ description: 'Absent for a mandatory bloc' }) optionGroup?: string;
  @ApiPropertyOptional() optionLabel?: string;
  @ApiPropertyOptional({ type: [ReferentialActivityView], description: 'The référentiel d’activités of the bloc' }) activities?: ReferentialActivityView[];
  @ApiProperty({ type: [ReferentialCompetencyView] }) competencies!: ReferentialCompetencyView[];
  @ApiPropertyOptional({
    type: [ReferentialCriterionView],
    description: 'Criteria stated once for the bloc, ruled on by every épreuve covering a competency they bear on',
  })
  criteria?: ReferentialCriterionView[];
  @ApiPropertyOptional({
    enum: SHARED_CRITERIA_RULES,
    description:
      'How the bloc’s criteria combine across its épreuves: met in each épreuve that rules on them (the default), in any one, or weighed by the jury',
  })
  criteriaRule?: string;
  @ApiProperty({ type: [ReferentialEpreuveView] }) epreuves!: ReferentialEpreuveView[];
}

export class ReferentialCertificationView {
  @ApiPropertyOptional({ enum: CERTIFICATION_KINDS, description: 'Absent in the first référentiels: a certification professionnelle registered in the RNCP' })
  kind?: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ example: 'RNCP12345' }) rncpCode?: string;
  @ApiPropertyOptional({ example: 'RS5678', description: 'Code in the Répertoire spécifique, for a certification-rs' }) rsCode?: string;
  @ApiPropertyOptional({ type: ReferentialRegistrationView, description: 'France Compétences’ registration decision' })
  registration?: ReferentialRegistrationView;
  @ApiPropertyOptional({ type: [String], example: ['326n'], description: 'NSF codes' }) nsfCodes?: string[];
  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'Level in the national framework of professional certifications' }) level?: number;
  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'Its European (EQF/CEC) equivalent' }) eqfLevel?: number;
  @ApiPropertyOptional() certifier?: string;
  @ApiPropertyOptional({
    type: AssumedIdentityView,
    description:
      'What the file assumes of the identity but the référentiel does not state (its `certification.assumed`, or what an erratum of the catalogue marks as assumed in a version published before): never among the stated fields above, printed on no document',
  })
  assumed?: AssumedIdentityView;
}

export class ReferentialValidationPolicyView {
  @ApiProperty({ enum: ['jury', 'automatic'] }) blocValidation!: string;
  @ApiProperty({ enum: ['all-criteria-met'] }) competencyAcquisition!: string;
}

export class ReferentialExtraRequirementView extends ExtraRequirementSummaryView {
  @ApiPropertyOptional() description?: string;
}

export class ReferentialAssessorKindView {
  @ApiProperty({ example: 'maitre-apprentissage' }) code!: string;
  @ApiProperty({ example: 'Maître d’apprentissage' }) title!: string;
}

export class ReferentialView {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) referential!: string;
  @ApiProperty({ example: '1' }) version!: string;
  @ApiPropertyOptional({ description: 'Where the content comes from' }) source?: string;
  @ApiProperty({ type: ReferentialCertificationView }) certification!: ReferentialCertificationView;
  @ApiProperty({ type: ReferentialValidationPolicyView }) validationPolicy!: ReferentialValidationPolicyView;
  @ApiPropertyOptional({ enum: ACCESS_ROUTES, isArray: true, description: 'The access routes the certification is open to; absent: every route' })
  accessRoutes?: string[];
  @ApiPropertyOptional({
    type: [ReferentialAssessorKindView],
    description: 'Who may assess its épreuves, as the référentiel names them; absent: expert-technique, jury-professionnels and maitre-apprentissage',
  })
  assessorKinds?: ReferentialAssessorKindView[];
  @ApiPropertyOptional({ type: [ReferentialOptionGroupView] }) optionGroups?: ReferentialOptionGroupView[];
  @ApiProperty({ type: [ReferentialBlocView] }) blocs!: ReferentialBlocView[];
  @ApiPropertyOptional({ type: [ReferentialExtraRequirementView] }) extraRequirements?: ReferentialExtraRequirementView[];
  @ApiPropertyOptional({
    type: ReferentialWithdrawalView,
    description: 'Not part of the file: set once the version is withdrawn from new enrollments (enrolling on it is refused; the paths pinned to it go on)',
  })
  withdrawn?: ReferentialWithdrawalView;
  @ApiProperty({
    type: DocumentIssuabilityView,
    description: 'Not part of the file: whether its documents can carry every mandatory mention the référentiel must state (R15), and which are missing',
  })
  documents!: DocumentIssuabilityView;
}

/** What publishing a version answers: where the log stands, and whether its documents can be issued as it is written. */
export class PublishReferentialOutcome extends CommandOutcome {
  @ApiProperty({ type: DocumentIssuabilityView, description: 'Reported at publication: the mandatory mentions (R15) the version does not state, if any' })
  documents!: DocumentIssuabilityView;
}
