import { sql } from 'kysely';
import { EnrollmentReader, ValidationError } from '@jalon/domain';

/** A reader of the paths: who they are, in which organisation. */
export type PathReader = EnrollmentReader;

/**
 * The rows of candidate_paths (and of the tables keyed like it) a reader may see: auditors every
 * organisation's (or the one they choose), a candidate their own path, everyone else their
 * organisation's: the domain's assertMayAccess, in SQL. Only an auditor chooses an organisation.
 */
export function visiblePaths(reader: PathReader, organisationId?: string) {
  if (reader.role === 'auditor') return organisationId ? sql`organisation_id = ${organisationId}` : sql`TRUE`;
  if (organisationId !== undefined && organisationId !== reader.organisationId)
    throw new ValidationError('QUERY.ORGANISATION_NOT_ALLOWED', 'only auditors choose an organisation', { field: 'organisationId' });
  if (reader.role === 'candidate') return sql`organisation_id = ${reader.organisationId} AND candidate_id = ${reader.id}`;
  return sql`organisation_id = ${reader.organisationId}`;
}
