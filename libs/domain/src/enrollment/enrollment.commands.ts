import { Actor } from '../shared/actor';
import { AccessRoute } from '../referential/referential.model';
import { AccommodationTerms } from './accommodation';

/** Every command says who acts and when: the clock is an input, never read inside the domain. */
interface CommandBase {
  readonly by: Actor;
  readonly now: string;
}

export interface CriterionResult {
  readonly criterion: string;
  readonly met: boolean;
  readonly comment?: string;
}

export interface TimedPartConditions {
  readonly code: string;
  readonly actualDurationMinutes: number;
}

/** The candidate's maître d'apprentissage (a user of the school's provider) and the company where they train. */
export interface Apprenticeship {
  readonly masterId: string;
  readonly company: string;
}

/** Who took the initiative of the registration, as the accrochage declares it (France Travail: Pôle emploi before 2024). */
export const REGISTRATION_INITIATIVES = ['candidate', 'training-organisation', 'france-travail', 'employer', 'other'] as const;
export type RegistrationInitiative = (typeof REGISTRATION_INITIATIVES)[number];

/** How a VAE is undertaken: on a congé VAE, or alongside work. */
export const VAE_VOIES = ['conge-vae', 'vae-classique'] as const;
export type VaeVoie = (typeof VAE_VOIES)[number];

/** How a sitting was held: on site, or at a distance (the accrochage's `modalitePassageExamen`). */
export const SITTING_MODES = ['on-site', 'distance'] as const;
export type SittingMode = (typeof SITTING_MODES)[number];

/** What an enrollment may state beyond its route: its apprenticeship, and when its training or contract started. */
export interface EnrollmentParticulars {
  readonly apprenticeship?: Apprenticeship;
  /** YYYY-MM-DD: the start of the training or of the contract; statistics count from it. */
  readonly trainingStartDate?: string;
  /** Who took the initiative of the registration (declared in the accrochage). */
  readonly registrationInitiative?: RegistrationInitiative;
  /** On the VAE route: how the VAE is undertaken (declared in the accrochage). */
  readonly vaeVoie?: VaeVoie;
}

export interface BlocCorrespondence {
  readonly fromBloc: string;
  readonly toBloc: string;
}

export type EnrollmentCommand =
  | {
      readonly type: 'Enroll';
      readonly data: CommandBase & {
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
  | { readonly type: 'ChooseOption'; readonly data: CommandBase & { optionBlocs: readonly string[] } }
  | { readonly type: 'ChangeApprenticeshipMaster'; readonly data: CommandBase & { apprenticeship: Apprenticeship; reason: string } }
  | { readonly type: 'GrantAccommodation'; readonly data: CommandBase & { accommodationId: string; terms: AccommodationTerms } }
  | { readonly type: 'AmendAccommodation'; readonly data: CommandBase & { accommodationId: string; terms: AccommodationTerms; reason: string } }
  | { readonly type: 'EndAccommodation'; readonly data: CommandBase & { accommodationId: string; reason: string } }
  | { readonly type: 'RecordJuryDisclosureConsent'; readonly data: CommandBase & { note?: string } }
  | { readonly type: 'WithdrawJuryDisclosureConsent'; readonly data: CommandBase & { note?: string } }
  | {
      readonly type: 'ScheduleSitting';
      readonly data: CommandBase & { sittingId: string; epreuveCode: string; scheduledAt: string; assessorIds: readonly string[] };
    }
  | {
      readonly type: 'RecordSittingHeld';
      readonly data: CommandBase & {
        sittingId: string;
        heldAt: string;
        timedParts: readonly TimedPartConditions[];
        accommodationsApplied: readonly string[];
        mode?: SittingMode;
      };
    }
  | { readonly type: 'RecordAssessment'; readonly data: CommandBase & { assessmentId: string; sittingId: string; results: readonly CriterionResult[] } }
  | {
      readonly type: 'CorrectAssessment';
      readonly data: CommandBase & { correctionId: string; assessmentId: string; results: readonly CriterionResult[]; reason: string };
    }
  | { readonly type: 'ValidateBloc'; readonly data: CommandBase & { blocCode: string } }
  | { readonly type: 'AnnulBloc'; readonly data: CommandBase & { blocCode: string; reason: AnnulmentReason; details: string } }
  | { readonly type: 'ValidateExtraRequirement'; readonly data: CommandBase & { requirementCode: string } }
  | { readonly type: 'RecordFinalJuryDecision'; readonly data: CommandBase & { decision: 'awarded' | 'refused' | 'deferred'; place: string; reason?: string } }
  | { readonly type: 'Withdraw'; readonly data: CommandBase & { reason: string } }
  | {
      readonly type: 'TransferOut';
      readonly data: CommandBase & {
        toEnrollmentId: string;
        toReferentialId: string;
        toVersion: string;
        carriedBlocs: readonly BlocCorrespondence[];
        optionBlocs?: readonly string[];
      };
    }
  | { readonly type: 'RecordDocumentIssued'; readonly data: CommandBase & { document: IssuedDocument } }
  | { readonly type: 'RecordDocumentRevoked'; readonly data: CommandBase & { number: string; reasonCategory: RevocationReason } }
  | { readonly type: 'RecordDocumentReissued'; readonly data: CommandBase & { reissue: DocumentReissue } }
  | {
      readonly type: 'EnrollByTransfer';
      readonly data: CommandBase & {
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
    };

/** An attestation (one bloc) or the certificate, as stored: the hashes let anyone check the files. */
export interface IssuedDocument {
  readonly kind: 'attestation' | 'certificate';
  readonly number: string;
  /** The decision it records: the BlocValidated or CertificationAwarded event. */
  readonly decisionEventId: string;
  readonly blocCode?: string;
  readonly pdfSha256: string;
  readonly credentialSha256: string;
}

/**
 * A document rendered again under its number (new wording, font or signing key): its new files'
 * hashes become the ones it is checked against; the earlier version's files stay archived.
 */
export interface DocumentReissue {
  readonly number: string;
  /** 2 for the first reissue: the stored files of each version are kept apart. */
  readonly version: number;
  readonly pdfSha256: string;
  readonly credentialSha256: string;
  readonly reason: string;
}

export const REVOCATION_REASONS = ['bloc-annulled', 'certification-revoked'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export const ANNULMENT_REASONS = ['fraud', 'plagiarism', 'other'] as const;
export type AnnulmentReason = (typeof ANNULMENT_REASONS)[number];

/** A bloc acquired on the source version and recognised on the target one (correspondance, R1). */
export interface CarriedBloc extends BlocCorrespondence {
  readonly validatedAt: string;
}

export type EnrollmentCommandType = EnrollmentCommand['type'];
export type CommandOf<T extends EnrollmentCommandType> = Extract<EnrollmentCommand, { type: T }>;

/**
 * The sealed facts each decision must read opened (R14, least privilege): the accommodations'
 * terms (which measures are in force, which applied to a sitting, what a change to one does to
 * the sittings not yet held), or nothing, so that the others decide on the markers alone. Every
 * command type answers here, or the code does not compile; the property tests decide each command
 * declared `none` on sealed facts and require the same outcome as on opened ones.
 */
export const FACTS_A_DECISION_OPENS: { readonly [Type in EnrollmentCommandType]: 'accommodations' | 'none' } = {
  Enroll: 'none',
  EnrollByTransfer: 'none',
  ChooseOption: 'none',
  ChangeApprenticeshipMaster: 'none',
  GrantAccommodation: 'accommodations',
  AmendAccommodation: 'accommodations',
  EndAccommodation: 'accommodations',
  RecordJuryDisclosureConsent: 'none',
  WithdrawJuryDisclosureConsent: 'none',
  ScheduleSitting: 'accommodations',
  RecordSittingHeld: 'accommodations',
  RecordAssessment: 'none',
  CorrectAssessment: 'none',
  ValidateBloc: 'none',
  AnnulBloc: 'none',
  ValidateExtraRequirement: 'none',
  RecordFinalJuryDecision: 'none',
  Withdraw: 'none',
  TransferOut: 'none',
  RecordDocumentIssued: 'none',
  RecordDocumentRevoked: 'none',
  RecordDocumentReissued: 'none',
};

/** Whether deciding `command` needs the accommodations' terms opened. */
export const opensAccommodations = (command: EnrollmentCommand | EnrollmentCommandType): boolean =>
  FACTS_A_DECISION_OPENS[typeof command === 'string' ? command : command.type] === 'accommodations';
