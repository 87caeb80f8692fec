import { Actor } from '../shared/actor';
import { ConflictError, ValidationError } from '../shared/errors';
import { validateReferentialContent } from './referential-validation';
import { Referential } from './referential.model';

/** The stream of one référentiel (all its versions): `referential-<id>`. */
export const referentialStreamId = (referentialId: string): string => `referential-${referentialId}`;

export type ReferentialCommand = {
  readonly type: 'PublishReferentialVersion';
  readonly data: {
    readonly content: Referential;
    /** Hash of the content, computed by the caller (hashing is not the domain's business). */
    readonly contentHash: string;
    readonly by: Actor;
    readonly now: string;
  };
};

export type ReferentialEvent = {
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
};

export interface ReferentialState {
  readonly versions: ReadonlyMap<string, { readonly contentHash: string; readonly publishedAt: string }>;
}

export const initialReferentialState = (): ReferentialState => ({ versions: new Map() });

export function evolveReferential(state: ReferentialState, event: ReferentialEvent): ReferentialState {
  switch (event.type) {
    case 'ReferentialVersionPublished': {
      const versions = new Map(state.versions);
      versions.set(event.data.version, { contentHash: event.data.contentHash, publishedAt: event.data.at });
      return { versions };
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
    default: {
      const unknown: never = command.type;
      throw new ValidationError('COMMAND.UNKNOWN', `unknown command ${String(unknown)}`);
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
