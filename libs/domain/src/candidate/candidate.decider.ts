import { Actor } from '../shared/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { Protected } from '../shared/withheld';

/** The stream of one candidate's identity: `candidate-<id>`. */
export const candidateStreamId = (candidateId: string): string => `candidate-${candidateId}`;

export const SEXES = ['F', 'M'] as const;

/** Identity as the certificate and the accrochage need it (nom de naissance, nom d'usage, prénoms…). */
export interface CandidateIdentity {
  readonly birthName: string;
  readonly usageName?: string;
  readonly firstNames: readonly string[];
  readonly birthDate: string;
  readonly sex: (typeof SEXES)[number];
  readonly birthPlace: string;
  readonly email: string;
}

export type CandidateCommand =
  | { readonly type: 'RegisterCandidate'; readonly data: { candidateId: string; organisationId: string; identity: CandidateIdentity; by: Actor; now: string } }
  /** GDPR erasure (R14): the candidate's key is destroyed; this records that it was, by whom and when. */
  | { readonly type: 'RecordPersonalDataErased'; readonly data: { by: Actor; now: string } };

export type CandidateEvent =
  | {
      readonly type: 'CandidateRegistered';
      readonly data: { candidateId: string; organisationId: string; identity: Protected<CandidateIdentity>; by: Actor; at: string };
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
    case 'CandidatePersonalDataErased':
      return state.status === 'registered' ? { ...state, erasedAt: event.data.at } : state;
  }
}

export function decideCandidate(command: CandidateCommand, state: CandidateState): CandidateEvent[] {
  switch (command.type) {
    case 'RegisterCandidate': {
      const { candidateId, organisationId, identity, by, now } = command.data;
      if (state.status !== 'none') throw new ConflictError('CANDIDATE.ALREADY_REGISTERED', `candidate ${candidateId} is already registered`);
      if (Number.isNaN(Date.parse(identity.birthDate)) || Date.parse(identity.birthDate) > Date.parse(now)) {
        throw new ValidationError('CANDIDATE.INVALID_BIRTH_DATE', 'the birth date must be a past date', { field: 'birthDate' });
      }
      if (identity.firstNames.length === 0) throw new ValidationError('CANDIDATE.FIRST_NAME_REQUIRED', 'at least one first name', { field: 'firstNames' });
      return [{ type: 'CandidateRegistered', data: { candidateId, organisationId, identity, by, at: now } }];
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
