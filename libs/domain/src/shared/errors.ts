/**
 * Domain errors carry a stable `code` (e.g. `BLOC.NOT_VALIDATABLE`) that clients can rely on, and a
 * kind that the API maps to an HTTP status in one place. Never throw strings.
 */
export type DomainErrorKind = 'validation' | 'illegal-state' | 'not-found' | 'conflict' | 'forbidden';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command itself is malformed or names something that does not fit the référentiel. */
export class ValidationError extends DomainError {
  readonly kind = 'validation' as const;
}

/** The command is well formed but the path's current state does not allow it. */
export class IllegalStateError extends DomainError {
  readonly kind = 'illegal-state' as const;
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
}

/** The command collides with something that already exists (a duplicate id, a changed published version). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

/** The actor is not the one the rule says may take this decision. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
}
