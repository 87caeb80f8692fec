import { Actor } from '../shared/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { disclosed, Protected } from '../shared/withheld';

/** The stream of one candidate's identity: `candidate-<id>`. */
export const candidateStreamId = (candidateId: string): string => `candidate-${candidateId}`;

export const SEXES = ['F', 'M'] as const;

/**
 * The birth place as the Caisse des Dépôts codes it for the accrochage: the commune's INSEE code
 * (or, failing it, its postal code); born abroad, INSEE's code of the country (99xxx) as the commune
 * code, and the country's code and name.
 */
export interface BirthPlaceCodes {
  /** 5 characters: the commune's INSEE code (2A/2B in Corsica), or 99xxx for a birth abroad. */
  readonly inseeCode?: string;
  /** The commune's postal code, where its INSEE code is not known. */
  readonly postalCode?: string;
  /** Born abroad: the country's code (3 characters) and name. */
  readonly countryCode?: string;
  readonly countryName?: string;
}

/** Identity as the certificate and the accrochage need it (nom de naissance, nom d'usage, prénoms…). */
export interface CandidateIdentity {
  readonly birthName: string;
  readonly usageName?: string;
  readonly firstNames: readonly string[];
  readonly birthDate: string;
  readonly sex: (typeof SEXES)[number];
  readonly birthPlace: string;
  /** Absent for candidates registered before the accrochage asked for it: completed by an amendment. */
  readonly birthPlaceCodes?: BirthPlaceCodes;
  readonly email: string;
}

/** What an amendment may change: any field of the identity; a field given replaces the recorded one. */
export type IdentityChanges = Partial<CandidateIdentity>;

export type CandidateCommand =
  | { readonly type: 'RegisterCandidate'; readonly data: { candidateId: string; organisationId: string; identity: CandidateIdentity; by: Actor; now: string } }
  /** Completes or corrects the identity (e.g. the birth place codes the accrochage asks for); decided on the opened identity. */
  | { readonly type: 'AmendCandidateIdentity'; readonly data: { changes: IdentityChanges; organisationId: string; by: Actor; now: string } }
  /** GDPR erasure (R14): the candidate's key is destroyed; this records that it was, by whom and when. */
  | { readonly type: 'RecordPersonalDataErased'; readonly data: { by: Actor; now: string } };

export type CandidateEvent =
  | {
      readonly type: 'CandidateRegistered';
      readonly data: { candidateId: string; organisationId: string; identity: Protected<CandidateIdentity>; by: Actor; at: string };
    }
  /** The whole identity as amended (sealed like the registered one); `fields` names what changed, never its values. */
  | {
      readonly type: 'CandidateIdentityAmended';
      readonly data: { candidateId: string; identity: Protected<CandidateIdentity>; fields: readonly string[]; by: Actor; at: string };
    }
  | { readonly type: 'CandidatePersonalDataErased'; readonly data: { candidateId: string; by: Actor; at: string } };

export type CandidateState =
  | { readonly status: 'none' }
  | {
      readonly status: 'registered';
      readonly candidateId: string;
      readonly organisationId: string;
      readonly identity: Protected<CandidateIdentity>;
      readonly erasedAt?: string;
    };

export const initialCandidateState = (): CandidateState => ({ status: 'none' });

export function evolveCandidate(state: CandidateState, event: CandidateEvent): CandidateState {
  switch (event.type) {
    case 'CandidateRegistered':
      return { status: 'registered', candidateId: event.data.candidateId, organisationId: event.data.organisationId, identity: event.data.identity };
    case 'CandidateIdentityAmended':
      return state.status === 'registered' ? { ...state, identity: event.data.identity } : state;
    case 'CandidatePersonalDataErased':
      return state.status === 'registered' ? { ...state, erasedAt: event.data.at } : state;
  }
}

function checkIdentity(identity: CandidateIdentity, now: string): void {
  if (Number.isNaN(Date.parse(identity.birthDate)) || Date.parse(identity.birthDate) > Date.parse(now)) {
    throw new ValidationError('CANDIDATE.INVALID_BIRTH_DATE', 'the birth date must be a past date', { field: 'birthDate' });
  }
  if (identity.firstNames.length === 0) throw new ValidationError('CANDIDATE.FIRST_NAME_REQUIRED', 'at least one first name', { field: 'firstNames' });
}

export function decideCandidate(command: CandidateCommand, state: CandidateState): CandidateEvent[] {
  switch (command.type) {
    case 'RegisterCandidate': {
      const { candidateId, organisationId, identity, by, now } = command.data;
      if (state.status !== 'none') throw new ConflictError('CANDIDATE.ALREADY_REGISTERED', `candidate ${candidateId} is already registered`);
      checkIdentity(identity, now);
      return [{ type: 'CandidateRegistered', data: { candidateId, organisationId, identity, by, at: now } }];
    }
    case 'AmendCandidateIdentity': {
      const { changes, organisationId, by, now } = command.data;
      if (by.role !== 'admin') throw new ForbiddenError('CANDIDATE.NOT_ADMIN', 'only an admin of the organisation amends an identity');
      const candidate = registeredIn(state, organisationId);
      if (candidate.erasedAt !== undefined)
        throw new ConflictError('PERSONAL_DATA.ERASED', 'this candidate’s personal data was erased: no new personal data can be recorded for them');
      const current = disclosed(candidate.identity);
      // A caller's mistake, not a refusal: an amendment is decided on the opened identity.
      if (!current) throw new Error('an identity amendment is decided on the opened identity');
      const amended: CandidateIdentity = { ...current, ...changes };
      const fields = (Object.keys(changes) as (keyof CandidateIdentity)[])
        .filter((field) => changes[field] !== undefined && JSON.stringify(changes[field]) !== JSON.stringify(current[field]))
        .sort();
      // Amending to what is recorded records nothing: a retried request is harmless.
      if (fields.length === 0) return [];
      checkIdentity(amended, now);
      return [{ type: 'CandidateIdentityAmended', data: { candidateId: candidate.candidateId, identity: amended, fields, by, at: now } }];
    }
    case 'RecordPersonalDataErased': {
      const { by, now } = command.data;
      if (by.role !== 'dpo') throw new ForbiddenError('ERASURE.NOT_DPO', 'only the data protection officer erases personal data');
      if (state.status === 'none') throw new NotFoundError('CANDIDATE.NOT_FOUND', 'no such candidate');
      // Erasing twice erases nothing more: a retried request records nothing new.
      if (state.erasedAt !== undefined) return [];
      return [{ type: 'CandidatePersonalDataErased', data: { candidateId: state.candidateId, by, at: now } }];
    }
    default: {
      const unknown: never = command;
      throw new ValidationError('COMMAND.UNKNOWN', `unknown command ${String((unknown as { type: string }).type)}`);
    }
  }
}

/** A registered candidate of the given organisation, or not found (another organisation's does not exist for it). */
export function registeredIn(state: CandidateState, organisationId: string): Extract<CandidateState, { status: 'registered' }> {
  if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFoundError('CANDIDATE.NOT_FOUND', 'no such candidate');
  return state;
}

/** The candidate stream type as one object (emmett's decider shape): where it lives, how it folds, how it decides. */
export const candidateDecider = {
  streamIdOf: candidateStreamId,
  initialState: initialCandidateState,
  evolve: evolveCandidate,
  decide: decideCandidate,
} as const;
