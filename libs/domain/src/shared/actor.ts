export const ROLES = ['admin', 'assessor', 'jury', 'referent', 'auditor', 'candidate', 'dpo', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** Who did something. Every event names its actor, so no decision is anonymous. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}
