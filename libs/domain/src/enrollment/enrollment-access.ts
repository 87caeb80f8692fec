import { NotFoundError } from '../shared/errors';
import { Viewer } from './accommodation-views';
import { ActiveEnrollment } from './enrollment.state';

/** Who reads or acts on an enrollment: a viewer of an organisation. */
export interface EnrollmentReader extends Viewer {
  readonly organisationId: string;
}

/**
 * Organisation scoping, and a candidate's own path: outside it, the enrollment does not exist (404,
 * so its existence does not leak). Auditors see every organisation's. The read models apply the same
 * rule in SQL (visiblePaths in @jalon/read-models).
 */
export function assertMayAccess(reader: EnrollmentReader, state: ActiveEnrollment): void {
  const sameOrganisation = state.organisationId === reader.organisationId;
  const ownPath = reader.role !== 'candidate' || state.candidateId === reader.id;
  if (reader.role !== 'auditor' && (!sameOrganisation || !ownPath)) throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
}
