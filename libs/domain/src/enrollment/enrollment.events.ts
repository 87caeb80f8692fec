import { Actor } from '../shared/actor';
import { Protected } from '../shared/withheld';
import { AccommodationKind, AccommodationTerms } from './accommodation';
import { AccessRoute } from '../referential/referential.model';
import {
  AnnulmentReason,
  Apprenticeship,
  CarriedBloc,
  EnrollmentParticulars,
  CriterionResult,
  DocumentReissue,
  IssuedDocument,
  RevocationReason,
  SittingMode,
} from './enrollment.commands';

/** Every event says who did it and when. */
interface EventBase {
  readonly by: Actor;
  readonly at: string;
}

export interface TimedPartSchedule {
  readonly code: string;
  readonly baseDurationMinutes: number;
  readonly effectiveDurationMinutes: number;
}

/** An accommodation that applies to a sitting, as it stood when it was scheduled. */
export interface ApplicableAccommodation {
  readonly accommodationId: string;
  readonly kind: Protected<AccommodationKind>;
}

/**
 * On what a bloc is validated: every competency acquired on the evidence, or (where the référentiel
 * leaves it to the jury) the results gathered, nothing owed, for the jury to weigh.
 */
export type BlocValidationRule = 'all-competencies-acquired' | 'jury-weighs';

/** Which assessment(s) made each criterion of a competency met: what an auditor traces. */
export interface CriterionEvidence {
  readonly criterion: string;
  readonly assessmentId: string;
  /** The correction of that assessment that made the criterion met, when it was not met as first assessed. */
  readonly correctionId?: string;
}

export type EnrollmentEvent =
  | {
      readonly type: 'CandidateEnrolled';
      readonly data: EventBase & {
        enrollmentId: string;
        candidateId: string;
        organisationId: string;
        referentialId: string;
        version: string;
        cohort: string;
        accessRoute: AccessRoute;
        optionBlocs: readonly string[];
      } & EnrollmentParticulars;
    }
  | {
      readonly type: 'EnrolledByTransfer';
      readonly data: EventBase & {
        enrollmentId: string;
        fromEnrollmentId: string;
        fromVersion: string;
        candidateId: string;
        organisationId: string;
        referentialId: string;
        version: string;
        cohort: string;
        accessRoute: AccessRoute;
        optionBlocs: readonly string[];
        carriedBlocs: readonly CarriedBloc[];
      } & EnrollmentParticulars;
    }
  | { readonly type: 'OptionChosen'; readonly data: EventBase & { optionBlocs: readonly string[]; previousOptionBlocs: readonly string[] } }
  // From this event on, the épreuves the maître d'apprentissage assesses are the new one's: the
  // sittings of those épreuves not yet assessed are reassigned to them; assessments already recorded stay as they are.
  | {
      readonly type: 'ApprenticeshipMasterChanged';
      readonly data: EventBase & {
        apprenticeship: Apprenticeship;
        /** The maître d'apprentissage and company named until then (absent where the enrollment named none). */
        previous?: Apprenticeship;
        reason: string;
        /** The sittings of épreuves the maître d'apprentissage assesses, not yet assessed, now assigned to the new one alone. */
        reassignedSittings: readonly string[];
      };
    }
  | { readonly type: 'AccommodationGranted'; readonly data: EventBase & { accommodationId: string; terms: Protected<AccommodationTerms> } }
  | {
      readonly type: 'AccommodationAmended';
      readonly data: EventBase & { accommodationId: string; terms: Protected<AccommodationTerms>; reason: Protected<string> };
    }
  | { readonly type: 'AccommodationEnded'; readonly data: EventBase & { accommodationId: string; reason: Protected<string> } }
  | { readonly type: 'JuryDisclosureConsentRecorded'; readonly data: EventBase & { note?: Protected<string> } }
  | { readonly type: 'JuryDisclosureConsentWithdrawn'; readonly data: EventBase & { note?: Protected<string> } }
  | {
      readonly type: 'SittingScheduled';
      readonly data: EventBase & {
        sittingId: string;
        epreuveCode: string;
        blocCode: string;
        /** 1 for every observation of an épreuve assessed continuously: observations are not retakes (R12). */
        attempt: number;
        /** The observation's rank, for an épreuve assessed through observations over the training. */
        observation?: number;
        scheduledAt: string;
        assessorIds: readonly string[];
        /** The capacity in which the assessors act: the épreuve's assessor kind (absent on sittings scheduled before it was recorded). */
        assessorKind?: string;
        timedParts: readonly TimedPartSchedule[];
        applicableAccommodations: readonly ApplicableAccommodation[];
      };
    }
  // R11: an accommodation granted, amended or ended after a sitting was scheduled, and before it is held, changes what that sitting owes.
  | {
      readonly type: 'SittingConditionsRevised';
      readonly data: EventBase & {
        sittingId: string;
        timedParts: readonly TimedPartSchedule[];
        applicableAccommodations: readonly ApplicableAccommodation[];
        cause: { accommodationId: string; change: 'granted' | 'amended' | 'ended' };
      };
    }
  | {
      readonly type: 'SittingHeld';
      readonly data: EventBase & {
        sittingId: string;
        heldAt: string;
        timedParts: readonly { code: string; scheduledMinutes: number; actualDurationMinutes: number }[];
        accommodationsApplied: readonly string[];
        accommodationsNotApplied: readonly ApplicableAccommodation[];
        /** On site or at a distance, where the admin said (absent on sittings recorded before it was asked). */
        mode?: SittingMode;
      };
    }
  | {
      readonly type: 'AssessmentRecorded';
      readonly data: EventBase & {
        assessmentId: string;
        sittingId: string;
        epreuveCode: string;
        blocCode: string;
        attempt: number;
        results: readonly CriterionResult[];
        passed: boolean;
        /** The capacity in which the assessor acted (absent on assessments recorded before it was). */
        capacity?: string;
      };
    }
  | {
      readonly type: 'AssessmentCorrected';
      readonly data: EventBase & {
        correctionId: string;
        assessmentId: string;
        results: readonly CriterionResult[];
        reason: string;
        passed: boolean;
        /** `jury`, or the assessor kind of the sitting's assessor who corrected it. */
        capacity?: string;
      };
    }
  | {
      readonly type: 'CompetencyAcquired';
      /** `jury-weighed`: acquired by the jury's validation of the bloc, on the results it weighed. */
      readonly data: EventBase & {
        competencyCode: string;
        blocCode: string;
        rule: 'all-criteria-met' | 'jury-weighed';
        evidence: readonly CriterionEvidence[];
      };
    }
  | {
      readonly type: 'CompetencyAcquisitionRevoked';
      readonly data: EventBase & { competencyCode: string; blocCode: string; cause: 'assessment-corrected' | 'bloc-annulled' | 'later-observation' };
    }
  | {
      readonly type: 'BlocBecameValidatable';
      readonly data: EventBase & { blocCode: string; rule: BlocValidationRule; competencies: readonly string[] };
    }
  | { readonly type: 'BlocNoLongerValidatable'; readonly data: EventBase & { blocCode: string; missingCompetencies: readonly string[] } }
  | {
      readonly type: 'BlocValidated';
      readonly data: EventBase & {
        blocCode: string;
        decidedBy: 'jury' | 'automatic-rule';
        rule: BlocValidationRule;
        competencies: readonly string[];
        assessments: readonly string[];
      };
    }
  | {
      readonly type: 'BlocAnnulled';
      readonly data: EventBase & { blocCode: string; reason: AnnulmentReason; details: string; voidedAssessments: readonly string[] };
    }
  | { readonly type: 'ExtraRequirementValidated'; readonly data: EventBase & { requirementCode: string } }
  | { readonly type: 'FinalJuryDecisionRecorded'; readonly data: EventBase & { decision: 'awarded' | 'refused' | 'deferred'; place: string; reason?: string } }
  | {
      readonly type: 'CertificationAwarded';
      readonly data: EventBase & {
        referentialId: string;
        version: string;
        optionBlocs: readonly string[];
        blocs: readonly string[];
        extraRequirements: readonly string[];
        place: string;
      };
    }
  | { readonly type: 'CertificationRevoked'; readonly data: EventBase & { cause: 'bloc-annulled'; blocCode: string } }
  | { readonly type: 'CandidateWithdrew'; readonly data: EventBase & { reason: string } }
  | { readonly type: 'DocumentIssued'; readonly data: EventBase & { document: IssuedDocument } }
  | { readonly type: 'DocumentRevoked'; readonly data: EventBase & { number: string; kind: 'attestation' | 'certificate'; reasonCategory: RevocationReason } }
  | { readonly type: 'DocumentReissued'; readonly data: EventBase & { reissue: DocumentReissue } }
  // optionBlocs: the new enrollment's option, so that the transfer can be completed from this event alone (absent before it was recorded: none).
  | {
      readonly type: 'EnrollmentTransferredOut';
      readonly data: EventBase & {
        toEnrollmentId: string;
        toReferentialId: string;
        toVersion: string;
        carriedBlocs: readonly CarriedBloc[];
        optionBlocs?: readonly string[];
      };
    };

export type EnrollmentEventType = EnrollmentEvent['type'];
export type EventOf<T extends EnrollmentEventType> = Extract<EnrollmentEvent, { type: T }>;

/** Every enrollment event type, for readers that fold them all (the compiler keeps the list whole). */
export const ENROLLMENT_EVENT_TYPES = Object.keys({
  CandidateEnrolled: true,
  EnrolledByTransfer: true,
  OptionChosen: true,
  ApprenticeshipMasterChanged: true,
  AccommodationGranted: true,
  AccommodationAmended: true,
  AccommodationEnded: true,
  JuryDisclosureConsentRecorded: true,
  JuryDisclosureConsentWithdrawn: true,
  SittingScheduled: true,
  SittingConditionsRevised: true,
  SittingHeld: true,
  AssessmentRecorded: true,
  AssessmentCorrected: true,
  CompetencyAcquired: true,
  CompetencyAcquisitionRevoked: true,
  BlocBecameValidatable: true,
  BlocNoLongerValidatable: true,
  BlocValidated: true,
  BlocAnnulled: true,
  ExtraRequirementValidated: true,
  FinalJuryDecisionRecorded: true,
  CertificationAwarded: true,
  CertificationRevoked: true,
  CandidateWithdrew: true,
  DocumentIssued: true,
  DocumentRevoked: true,
  DocumentReissued: true,
  EnrollmentTransferredOut: true,
} satisfies { readonly [Type in EnrollmentEvent['type']]: true }) as EnrollmentEvent['type'][];
