import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ACCESS_ROUTES, ACCOMMODATION_KINDS, CERTIFICATION_KINDS, ROLES } from '@jalon/domain';
import { orWithheld } from '../shared/withheld.responses.dto';
import { BLOC_STATUSES, PATH_STATUSES } from '@jalon/read-models';

/*
 * What the questions of PathsController answer (PathQueries, presentPath in @jalon/read-models,
 * accommodationsAsSeenBy in @jalon/domain), as OpenAPI schemas. Optional members are those the
 * answer leaves out when they do not apply.
 */

const SITTING_STATUSES = ['scheduled', 'held', 'assessed'] as const;
const DECIDERS = ['jury', 'automatic-rule', 'transfer'] as const;

export class ActorView {
  @ApiProperty({ example: 'jury-1' }) id!: string;
  @ApiProperty({ enum: [...ROLES] }) role!: string;
}

// ---- The path (GET /enrollments/{id}) ----

export class CertificationView {
  @ApiProperty({ example: 'expert-ingenierie-science-donnees' }) referentialId!: string;
  @ApiProperty({ example: '1' }) version!: string;
  @ApiProperty({ enum: CERTIFICATION_KINDS, description: 'titre, certification professionnelle, diplôme, CQP or RS certification' }) kind!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ example: 'RNCP12345', description: 'Only where the référentiel states it' }) rncpCode?: string;
  @ApiPropertyOptional({ example: 'RS5678' }) rsCode?: string;
  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'National level, where the référentiel states it' }) level?: number;
  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'European (EQF/CEC) level, where stated' }) eqfLevel?: number;
  @ApiPropertyOptional({ description: 'Where the référentiel names it' }) certifier?: string;
}

export class ApprenticeshipView {
  @ApiProperty({ description: "The maître d'apprentissage's user id" }) masterId!: string;
  @ApiProperty() company!: string;
}

export class OptionView {
  @ApiProperty({ example: 'BC04' }) bloc!: string;
  @ApiPropertyOptional({ example: 'Data Engineering' }) label?: string;
}

export class CompetencyAssessmentView {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ example: 'BC01-E1' }) epreuve!: string;
  @ApiProperty({ type: 'integer', example: 1 }) attempt!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Its rank among the observations of an épreuve assessed over the training' }) observation?: number;
  @ApiProperty({ description: 'Every criterion of the épreuve met (as last corrected): false for a failed attempt' }) passed!: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'When its sitting was held' }) heldAt?: string;
  @ApiPropertyOptional({ example: 'maitre-apprentissage', description: 'The capacity in which the assessor acted' }) capacity?: string;
  @ApiProperty({ type: 'integer', description: 'Criteria bearing on the competency that were met' }) criteriaMet!: number;
  @ApiProperty({ type: 'integer', description: 'Criteria of the assessment bearing on the competency' }) criteria!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The last correction of the assessment: the counts are its corrected results' }) correctedBy?: string;
  @ApiPropertyOptional({ enum: [true], description: 'Voided by the annulment of its bloc: shown, but it no longer counts towards any competency' })
  voided?: true;
}

export class CompetencyView {
  @ApiProperty({ example: 'C1.1' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() acquired!: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) acquiredAt?: string;
  @ApiProperty({ type: [CompetencyAssessmentView], description: 'The assessments bearing on it, voided ones marked' }) assessments!: CompetencyAssessmentView[];
}

export class BlocView {
  @ApiProperty({ example: 'BC01' }) code!: string;
  @ApiPropertyOptional({ description: 'Absent where the référentiel gives the bloc no title: show it by its code' }) title?: string;
  @ApiProperty({ enum: BLOC_STATUSES }) status!: string;
  @ApiProperty({ description: 'Whether the path needs it (a bloc of an option not chosen does not)' }) required!: boolean;
  @ApiPropertyOptional({ example: 'SPECIALISATION' }) optionGroup?: string;
  @ApiPropertyOptional({ format: 'date-time' }) validatedAt?: string;
  @ApiPropertyOptional({ enum: DECIDERS, description: 'With validatedAt: who decided' }) decidedBy?: string;
  @ApiProperty({ type: [CompetencyView] }) competencies!: CompetencyView[];
}

export class SittingTimedPartView {
  @ApiProperty({ example: 'ORAL' }) code!: string;
  @ApiProperty({ type: 'integer' }) baseDurationMinutes!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'With the accommodations in force; only for readers who may know of an extra time (R14)' })
  effectiveDurationMinutes?: number;
}

export class SittingView {
  @ApiProperty({ format: 'uuid' }) sittingId!: string;
  @ApiProperty() epreuve!: string;
  @ApiProperty() bloc!: string;
  @ApiProperty({ type: 'integer' }) attempt!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Its rank among the observations of an épreuve assessed over the training (not a retake)' })
  observation?: number;
  @ApiProperty({ enum: SITTING_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) heldAt?: string;
  @ApiProperty({ type: [String] }) assessors!: string[];
  @ApiPropertyOptional({ example: 'maitre-apprentissage', description: 'The capacity in which they assess' }) assessorKind?: string;
  @ApiProperty({ type: [SittingTimedPartView] }) timedParts!: SittingTimedPartView[];
}

export class ExtraRequirementView {
  @ApiProperty({ example: 'PROJET-FIL-ROUGE' }) code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() validated!: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) validatedAt?: string;
}

export class MissingOptionGroupView {
  @ApiProperty({ example: 'SPECIALISATION' }) group!: string;
  @ApiProperty({ type: 'integer', description: 'How many blocs of the group are still to choose' }) missing!: number;
}

export class OwedEpreuvesView {
  @ApiProperty({ example: 'BC01' }) bloc!: string;
  @ApiProperty({ type: [String], description: 'Still owed (any one of them, where the référentiel says one suffices)' }) epreuves!: string[];
}

export class MissingView {
  @ApiProperty({ type: [String], description: 'Required blocs not validated' }) blocs!: string[];
  @ApiProperty({ type: [MissingOptionGroupView] }) optionGroups!: MissingOptionGroupView[];
  @ApiProperty({ type: [String] }) extraRequirements!: string[];
  @ApiProperty({ type: [OwedEpreuvesView], description: 'For each bloc not yet validatable, the épreuves still owed' }) epreuves!: OwedEpreuvesView[];
}

export class TransferredToView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty() referentialId!: string;
  @ApiProperty() version!: string;
}

export class JuryDecisionRevocationView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['bloc-annulled'] }) cause!: string;
  @ApiProperty() blocCode!: string;
}

export class JuryDecisionView {
  @ApiProperty({ enum: ['awarded', 'refused', 'deferred'] }) decision!: string;
  @ApiProperty() place!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ description: 'The jury member' }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ type: JuryDecisionRevocationView, description: 'An award undone since by an annulment' }) revoked?: JuryDecisionRevocationView;
}

/** A document issued on a path (also what GET /enrollments/{id}/documents lists). */
export class IssuedDocumentView {
  @ApiProperty({ example: 'JAL-A-0000000000A' }) number!: string;
  @ApiProperty({ enum: ['attestation', 'certificate'] }) kind!: string;
  @ApiPropertyOptional({ description: 'An attestation’s bloc' }) blocCode?: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: string;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
  @ApiPropertyOptional({ example: 'bloc-annulled' }) revocationReason?: string;
}

/** A decision whose document will never be issued: its holder's personal data was erased first (R14). */
export class NotIssuedDocumentView {
  @ApiProperty({ enum: ['attestation', 'certificate'] }) kind!: string;
  @ApiPropertyOptional() blocCode?: string;
  @ApiProperty({ format: 'date-time', description: 'When the bloc was validated, the certification awarded' }) decidedAt!: string;
  @ApiProperty({ enum: ['not-issued'] }) status!: string;
  @ApiProperty({ enum: ['holder-erased'] }) reason!: string;
}

// ---- What a reader may know of the accommodations (R14, R10): one of five views ----

export class ExtraTimeView {
  @ApiProperty({ type: 'integer', example: 1 }) numerator!: number;
  @ApiProperty({ type: 'integer', example: 3 }) denominator!: number;
}

export class AccommodationScopeView {
  @ApiProperty({ description: 'Every épreuve, or only those listed' }) all!: boolean;
  @ApiPropertyOptional({ type: [String], description: 'When not all' }) epreuves?: string[];
}

/** A measure as the jury may see it with consent: the terms without their free-text details. */
export class AccommodationMeasureView {
  @ApiProperty({ enum: [...ACCOMMODATION_KINDS] }) kind!: string;
  @ApiPropertyOptional({ type: ExtraTimeView }) extraTime?: ExtraTimeView;
  @ApiProperty({ type: AccommodationScopeView }) scope!: AccommodationScopeView;
  @ApiProperty({ example: '2026-09-01' }) validFrom!: string;
  @ApiPropertyOptional({ example: '2027-06-30' }) validUntil?: string;
}

export class AccommodationTermsView extends AccommodationMeasureView {
  @ApiPropertyOptional({ description: 'Free-text practical details (sensitive)' }) details?: string;
}

export class FullAccommodationView {
  @ApiProperty({ format: 'uuid' }) accommodationId!: string;
  @ApiProperty(orWithheld({ $ref: getSchemaPath(AccommodationTermsView) }, 'The terms, or withheld once erased')) terms!: unknown;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) endedAt?: string;
}

export class FullAccommodationsView {
  @ApiProperty({ enum: ['full'], description: 'The referent, and the candidate about themselves' }) view!: 'full';
  @ApiProperty() juryDisclosureConsent!: boolean;
  @ApiProperty({ type: [FullAccommodationView] }) accommodations!: FullAccommodationView[];
}

export class MeasureToApplyView {
  @ApiProperty({ format: 'uuid', description: 'The measure, to record it given or not when the sitting is recorded held' }) accommodationId!: string;
  @ApiProperty({ enum: [...ACCOMMODATION_KINDS] }) kind!: string;
  @ApiProperty({ description: 'What the assessor does, in the words of the exam room' }) instruction!: string;
}

export class SittingToApplyTimedPartView {
  @ApiProperty() code!: string;
  @ApiProperty({ type: 'integer' }) durationMinutes!: number;
}

export class SittingToApplyView {
  @ApiProperty({ format: 'uuid' }) sittingId!: string;
  @ApiProperty() epreuve!: string;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty({ type: [SittingToApplyTimedPartView] }) timedParts!: SittingToApplyTimedPartView[];
  @ApiProperty({ type: 'array', items: orWithheld({ $ref: getSchemaPath(MeasureToApplyView) }, 'A measure to apply') }) measures!: unknown[];
}

export class ToApplyAccommodationsView {
  @ApiProperty({ enum: ['to-apply'], description: 'An assessor: what to do at each of their sittings, no reasons' }) view!: 'to-apply';
  @ApiProperty({ type: [SittingToApplyView] }) sittings!: SittingToApplyView[];
}

export class ConsentedAccommodationView {
  @ApiProperty({ format: 'uuid' }) accommodationId!: string;
  @ApiProperty(orWithheld({ $ref: getSchemaPath(AccommodationMeasureView) }, 'The measure without its details')) measure!: unknown;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) endedAt?: string;
}

export class ConsentedAccommodationsView {
  @ApiProperty({ enum: ['consented'], description: 'The jury, once the candidate consented (R10)' }) view!: 'consented';
  @ApiProperty({ type: [ConsentedAccommodationView] }) accommodations!: ConsentedAccommodationView[];
}

export class AccommodationKindView {
  @ApiProperty({ format: 'uuid' }) accommodationId!: string;
  @ApiProperty(orWithheld({ type: 'string', enum: [...ACCOMMODATION_KINDS] }, 'The kind of measure')) kind!: unknown;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) endedAt?: string;
  @ApiProperty({ type: [String], description: 'Sittings where it was applied' }) appliedAt!: string[];
  @ApiProperty({ type: [String], description: 'Sittings where it was due and not applied' }) notAppliedAt!: string[];
}

export class KindsAccommodationsView {
  @ApiProperty({ enum: ['kinds'], description: 'An auditor: the kinds granted, and where applied or not' }) view!: 'kinds';
  @ApiProperty({ type: [AccommodationKindView] }) accommodations!: AccommodationKindView[];
}

export class NoAccommodationsView {
  @ApiProperty({ enum: ['none'], description: 'Everyone else, and the jury without consent (not even told whether there is anything)' }) view!: 'none';
}

/** The five views, for `@ApiExtraModels` and `oneOf`. */
export const ACCOMMODATIONS_VIEWS = [
  FullAccommodationsView,
  ToApplyAccommodationsView,
  ConsentedAccommodationsView,
  KindsAccommodationsView,
  NoAccommodationsView,
];
const accommodationsProperty = {
  oneOf: ACCOMMODATIONS_VIEWS.map((view) => ({ $ref: getSchemaPath(view) })),
  description: 'What this reader may know of the accommodations, by `view`: full, to-apply, consented, kinds or none',
};

export class PathView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ format: 'uuid' }) candidateId!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty({ type: CertificationView }) certification!: CertificationView;
  @ApiProperty({ example: '2026-A' }) cohort!: string;
  @ApiProperty({ enum: [...ACCESS_ROUTES] }) accessRoute!: string;
  @ApiPropertyOptional({ type: ApprenticeshipView }) apprenticeship?: ApprenticeshipView;
  @ApiPropertyOptional({ example: '2025-09-01', description: 'When the training or the contract started' }) trainingStartDate?: string;
  @ApiProperty({ type: [OptionView], description: 'The option blocs chosen' }) options!: OptionView[];
  @ApiProperty({ enum: PATH_STATUSES, description: '"eligible": ready for the final jury' }) status!: string;
  @ApiProperty({ type: [BlocView], description: 'Every bloc of the version, in its order' }) blocs!: BlocView[];
  @ApiProperty({ type: [SittingView], description: 'Effective durations only where this reader may know of an extra time (R14)' }) sittings!: SittingView[];
  @ApiProperty({ type: [ExtraRequirementView] }) extraRequirements!: ExtraRequirementView[];
  @ApiProperty({ type: MissingView, description: 'What the certification still needs' }) missing!: MissingView;
  @ApiPropertyOptional({ type: TransferredToView, description: 'Where a transferred path goes on (R13)' }) transferredTo?: TransferredToView;
  @ApiPropertyOptional({ type: JuryDecisionView, description: 'The final jury’s last decision' }) juryDecision?: JuryDecisionView;
  @ApiPropertyOptional({ format: 'date-time' }) awardedAt?: string;
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(IssuedDocumentView) }, { $ref: getSchemaPath(NotIssuedDocumentView) }] },
    description: 'Documents issued, oldest first; once the holder’s personal data is erased, then each decision whose document will never be issued',
  })
  documents!: unknown[];
  @ApiPropertyOptional({ format: 'date-time', description: 'When the holder’s personal data was erased (R14)' }) personalDataErasedAt?: string;
  @ApiProperty(accommodationsProperty) accommodations!: unknown;
}

/** GET /enrollments/{id}/as-of: the path as it stood, and up to where the log was read. */
export class PathAsOfView extends PathView {
  @ApiProperty({ format: 'date-time', description: 'The instant looked back to' }) asOf!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '1042-5531', description: 'Position of the last event known then' }) position!: string | null;
}

// ---- The list (GET /enrollments) ----

export class EnrollmentListBlocView {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: BLOC_STATUSES }) status!: string;
  @ApiProperty() required!: boolean;
}

export class EnrollmentListItem {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ format: 'uuid' }) candidateId!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty() referentialId!: string;
  @ApiProperty() version!: string;
  @ApiProperty() cohort!: string;
  @ApiProperty({ enum: [...ACCESS_ROUTES] }) accessRoute!: string;
  @ApiProperty({ enum: PATH_STATUSES }) status!: string;
  @ApiProperty({ type: [String] }) optionBlocs!: string[];
  @ApiProperty({ type: [EnrollmentListBlocView] }) blocs!: EnrollmentListBlocView[];
  @ApiProperty({ type: [String] }) missingBlocs!: string[];
  @ApiProperty({ format: 'date-time' }) enrolledAt!: string;
  @ApiProperty({ format: 'date-time' }) lastProgressAt!: string;
}

export class EnrollmentListPage {
  @ApiProperty({ type: 'integer', description: 'Enrollments matching the filters, all pages' }) total!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize!: number;
  @ApiProperty({ type: [EnrollmentListItem] }) items!: EnrollmentListItem[];
}

// ---- Cohort statistics ----

export class BlocStatisticsView {
  @ApiProperty({ example: 'BC01' }) bloc!: string;
  @ApiProperty({ type: 'integer', description: 'Paths of the cohort that need the bloc' }) candidates!: number;
  @ApiProperty({ type: 'integer' }) validated!: number;
  @ApiProperty({ type: 'integer' }) inProgress!: number;
  @ApiProperty({ type: 'integer' }) notStarted!: number;
  @ApiProperty({ type: 'integer' }) annulled!: number;
  @ApiProperty({ type: 'integer', description: 'Withdrawn without the bloc validated' }) withdrawn!: number;
  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 41.5,
    description:
      'Median days to validation, to a tenth, counted from the training or contract start where the enrollment states it (else from the enrollment); null when none validated',
  })
  medianDaysToValidation!: number | null;
}

export class CohortStatisticsView {
  @ApiProperty() referentialId!: string;
  @ApiProperty() version!: string;
  @ApiPropertyOptional({ description: 'When asked for one cohort' }) cohort?: string;
  @ApiProperty({ type: [BlocStatisticsView], description: 'Per required bloc' }) blocs!: BlocStatisticsView[];
}

// ---- Findings ----

export class UnappliedAccommodationFinding {
  @ApiProperty({ enum: ['accommodation-granted-not-applied'] }) finding!: string;
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty() referentialId!: string;
  @ApiProperty() version!: string;
  @ApiProperty() cohort!: string;
  @ApiProperty({ format: 'uuid' }) sittingId!: string;
  @ApiProperty() epreuve!: string;
  @ApiProperty({ format: 'uuid' }) accommodationId!: string;
  @ApiProperty({ format: 'date-time' }) heldAt!: string;
  @ApiProperty({ format: 'uuid', description: 'The SittingHeld event' }) eventId!: string;
  @ApiProperty({ example: '1042-5531' }) position!: string;
}

// ---- Provenance ----

export class ProvenanceBlocView {
  @ApiProperty() code!: string;
  @ApiPropertyOptional({ description: 'Absent where the référentiel gives the bloc no title' }) title?: string;
  @ApiProperty({ enum: ['validatable', 'validated', 'annulled', 'not-validated'] }) status!: string;
}

export class ValidationPolicyView {
  @ApiProperty({ enum: ['jury', 'automatic'] }) blocValidation!: string;
  @ApiProperty({ enum: ['all-criteria-met'] }) competencyAcquisition!: string;
}

export class ProvenanceCompetencyView {
  @ApiProperty() code!: string;
  @ApiProperty({ type: [String], description: 'The criteria bearing on it' }) criteria!: string[];
}

export class ProvenanceReferentialView {
  @ApiProperty() referentialId!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ type: ValidationPolicyView }) validationPolicy!: ValidationPolicyView;
  @ApiProperty({ enum: ['all-competencies-acquired'], description: 'The rule that grants the bloc' }) rule!: string;
  @ApiProperty({ type: [ProvenanceCompetencyView] }) competencies!: ProvenanceCompetencyView[];
}

/** Where a fact is in the log: every provenance item starts with it. */
export class EventTraceView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: '1042-5531' }) position!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ example: 'BlocValidated', description: 'The event type' }) type!: string;
}

export class AccommodationHistoryItem extends EventTraceView {
  @ApiProperty({ format: 'uuid' }) accommodationId!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

@ApiSchema({
  description:
    'A fact bearing on the bloc, with its trace; the other members follow `type`: SittingScheduled (sittingId, epreuve, attempt, observation, scheduledAt, assessors, assessorKind: the capacity in which they assess, timedParts, accommodationsApplicable, by, at), SittingHeld (sittingId, heldAt, timedParts, accommodationsApplied, accommodationsNotApplied, by, at), AssessmentRecorded (assessmentId, sittingId, epreuve, attempt, results as first assessed, passed, assessor, capacity: in which the assessor acted, at, and correctedBy: the corrections of it since), AssessmentCorrected (correctionId, corrects, results, reason, by, capacity, at), CompetencyAcquired (its evidence: for each criterion the assessment, and the correction that made it met if one did), CompetencyAcquisitionRevoked and the Bloc* events (their data), ApprenticeshipMasterChanged, where the bloc has épreuves the maître d’apprentissage assesses (apprenticeship: the new master and company, previous, reason, reassignedSittings: the bloc’s sittings handed to the new master, by, at), EnrolledByTransfer (carriedFrom, by, at), DocumentIssued (number, decisionEventId, pdfSha256, credentialSha256, by, at), DocumentReissued (number, version, pdfSha256, credentialSha256, reason, by, at: the attestation rendered again under its number), DocumentRevoked (number, reasonCategory, by, at). Durations and accommodation ids only for readers who may know (R14).',
})
export class ProvenanceHistoryItem extends EventTraceView {}

export class ProvenanceAttestationView {
  @ApiProperty() number!: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ format: 'uuid', description: 'The BlocValidated event it records' }) decisionEventId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() position!: string;
  @ApiProperty({ example: '/verifications/JAL-A-0000000000A' }) verification!: string;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
  @ApiPropertyOptional() revocationReason?: string;
  @ApiPropertyOptional({ format: 'uuid' }) revocationEventId?: string;
  @ApiPropertyOptional({ type: 'integer', example: 2, description: 'Once reissued: the version verified from then on' }) version?: number;
  @ApiPropertyOptional({ format: 'date-time' }) reissuedAt?: string;
}

export class ProvenanceView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ type: ProvenanceBlocView }) bloc!: ProvenanceBlocView;
  @ApiProperty({ type: ProvenanceReferentialView, description: 'The version and the rule the bloc was granted under' }) referential!: ProvenanceReferentialView;
  @ApiProperty(accommodationsProperty) accommodations!: unknown;
  @ApiProperty({
    type: [AccommodationHistoryItem],
    description: 'Grants, amendments and ends of the measures that applied to the bloc’s sittings (facts only)',
  })
  accommodationHistory!: AccommodationHistoryItem[];
  @ApiProperty({ type: [ProvenanceHistoryItem], description: 'Every fact bearing on the bloc, in the log’s order' }) history!: ProvenanceHistoryItem[];
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(ProvenanceAttestationView) }, { $ref: getSchemaPath(NotIssuedDocumentView) }] },
    description:
      'Each attestation issued for the bloc and whether it still stands; then, its holder’s personal data erased, the decision whose attestation will never be issued',
  })
  attestations!: unknown[];
}

/** Every model reached only through a `oneOf`: the controllers list them in `@ApiExtraModels`. */
export const PATH_EXTRA_MODELS = [
  ...ACCOMMODATIONS_VIEWS,
  AccommodationTermsView,
  AccommodationMeasureView,
  MeasureToApplyView,
  IssuedDocumentView,
  NotIssuedDocumentView,
  ProvenanceAttestationView,
];
