import { RawBuilder, sql } from 'kysely';
import {
  ActiveEnrollment,
  blocProgress,
  CandidateEvent,
  ENROLLMENT_EVENT_TYPES,
  EnrollmentEvent,
  enrollmentIdOf,
  EnrollmentState,
  evolveEnrollment,
  initialEnrollmentState,
  pathProgress,
  Referential,
  ReferentialEvent,
  sealedToErased,
} from '@jalon/domain';
import { formatPosition, SqlDb } from '@jalon/event-store';
import { ProjectedEvent, Projection, TableNames } from '@jalon/projections';
import { PathHolder, presentPathRecord } from './present-path';

export const CANDIDATE_PATH_PROJECTION = 'candidate-path';

/** What the paths are folded from: the versions published, every enrollment fact, and erasures. */
type PathEvent =
  Extract<ReferentialEvent, { type: 'ReferentialVersionPublished' }> | EnrollmentEvent | Extract<CandidateEvent, { type: 'CandidatePersonalDataErased' }>;
type EnrollmentFact = ProjectedEvent<EnrollmentEvent>;

/**
 * Each candidate's path as it stands: the path as its readers see it (`path`, a PathRecord), its
 * status and what is still missing, per bloc, with the columns admins filter on. `folded_state` is
 * the projection's own working memory — the enrollment's domain state, which the next events are
 * folded onto — and nothing else reads it: the questions answer from `path` and the columns, so
 * the domain state may change shape with a rebuild of this projection and no question changing.
 * `events_applied` counts the events folded into each row, so an event applied twice would show.
 */
export function createCandidatePathProjection(): Projection<PathEvent> {
  // Published versions never change (R1), so their content is cached for the projection's life.
  const referentialCache = new Map<string, Referential>();
  return {
    name: CANDIDATE_PATH_PROJECTION,
    canHandle: ['ReferentialVersionPublished', 'CandidatePersonalDataErased', ...ENROLLMENT_EVENT_TYPES],
    // 2: the path as its readers see it (`path`) and the projection's own `folded_state`, where version 1 kept the domain state alone.
    // Raise it when EnrollmentState changes shape: the rows' folded_state would no longer fit the code that folds onto it.
    tableVersion: 2,
    tables: [
      {
        name: 'referential_versions',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
          referential_id text NOT NULL,
          version text NOT NULL,
          content_hash text NOT NULL,
          content jsonb NOT NULL,
          published_at timestamptz NOT NULL,
          PRIMARY KEY (referential_id, version)
        )`,
        ],
      },
      {
        name: 'candidate_paths',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
          enrollment_id text PRIMARY KEY,
          candidate_id text NOT NULL,
          organisation_id text NOT NULL,
          referential_id text NOT NULL,
          version text NOT NULL,
          cohort text NOT NULL,
          access_route text NOT NULL,
          status text NOT NULL,
          option_blocs jsonb NOT NULL,
          blocs jsonb NOT NULL,
          missing jsonb NOT NULL,
          assessor_ids text[] NOT NULL,
          transferred_to text,
          jury_disclosure_consent boolean NOT NULL,
          path json NOT NULL,
          folded_state json NOT NULL,
          events_applied integer NOT NULL,
          enrolled_at timestamptz NOT NULL,
          started_at timestamptz NOT NULL,
          last_event_at timestamptz NOT NULL,
          last_progress_at timestamptz NOT NULL,
          personal_data_erased_at timestamptz,
          position text NOT NULL
        )`,
          // Each change rewrites both documents (≈ 20 and 8 kB): compressed with lz4 where the server has it (PostgreSQL, not
          // PGlite), which costs a third of the default pglz's time for about the same size.
          sql`DO $$ BEGIN
            ALTER TABLE ${sql.table(t)} ALTER COLUMN path SET COMPRESSION lz4, ALTER COLUMN folded_state SET COMPRESSION lz4;
          EXCEPTION WHEN feature_not_supported THEN NULL;
          END $$`,
          sql`CREATE INDEX ${sql.id(`${t}_org_cert`)} ON ${sql.table(t)} (organisation_id, referential_id, version, cohort, status)`,
          sql`CREATE INDEX ${sql.id(`${t}_progress`)} ON ${sql.table(t)} (organisation_id, last_progress_at)`,
          sql`CREATE INDEX ${sql.id(`${t}_candidate`)} ON ${sql.table(t)} (candidate_id)`,
          // Admin lists filter by certification and cohort and page in enrolment or progress order.
          sql`CREATE INDEX ${sql.id(`${t}_list_enrolled`)} ON ${sql.table(t)} (organisation_id, referential_id, cohort, enrolled_at, enrollment_id)`,
          sql`CREATE INDEX ${sql.id(`${t}_list_progress`)} ON ${sql.table(t)} (organisation_id, referential_id, cohort, last_progress_at, enrollment_id)`,
        ],
        indexes: (t) => [
          // An assessor's list asks `assessor_ids @> {me}`.
          sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${t}_assessor_ids`)} ON ${sql.table(t)} USING gin (assessor_ids)`,
          // The worker's look, every minute, for transfers whose new enrollment is missing (TransferCompletion).
          sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${t}_transferred`)} ON ${sql.table(t)} (last_event_at) WHERE status = 'transferred'`,
        ],
      },
      {
        // R11: a granted accommodation not given at a sitting, for auditors: ids only, the measure stays sealed (R14).
        name: 'accommodation_findings',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
          event_id uuid NOT NULL,
          accommodation_id text NOT NULL,
          enrollment_id text NOT NULL,
          organisation_id text NOT NULL,
          referential_id text NOT NULL,
          version text NOT NULL,
          cohort text NOT NULL,
          sitting_id text NOT NULL,
          epreuve_code text NOT NULL,
          held_at timestamptz NOT NULL,
          position text NOT NULL,
          PRIMARY KEY (event_id, accommodation_id)
        )`,
          sql`CREATE INDEX ${sql.id(`${t}_org`)} ON ${sql.table(t)} (organisation_id, held_at)`,
        ],
      },
    ],
    apply: (trx, events, tables) => applyCandidatePaths(trx, events, tables, referentialCache),
  };
}

/** Events that move a candidate forward (as opposed to scheduling or paperwork): "no progress since" looks at these. */
const PROGRESS_EVENTS = new Set(['AssessmentRecorded', 'CompetencyAcquired', 'BlocValidated', 'ExtraRequirementValidated', 'CertificationAwarded']);

/** What the projection reads back of a row to fold the next events onto it. */
interface FoldedRow {
  enrollment_id: string;
  folded_state: ActiveEnrollment;
  events_applied: number;
  enrolled_at: Date | string;
  last_progress_at: Date | string;
  personal_data_erased_at: Date | string | null;
}
async function applyCandidatePaths(
  trx: SqlDb,
  events: readonly ProjectedEvent<PathEvent>[],
  tables: TableNames,
  referentialCache: Map<string, Referential>,
): Promise<void> {
  const referentials = tables.referential_versions;
  const paths = tables.candidate_paths;

  for (const event of events) {
    if (event.type !== 'ReferentialVersionPublished') continue;
    const { data } = event;
    await sql`INSERT INTO ${sql.table(referentials)} (referential_id, version, content_hash, content, published_at)
      VALUES (${data.referentialId}, ${data.version}, ${data.contentHash}, ${JSON.stringify(data.content)}::jsonb, ${data.at})
      ON CONFLICT (referential_id, version) DO NOTHING`.execute(trx);
  }

  // Facts of enrollment streams only, whatever their type says.
  const enrollmentEvents = events.filter(
    (e): e is EnrollmentFact =>
      enrollmentIdOf(e.streamId) !== undefined && e.type !== 'ReferentialVersionPublished' && e.type !== 'CandidatePersonalDataErased',
  );
  if (enrollmentEvents.length > 0) await applyEnrollmentEvents(trx, enrollmentEvents, tables, referentialCache);

  // An erasure (R14): what the paths held sealed is now erased for good; say so where it was.
  for (const event of events) {
    if (event.type !== 'CandidatePersonalDataErased') continue;
    const { candidateId, at } = event.data;
    const { rows } = await sql<{
      enrollment_id: string;
      folded_state: ActiveEnrollment;
    }>`SELECT enrollment_id, folded_state FROM ${sql.table(paths)} WHERE candidate_id = ${candidateId}`.execute(trx);
    for (const row of rows) {
      const state = sealedToErased(row.folded_state);
      const referential = await loadReferential(trx, tables.referential_versions, state.referentialId, state.version, referentialCache);
      const path = presentPathRecord(state, referential, { personalDataErasedAt: iso(at) });
      await sql`UPDATE ${sql.table(paths)} SET personal_data_erased_at = ${at}, folded_state = ${JSON.stringify(state)}::json, path = ${JSON.stringify(path)}::json
        WHERE enrollment_id = ${row.enrollment_id}`.execute(trx);
    }
  }
}
async function applyEnrollmentEvents(
  trx: SqlDb,
  enrollmentEvents: readonly EnrollmentFact[],
  tables: TableNames,
  referentialCache: Map<string, Referential>,
): Promise<void> {
  const referentials = tables.referential_versions;
  const paths = tables.candidate_paths;
  const ids = [...new Set(enrollmentEvents.map((e) => enrollmentIdOf(e.streamId)!))];
  const existing = await sql<FoldedRow>`SELECT enrollment_id, folded_state, events_applied, enrolled_at, last_progress_at, personal_data_erased_at
    FROM ${sql.table(paths)} WHERE enrollment_id IN (${sql.join(ids)})`.execute(trx);
  const rows = new Map(
    existing.rows.map((r) => [
      r.enrollment_id,
      {
        state: r.folded_state as EnrollmentState,
        holder: (r.personal_data_erased_at ? { personalDataErasedAt: iso(r.personal_data_erased_at) } : {}) as PathHolder,
        applied: r.events_applied,
        enrolledAt: iso(r.enrolled_at),
        lastProgressAt: iso(r.last_progress_at),
        lastEventAt: '',
        position: '',
      },
    ]),
  );

  const findings = [];
  for (const event of enrollmentEvents) {
    const id = enrollmentIdOf(event.streamId)!;
    const row = rows.get(id) ?? { state: initialEnrollmentState(), holder: {}, applied: 0, enrolledAt: '', lastProgressAt: '', lastEventAt: '', position: '' };
    row.state = evolveEnrollment(row.state, event);
    row.applied += 1;
    const at = event.data.at;
    if (event.type === 'CandidateEnrolled' || event.type === 'EnrolledByTransfer') row.enrolledAt = row.lastProgressAt = at;
    if (PROGRESS_EVENTS.has(event.type)) row.lastProgressAt = at;
    row.lastEventAt = at;
    row.position = formatPosition(event.position);
    rows.set(id, row);
    if (event.type === 'SittingHeld' && row.state.status !== 'none') {
      const sitting = row.state.sittings[event.data.sittingId];
      for (const missed of event.data.accommodationsNotApplied) {
        findings.push(sql`(${event.id}::uuid, ${missed.accommodationId}, ${id}, ${row.state.organisationId}, ${row.state.referentialId}, ${row.state.version}, ${row.state.cohort},
          ${event.data.sittingId}, ${sitting.epreuveCode}, ${event.data.heldAt}, ${row.position})`);
      }
    }
  }
  if (findings.length > 0) {
    await sql`INSERT INTO ${sql.table(tables.accommodation_findings)} (event_id, accommodation_id, enrollment_id, organisation_id, referential_id, version, cohort, sitting_id, epreuve_code, held_at, position)
      VALUES ${sql.join(findings)} ON CONFLICT DO NOTHING`.execute(trx);
  }

  const values = [];
  for (const [id, row] of rows) {
    if (row.position === '' || row.state.status === 'none') continue;
    const state = row.state;
    const referential = await loadReferential(trx, referentials, state.referentialId, state.version, referentialCache);
    const progress = pathProgress(state, referential);
    values.push(sql`(${id}, ${state.candidateId}, ${state.organisationId}, ${state.referentialId}, ${state.version}, ${state.cohort}, ${state.accessRoute},
      ${progress.status}, ${JSON.stringify(state.optionBlocs)}::jsonb, ${JSON.stringify(blocProgress(state, referential))}::jsonb,
      ${JSON.stringify({ blocs: progress.missingBlocs, optionGroups: progress.optionGroupsToChoose, extraRequirements: progress.missingExtraRequirements })}::jsonb,
      ${assessorIdsOf(state)}, ${state.status === 'transferred' ? state.transferredTo.enrollmentId : null}, ${state.juryDisclosureConsent},
      ${JSON.stringify(presentPathRecord(state, referential, row.holder))}::json, ${JSON.stringify(state)}::json, ${row.applied}, ${row.enrolledAt},
      ${state.trainingStartDate ? `${state.trainingStartDate}T00:00:00Z` : row.enrolledAt}, ${row.lastEventAt}, ${row.lastProgressAt}, ${row.position})`);
  }
  if (values.length === 0) return;
  await sql`INSERT INTO ${sql.table(paths)} (enrollment_id, candidate_id, organisation_id, referential_id, version, cohort, access_route, status, option_blocs, blocs, missing, assessor_ids, transferred_to, jury_disclosure_consent, path, folded_state, events_applied, enrolled_at, started_at, last_event_at, last_progress_at, position)
    VALUES ${sql.join(values)}
    ON CONFLICT (enrollment_id) DO UPDATE SET candidate_id = excluded.candidate_id, organisation_id = excluded.organisation_id, cohort = excluded.cohort,
      status = excluded.status, option_blocs = excluded.option_blocs, blocs = excluded.blocs, missing = excluded.missing,
      assessor_ids = excluded.assessor_ids, transferred_to = excluded.transferred_to,
      jury_disclosure_consent = excluded.jury_disclosure_consent, path = excluded.path, folded_state = excluded.folded_state,
      events_applied = excluded.events_applied, last_event_at = excluded.last_event_at, last_progress_at = excluded.last_progress_at, position = excluded.position`.execute(
    trx,
  );
}
/** Everyone assigned to assess one of the path's sittings: an assessor's list is theirs. */
function assessorIdsOf(state: ActiveEnrollment): RawBuilder<string[]> {
  const ids = [...new Set(Object.values(state.sittings).flatMap((sitting) => sitting.assessorIds))].sort();
  return sql<string[]>`ARRAY[${sql.join(ids.length ? ids : [sql``])}]::text[]`;
}

async function loadReferential(
  trx: SqlDb,
  table: string,
  referentialId: string,
  version: string,
  referentialCache: Map<string, Referential>,
): Promise<Referential> {
  const key = `${referentialId}@${version}`;
  const cached = referentialCache.get(key);
  if (cached) return cached;
  const { rows } = await sql<{
    content: Referential;
  }>`SELECT content FROM ${sql.table(table)} WHERE referential_id = ${referentialId} AND version = ${version}`.execute(trx);
  // An enrollment is only ever pinned to a published version: a missing one is a broken log, not a case to guess.
  if (rows.length === 0) throw new Error(`référentiel ${key} was never published, yet an enrollment is pinned to it`);
  referentialCache.set(key, rows[0].content);
  return rows[0].content;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
