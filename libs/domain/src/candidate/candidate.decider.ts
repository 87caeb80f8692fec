import { Actor } from '../shared/actor';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';

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

export type CandidateCommand = { readonly type: 'RegisterCandidate'; readonly data: { candidateId: string; organisationId: string; identity: CandidateIdentity; by: Actor; now: string } };

export type CandidateEvent = { readonly type: 'CandidateRegistered'; readonly data: { candidateId: string; organisationId: string; identity: CandidateIdentity; by: Actor; at: string } };

export type CandidateState = { readonly status: 'none' } | { readonly status: 'registered'; readonly candidateId: string; readonly organisationId: string; readonly identity: CandidateIdentity };

export const initialCandidateState = (): CandidateState => ({ status: 'none' });

export function evolveCandidate(_state: CandidateState, event: CandidateEvent): CandidateState {
  switch (event.type) {
    case 'CandidateRegistered':
      return { status: 'registered', candidateId: event.data.candidateId, organisationId: event.data.organisationId, identity: event.data.identity };
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
    default: {
      const unknown: never = command.type;
      throw new ValidationError('COMMAND.UNKNOWN', `unknown command ${String(unknown)}`);
    }
  }
}

/** A registered candidate of the given organisation, or not found (another organisation's does not exist for it). */
export function registeredIn(state: CandidateState, organisationId: string): Extract<CandidateState, { status: 'registered' }> {
  if (state.status === 'none' || state.organisationId !== organisationId) throw new NotFoundError('CANDIDATE.NOT_FOUND', 'no such candidate');
  return state;
}
