import { SqlDb } from '@jalon/event-store';
import { sql } from 'kysely';

/** One read of personal data: who read what of whom, through which view. No value is ever logged. */
export interface PersonalDataRead {
  readonly actor: { readonly id: string; readonly role: string; readonly organisationId: string };
  readonly candidateId: string;
  readonly enrollmentId?: string;
  /** The view that answered, e.g. `accommodations:full`, `identity`. */
  readonly view: string;
  /** What was shown: accommodation ids, field names; never their values. */
  readonly subjects: readonly string[];
}

/** The read could not be recorded, so it must not happen (R14). */
export class PersonalDataReadNotRecordedError extends Error {
  constructor(cause: unknown) {
    super('the read of personal data could not be recorded, so it is refused', { cause });
    this.name = 'PersonalDataReadNotRecordedError';
  }
}

/**
 * The append-only log of reads of accommodation details and identities (table
 * `personal_data_reads`, which refuses updates and deletes). Callers record before they answer:
 * when the record fails, they answer nothing.
 */
export class PersonalDataReadLog {
  constructor(private readonly db: SqlDb) {}

  async record(read: PersonalDataRead): Promise<void> {
    try {
      await sql`INSERT INTO personal_data_reads (actor_id, actor_role, organisation_id, candidate_id, enrollment_id, view, subjects)
        VALUES (${read.actor.id}, ${read.actor.role}, ${read.actor.organisationId}, ${read.candidateId}, ${read.enrollmentId ?? null}, ${read.view}, ${JSON.stringify(read.subjects)}::jsonb)`.execute(
        this.db,
      );
    } catch (error) {
      throw new PersonalDataReadNotRecordedError(error);
    }
  }

  /** Many reads in one statement (an export opens thousands of identities): all recorded, or none and the export stops. */
  async recordMany(reads: readonly PersonalDataRead[]): Promise<void> {
    if (reads.length === 0) return;
    try {
      await sql`INSERT INTO personal_data_reads (actor_id, actor_role, organisation_id, candidate_id, enrollment_id, view, subjects)
        VALUES ${sql.join(
          reads.map(
            (read) =>
              sql`(${read.actor.id}, ${read.actor.role}, ${read.actor.organisationId}, ${read.candidateId}, ${read.enrollmentId ?? null}, ${read.view}, ${JSON.stringify(read.subjects)}::jsonb)`,
          ),
        )}`.execute(this.db);
    } catch (error) {
      throw new PersonalDataReadNotRecordedError(error);
    }
  }

  /** The reads of one candidate's data, oldest first: what a DPO or an auditor asks. */
  async of(
    candidateId: string,
  ): Promise<{ readAt: string; actorId: string; actorRole: string; organisationId: string; enrollmentId: string | null; view: string; subjects: string[] }[]> {
    const { rows } = await sql<{
      read_at: Date;
      actor_id: string;
      actor_role: string;
      organisation_id: string;
      enrollment_id: string | null;
      view: string;
      subjects: string[];
    }>`
      SELECT read_at, actor_id, actor_role, organisation_id, enrollment_id, view, subjects FROM personal_data_reads WHERE candidate_id = ${candidateId} ORDER BY id`.execute(
      this.db,
    );
    return rows.map((r) => ({
      readAt: new Date(r.read_at).toISOString(),
      actorId: r.actor_id,
      actorRole: r.actor_role,
      organisationId: r.organisation_id,
      enrollmentId: r.enrollment_id,
      view: r.view,
      subjects: r.subjects,
    }));
  }
}
