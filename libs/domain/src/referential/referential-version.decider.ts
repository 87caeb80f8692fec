import { Actor } from '../shared/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { validateReferentialContent } from './referential-validation';
import { Referential } from './referential.model';

/** The stream of one référentiel (all its versions): `referential-<id>`. */
export const referentialStreamId = (referentialId: string): string => `referential-${referentialId}`;

export type ReferentialCommand =
  | {
      readonly type: 'PublishReferentialVersion';
      readonly data: {
        readonly content: Referential;
        /** Hash of the content, computed by the caller (hashing is not the domain's business). */
        readonly contentHash: string;
        readonly by: Actor;
        readonly now: string;
      };
    }
  | {
      /** No new enrollment on this version from now on; the paths already pinned to it go on (R1). */
      readonly type: 'WithdrawReferentialVersion';
      readonly data: {
        readonly version: string;
        readonly reason: string;
        readonly by: Actor;
        readonly now: string;
      };
    };

export type ReferentialEvent =
  | {
      readonly type: 'ReferentialVersionPublished';
      readonly data: {
        readonly referentialId: string;
        readonly version: string;
        readonly contentHash: string;
        /** The whole content, so the log alone says what an enrollment was pinned to. */
        readonly content: Referential;
        readonly by: Actor;
        readonly at: string;
      };
    }
  | {
      readonly type: 'ReferentialVersionWithdrawn';
      readonly data: {
        readonly referentialId: string;
        readonly version: string;
        readonly reason: string;
        readonly by: Actor;
        readonly at: string;
      };
    };

export type ReferentialEventOf<T extends ReferentialEvent['type']> = Extract<ReferentialEvent, { type: T }>;

/** When, why and by whom a version was withdrawn from new enrollments. */
export interface ReferentialVersionWithdrawal {
  readonly at: string;
  readonly reason: string;
  readonly by: Actor;
}

export interface ReferentialVersionState {
  readonly contentHash: string;
  readonly publishedAt: string;
  /** Set once the version is withdrawn from new enrollments (never undone). */
  readonly withdrawn?: ReferentialVersionWithdrawal;
}

export interface ReferentialState {
  /** The référentiel's id, once a version of it is published. */
  readonly referentialId?: string;
  readonly versions: ReadonlyMap<string, ReferentialVersionState>;
}

export const initialReferentialState = (): ReferentialState => ({ versions: new Map() });

/** The withdrawal of a version from new enrollments, if it was withdrawn. */
export const withdrawalOf = (state: ReferentialState, version: string): ReferentialVersionWithdrawal | undefined => state.versions.get(version)?.withdrawn;

export function evolveReferential(state: ReferentialState, event: ReferentialEvent): ReferentialState {
  switch (event.type) {
    case 'ReferentialVersionPublished': {
      const versions = new Map(state.versions);
      versions.set(event.data.version, { contentHash: event.data.contentHash, publishedAt: event.data.at });
      return { referentialId: event.data.referentialId, versions };
    }
    case 'ReferentialVersionWithdrawn': {
      const published = state.versions.get(event.data.version);
      if (!published) return state;
      const versions = new Map(state.versions);
      const { at, reason, by } = event.data;
      versions.set(event.data.version, { ...published, withdrawn: { at, reason, by } });
      return { ...state, versions };
    }
  }
}

export function decideReferential(command: ReferentialCommand, state: ReferentialState): ReferentialEvent[] {
  switch (command.type) {
    case 'PublishReferentialVersion': {
      const { content, contentHash, by, now } = command.data;
      const problems = validateReferentialContent(content);
      // An invalid référentiel is never published: every enrollment pinned to it would inherit the flaw.
      if (problems.length > 0) {
        throw new ValidationError('REFERENTIAL.INVALID', `référentiel ${content.referential}@${content.version} has ${problems.length} problem(s)`, {
          problems,
        });
      }
      const existing = state.versions.get(content.version);
      // Publishing the same content again is a no-op, so an import can be retried safely.
      if (existing?.contentHash === contentHash) return [];
      // A published version is immutable (R1): changed content needs a new version number.
      if (existing) {
        throw new ConflictError(
          'REFERENTIAL.VERSION_CONTENT_CHANGED',
          `version ${content.version} of ${content.referential} is already published with other content; publish it under a new version number`,
          {
            version: content.version,
          },
        );
      }
      return [
        {
          type: 'ReferentialVersionPublished',
          data: { referentialId: content.referential, version: content.version, contentHash, content, by, at: now },
        },
      ];
    }
    case 'WithdrawReferentialVersion': {
      const { version, reason, by, now } = command.data;
      // The certifier's administrator answers for its catalogue: nobody else closes a version.
      if (by.role !== 'admin') throw new ForbiddenError('REFERENTIAL.NOT_ADMIN', `withdrawing a version is decided by an admin, not by a ${by.role}`);
      if (reason === undefined || reason.trim() === '') throw new ValidationError('COMMAND.FIELD_REQUIRED', 'reason is required', { field: 'reason' });
      const published = state.versions.get(version);
      if (!published || state.referentialId === undefined) throw new NotFoundError('REFERENTIAL.NOT_FOUND', `version ${version} is not published`, { version });
      // Withdrawn once, for one reason: a second withdrawal would rewrite when and why.
      if (published.withdrawn) {
        throw new ConflictError(
          'REFERENTIAL.VERSION_ALREADY_WITHDRAWN',
          `version ${version} of ${state.referentialId} was withdrawn from new enrollments on ${published.withdrawn.at}`,
          { version, withdrawnAt: published.withdrawn.at },
        );
      }
      return [{ type: 'ReferentialVersionWithdrawn', data: { referentialId: state.referentialId, version, reason, by, at: now } }];
    }
    default: {
      const unknown: never = command;
      throw new ValidationError('COMMAND.UNKNOWN', `unknown command ${String((unknown as { type: string }).type)}`);
    }
  }
}

/** The référentiel stream type as one object (emmett's decider shape): where it lives, how it folds, how it decides. */
export const referentialDecider = {
  streamIdOf: referentialStreamId,
  initialState: initialReferentialState,
  evolve: evolveReferential,
  decide: decideReferential,
} as const;
