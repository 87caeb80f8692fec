import { Actor } from '../shared/actor';
import { Protected } from '../shared/withheld';
import { AccommodationTerms } from './accommodation';
import { AccessRoute } from '../referential/referential.model';
import { Apprenticeship, CarriedBloc, IssuedDocument, RegistrationInitiative, VaeVoie } from './enrollment.commands';
import { ApplicableAccommodation, EnrollmentEvent, TimedPartSchedule } from './enrollment.events';

export interface AccommodationState {
  readonly id: string;
  readonly terms: Protected<AccommodationTerms>;
  readonly grantedAt: string;
  readonly endedAt?: string;
}

export interface SittingState {
  readonly id: string;
  readonly epreuveCode: string;
  readonly blocCode: string;
  readonly attempt: number;
  /** Its rank among the observations of an épreuve assessed continuously. */
  readonly observation?: number;
  readonly status: 'scheduled' | 'held' | 'assessed';
  readonly scheduledAt: string;
  readonly assessorIds: readonly string[];
  /** The capacity in which its assessors act (the épreuve's assessor kind). */
  readonly assessorKind?: string;
  readonly timedParts: readonly TimedPartSchedule[];
  readonly applicableAccommodations: readonly ApplicableAccommodation[];
  /** Set once held: the accommodations given at the sitting (R11). */
  readonly accommodationsApplied?: readonly string[];
  /** Set once held: when it took place. */
  readonly heldAt?: string;
  readonly assessmentId?: string;
}

export interface AssessmentState {
  readonly id: string;
  readonly sittingId: string;
  readonly epreuveCode: string;
  readonly blocCode: string;
  /** The capacity in which the assessor acted. */
  readonly capacity?: string;
  /** Criterion id → met, as last corrected. */
  readonly results: Readonly<Record<string, boolean>>;
  /** The last correction of it, if any: a corrected assessment is marked as such wherever it shows. */
  readonly correctedBy?: string;
  /** Criterion id → the correction that made it met, for the criteria met by a correction rather than as first assessed. */
  readonly metByCorrection?: Readonly<Record<string, string>>;
  /** Voided by the annulment of its bloc: it no longer counts for anything. */
  readonly voided: boolean;
}

export interface BlocState {
  readonly status: 'validatable' | 'validated' | 'annulled';
  readonly validatedAt?: string;
  readonly decidedBy?: 'jury' | 'automatic-rule' | 'transfer';
  readonly annulledAt?: string;
}

/** What every path holds, whatever its status. */
interface EnrollmentPath {
  readonly enrollmentId: string;
  readonly candidateId: string;
  readonly organisationId: string;
  readonly referentialId: string;
  readonly version: string;
  readonly cohort: string;
  readonly accessRoute: AccessRoute;
  readonly apprenticeship?: Apprenticeship;
  /** When the training or the contract started, where the enrollment states it. */
  readonly trainingStartDate?: string;
  readonly registrationInitiative?: RegistrationInitiative;
  readonly vaeVoie?: VaeVoie;
  readonly optionBlocs: readonly string[];
  readonly juryDisclosureConsent: boolean;
  readonly accommodations: Readonly<Record<string, AccommodationState>>;
  readonly sittings: Readonly<Record<string, SittingState>>;
  readonly assessments: Readonly<Record<string, AssessmentState>>;
  /** Competency code → when it was acquired. */
  readonly acquiredCompetencies: Readonly<Record<string, string>>;
  readonly blocs: Readonly<Record<string, BlocState>>;
  readonly extraRequirements: Readonly<Record<string, string>>;
  /** The final jury's last decision (R8); an award undone since by an annulment says so (`revoked`), the decision itself stays as taken. */
  readonly juryDecision?: {
    readonly decision: 'awarded' | 'refused' | 'deferred';
    readonly place: string;
    readonly reason?: string;
    readonly by: string;
    readonly at: string;
    readonly revoked?: { readonly at: string; readonly cause: 'bloc-annulled'; readonly blocCode: string };
  };
  /** Attestations and certificates issued, by number, with their revocation if any. */
  readonly documents: Readonly<Record<string, RecordedDocument>>;
}

/** A document as recorded: its current files' hashes, and its version once reissued (absent: 1). */
export type RecordedDocument = IssuedDocument & {
  readonly issuedAt: string;
  readonly version?: number;
  readonly reissuedAt?: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
};

/** Where the path went on when transferred (R13): the new enrollment, its version and the blocs carried. */
export interface TransferredTo {
  readonly enrollmentId: string;
  readonly referentialId: string;
  readonly version: string;
  readonly carriedBlocs: readonly CarriedBloc[];
  readonly optionBlocs: readonly string[];
  readonly by: Actor;
  readonly at: string;
}

/** The path goes on (a revoked certification reopens it). */
export interface OpenEnrollment extends EnrollmentPath {
  readonly status: 'open';
}

export interface CertifiedEnrollment extends EnrollmentPath {
  readonly status: 'certified';
  readonly awardedAt: string;
}

export interface WithdrawnEnrollment extends EnrollmentPath {
  readonly status: 'withdrawn';
}

export interface TransferredEnrollment extends EnrollmentPath {
  readonly status: 'transferred';
  readonly transferredTo: TransferredTo;
}

/** A path by its status, each with the fields that status has: `certified` its award, `transferred` where it went on. */
export type ActiveEnrollment = OpenEnrollment | CertifiedEnrollment | WithdrawnEnrollment | TransferredEnrollment;

export type EnrollmentState = { readonly status: 'none' } | ActiveEnrollment;

export const initialEnrollmentState = (): EnrollmentState => ({ status: 'none' });

const resultsOf = (results: readonly { criterion: string; met: boolean }[]) => Object.fromEntries(results.map((r) => [r.criterion, r.met]));

/** Folds one event into the state. Pure and total: every event type has its case. */
export function evolveEnrollment(state: EnrollmentState, event: EnrollmentEvent): EnrollmentState {
  if (event.type === 'CandidateEnrolled' || event.type === 'EnrolledByTransfer') {
    const d = event.data;
    const carried = event.type === 'EnrolledByTransfer' ? event.data.carriedBlocs : [];
    return {
      status: 'open',
      enrollmentId: d.enrollmentId,
      candidateId: d.candidateId,
      organisationId: d.organisationId,
      referentialId: d.referentialId,
      version: d.version,
      cohort: d.cohort,
      accessRoute: d.accessRoute,
      ...(d.apprenticeship ? { apprenticeship: d.apprenticeship } : {}),
      ...(d.trainingStartDate ? { trainingStartDate: d.trainingStartDate } : {}),
      ...(d.registrationInitiative ? { registrationInitiative: d.registrationInitiative } : {}),
      ...(d.vaeVoie ? { vaeVoie: d.vaeVoie } : {}),
      optionBlocs: d.optionBlocs,
      juryDisclosureConsent: false,
      accommodations: {},
      sittings: {},
      assessments: {},
      acquiredCompetencies: {},
      blocs: Object.fromEntries(carried.map((c) => [c.toBloc, { status: 'validated', validatedAt: c.validatedAt, decidedBy: 'transfer' } as BlocState])),
      extraRequirements: {},
      documents: {},
    };
  }
  if (state.status === 'none') return state;
  const s = state;
  switch (event.type) {
    case 'OptionChosen':
      return { ...s, optionBlocs: event.data.optionBlocs };
    case 'ApprenticeshipMasterChanged': {
      const { apprenticeship, reassignedSittings } = event.data;
      const sittings = { ...s.sittings };
      for (const id of reassignedSittings) if (sittings[id]) sittings[id] = { ...sittings[id], assessorIds: [apprenticeship.masterId] };
      return { ...s, apprenticeship, sittings };
    }
    case 'AccommodationGranted':
      return {
        ...s,
        accommodations: {
          ...s.accommodations,
          [event.data.accommodationId]: { id: event.data.accommodationId, terms: event.data.terms, grantedAt: event.data.at },
        },
      };
    case 'AccommodationAmended': {
      const current = s.accommodations[event.data.accommodationId];
      return { ...s, accommodations: { ...s.accommodations, [current.id]: { ...current, terms: event.data.terms } } };
    }
    case 'AccommodationEnded': {
      const current = s.accommodations[event.data.accommodationId];
      return { ...s, accommodations: { ...s.accommodations, [current.id]: { ...current, endedAt: event.data.at } } };
    }
    case 'JuryDisclosureConsentRecorded':
      return { ...s, juryDisclosureConsent: true };
    case 'JuryDisclosureConsentWithdrawn':
      return { ...s, juryDisclosureConsent: false };
    case 'SittingScheduled': {
      const d = event.data;
      const sitting: SittingState = {
        id: d.sittingId,
        epreuveCode: d.epreuveCode,
        blocCode: d.blocCode,
        attempt: d.attempt,
        ...(d.observation !== undefined ? { observation: d.observation } : {}),
        status: 'scheduled',
        scheduledAt: d.scheduledAt,
        assessorIds: d.assessorIds,
        ...(d.assessorKind !== undefined ? { assessorKind: d.assessorKind } : {}),
        timedParts: d.timedParts,
        applicableAccommodations: d.applicableAccommodations,
      };
      return { ...s, sittings: { ...s.sittings, [d.sittingId]: sitting } };
    }
    case 'SittingConditionsRevised': {
      const d = event.data;
      return {
        ...s,
        sittings: {
          ...s.sittings,
          [d.sittingId]: { ...s.sittings[d.sittingId], timedParts: d.timedParts, applicableAccommodations: d.applicableAccommodations },
        },
      };
    }
    case 'SittingHeld':
      return {
        ...s,
        sittings: {
          ...s.sittings,
          [event.data.sittingId]: {
            ...s.sittings[event.data.sittingId],
            status: 'held',
            accommodationsApplied: event.data.accommodationsApplied,
            heldAt: event.data.heldAt,
          },
        },
      };
    case 'AssessmentRecorded': {
      const d = event.data;
      const sitting = s.sittings[d.sittingId];
      return {
        ...s,
        sittings: { ...s.sittings, [d.sittingId]: { ...sitting, status: 'assessed', assessmentId: d.assessmentId } },
        assessments: {
          ...s.assessments,
          [d.assessmentId]: {
            id: d.assessmentId,
            sittingId: d.sittingId,
            epreuveCode: d.epreuveCode,
            blocCode: d.blocCode,
            ...(d.capacity !== undefined ? { capacity: d.capacity } : {}),
            results: resultsOf(d.results),
            voided: false,
          },
        },
      };
    }
    case 'AssessmentCorrected': {
      const current = s.assessments[event.data.assessmentId];
      const results = resultsOf(event.data.results);
      // A criterion the correction turned met is met by it; one met before stays met by what met it first.
      const metByCorrection: Record<string, string> = {};
      for (const [criterion, met] of Object.entries(results)) {
        if (!met) continue;
        const earlier = current.results[criterion] ? current.metByCorrection?.[criterion] : event.data.correctionId;
        if (earlier) metByCorrection[criterion] = earlier;
      }
      return { ...s, assessments: { ...s.assessments, [current.id]: { ...current, results, correctedBy: event.data.correctionId, metByCorrection } } };
    }
    case 'CompetencyAcquired':
      return { ...s, acquiredCompetencies: { ...s.acquiredCompetencies, [event.data.competencyCode]: event.data.at } };
    case 'CompetencyAcquisitionRevoked': {
      const { [event.data.competencyCode]: _revoked, ...rest } = s.acquiredCompetencies;
      return { ...s, acquiredCompetencies: rest };
    }
    case 'BlocBecameValidatable':
      return { ...s, blocs: { ...s.blocs, [event.data.blocCode]: { status: 'validatable' } } };
    case 'BlocNoLongerValidatable': {
      const { [event.data.blocCode]: _dropped, ...rest } = s.blocs;
      return { ...s, blocs: rest };
    }
    case 'BlocValidated':
      return { ...s, blocs: { ...s.blocs, [event.data.blocCode]: { status: 'validated', validatedAt: event.data.at, decidedBy: event.data.decidedBy } } };
    case 'BlocAnnulled': {
      const voided = new Set(event.data.voidedAssessments);
      const assessments = Object.fromEntries(Object.entries(s.assessments).map(([id, a]) => [id, voided.has(id) ? { ...a, voided: true } : a]));
      return { ...s, assessments, blocs: { ...s.blocs, [event.data.blocCode]: { status: 'annulled', annulledAt: event.data.at } } };
    }
    case 'ExtraRequirementValidated':
      return { ...s, extraRequirements: { ...s.extraRequirements, [event.data.requirementCode]: event.data.at } };
    case 'FinalJuryDecisionRecorded': {
      const { decision, place, reason, by, at } = event.data;
      return { ...s, juryDecision: { decision, place, ...(reason ? { reason } : {}), by: by.id, at } };
    }
    case 'CertificationAwarded':
      return { ...pathOf(s), status: 'certified', awardedAt: event.data.at };
    case 'CertificationRevoked':
      return {
        ...pathOf(s),
        status: 'open',
        ...(s.juryDecision
          ? { juryDecision: { ...s.juryDecision, revoked: { at: event.data.at, cause: event.data.cause, blocCode: event.data.blocCode } } }
          : {}),
      };
    case 'CandidateWithdrew':
      return { ...pathOf(s), status: 'withdrawn' };
    case 'DocumentIssued':
      return { ...s, documents: { ...s.documents, [event.data.document.number]: { ...event.data.document, issuedAt: event.data.at } } };
    case 'DocumentReissued': {
      const { number, version, pdfSha256, credentialSha256 } = event.data.reissue;
      const document = s.documents[number];
      return { ...s, documents: { ...s.documents, [number]: { ...document, version, pdfSha256, credentialSha256, reissuedAt: event.data.at } } };
    }
    case 'DocumentRevoked': {
      const document = s.documents[event.data.number];
      return {
        ...s,
        documents: { ...s.documents, [event.data.number]: { ...document, revokedAt: event.data.at, revocationReason: event.data.reasonCategory } },
      };
    }
    case 'EnrollmentTransferredOut':
      return {
        ...pathOf(s),
        status: 'transferred',
        transferredTo: {
          enrollmentId: event.data.toEnrollmentId,
          referentialId: event.data.toReferentialId,
          version: event.data.toVersion,
          carriedBlocs: event.data.carriedBlocs,
          optionBlocs: event.data.optionBlocs ?? [],
          by: event.data.by,
          at: event.data.at,
        },
      };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** What a path holds whatever its status: what a change of status starts from (the old status's own fields left behind). */
function pathOf(state: ActiveEnrollment): EnrollmentPath {
  const {
    status: _status,
    awardedAt: _awardedAt,
    transferredTo: _transferredTo,
    ...path
  } = state as ActiveEnrollment & { awardedAt?: string; transferredTo?: TransferredTo };
  return path;
}

export const foldEnrollment = (events: readonly EnrollmentEvent[]): EnrollmentState => events.reduce(evolveEnrollment, initialEnrollmentState());
