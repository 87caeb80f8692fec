import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import {
  AccommodationsView,
  accommodationsAsSeenBy,
  ActiveEnrollment,
  EnrollmentEvent,
  enrollmentStreamId,
  evolveEnrollment,
  foldEnrollment,
  indexReferential,
  initialEnrollmentState,
  maySeeSittingConditions,
  NotFoundError,
  readsAccommodations,
  ValidationError,
} from '@jalon/domain';
import { EventStore, formatPosition, RecordedEvent } from '@jalon/event-store';
import { PersonalDataReadLog, PersonalDataVault } from '@jalon/privacy';
import { PATH_ASSESSORS, PathHolder, pathDocuments, PathView, presentPathFor } from '@jalon/read-models';
import { EVENT_STORE, SQL_DB, SqlDb } from '@jalon/runtime';
import { AuthenticatedActor } from '../auth/auth.decorators';
import { assertMayAct } from '../enrollments/enrollment-commands.service';
import { ReferentialResolver } from '@jalon/runtime';
import { CohortStatisticsQuery, FindingsQuery, ListEnrollmentsQuery } from './path-queries.requests.dto';

export interface EnrollmentListItem {
  enrollmentId: string;
  candidateId: string;
  organisationId: string;
  referentialId: string;
  version: string;
  cohort: string;
  accessRoute: string;
  status: string;
  optionBlocs: string[];
  blocs: { code: string; status: string; required: boolean }[];
  missingBlocs: string[];
  enrolledAt: string;
  lastProgressAt: string;
}

const SORT_COLUMNS = { enrolledAt: 'enrolled_at', lastProgressAt: 'last_progress_at', status: 'status', cohort: 'cohort' } as const;
/** Rows read at a time by the CSV export. */
const EXPORT_PAGE_SIZE = 1000;
const OPEN_STATUSES = ['in-progress', 'eligible'];

/** Every question users ask of the paths: one candidate, lists, cohort statistics, provenance, the past, findings. */
@Injectable()
export class PathQueries {
  constructor(
    @Inject(SQL_DB) private readonly db: SqlDb,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly referentials: ReferentialResolver,
    private readonly vault: PersonalDataVault,
    private readonly reads: PersonalDataReadLog,
  ) {}

  /** Rows the actor may see: auditors everything, a candidate their own path, others their organisation. */
  private scope(actor: AuthenticatedActor, organisationId?: string) {
    if (actor.role === 'auditor') return organisationId ? sql`organisation_id = ${organisationId}` : sql`TRUE`;
    if (organisationId !== undefined && organisationId !== actor.organisationId)
      throw new ValidationError('QUERY.ORGANISATION_NOT_ALLOWED', 'only auditors choose an organisation', { field: 'organisationId' });
    if (actor.role === 'candidate') return sql`organisation_id = ${actor.organisationId} AND candidate_id = ${actor.id}`;
    return sql`organisation_id = ${actor.organisationId}`;
  }

  /** The path, with what this reader may know of the accommodations (R14): see accommodationsAsSeenBy. */
  async path(enrollmentId: string, actor: AuthenticatedActor): Promise<PathView & { accommodations: AccommodationsView; personalDataErasedAt?: string }> {
    const { rows } = await sql<{ state: ActiveEnrollment; personal_data_erased_at: Date | null }>`SELECT state, personal_data_erased_at FROM candidate_paths
      WHERE enrollment_id = ${enrollmentId} AND ${this.scope(actor)}`.execute(this.db);
    if (rows.length === 0) throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    const { state, personal_data_erased_at: erasedAt } = rows[0];
    const holder = erasedAt ? { personalDataErasedAt: new Date(erasedAt).toISOString() } : {};
    const view = presentPathFor(actor, state, await this.referentials.resolve(state.referentialId, state.version), holder);
    return {
      ...view,
      ...holder,
      accommodations: await this.accommodationsFor(actor, state, { enrollmentId, view: 'accommodations', open: () => this.openedEvents(enrollmentId) }),
    };
  }

  /**
   * The reader's view of the accommodations. Read models and raw streams hold them sealed: when the
   * view has something to show, the events are opened (`open`), and the read is recorded before it
   * is answered. `only`: the accommodations the question bears on.
   */
  private async accommodationsFor(
    actor: AuthenticatedActor,
    sealed: ActiveEnrollment,
    read: { enrollmentId: string; view: string; open: () => Promise<readonly EnrollmentEvent[]>; only?: ReadonlySet<string> },
  ): Promise<AccommodationsView> {
    const withheld = accommodationsAsSeenBy(actor, sealed, read.only);
    if (!readsAccommodations(withheld)) return withheld;
    const opened = foldEnrollment(await read.open());
    if (opened.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    const view = accommodationsAsSeenBy(actor, opened, read.only);
    if (readsAccommodations(view))
      await this.reads.record({
        actor,
        candidateId: opened.candidateId,
        enrollmentId: read.enrollmentId,
        view: `${read.view}:${view.view}`,
        subjects: subjectsOf(view),
      });
    return view;
  }

  /** The enrollment's events with their sealed values opened. */
  private async openedEvents(enrollmentId: string): Promise<EnrollmentEvent[]> {
    return this.vault.open((await this.store.readStream(enrollmentStreamId(enrollmentId))).map(toDomain));
  }

  /**
   * Every enrollment the list's filters match, in its order, read page after page: the CSV export,
   * which is the whole list, not the page on screen.
   */
  async listAll(query: ListEnrollmentsQuery, actor: AuthenticatedActor): Promise<{ total: number; items: EnrollmentListItem[] }> {
    const items: EnrollmentListItem[] = [];
    for (let page = 1; ; page++) {
      const chunk = await this.list({ ...query, page, pageSize: EXPORT_PAGE_SIZE }, actor);
      items.push(...chunk.items);
      if (chunk.items.length < EXPORT_PAGE_SIZE) return { total: items.length, items };
    }
  }

  async list(query: ListEnrollmentsQuery, actor: AuthenticatedActor): Promise<{ total: number; page: number; pageSize: number; items: EnrollmentListItem[] }> {
    const conditions = [this.scope(actor, query.organisationId)];
    // An assessor's list: the paths where a sitting is theirs (any path of the organisation stays readable by id).
    if (actor.role === 'assessor') conditions.push(sql`${PATH_ASSESSORS} @> ${JSON.stringify([actor.id])}::jsonb`);
    if (query.referentialId) conditions.push(sql`referential_id = ${query.referentialId}`);
    if (query.version) conditions.push(sql`version = ${query.version}`);
    if (query.cohort) conditions.push(sql`cohort = ${query.cohort}`);
    if (query.status) conditions.push(sql`status = ${query.status}`);
    if (query.blocStatus && !query.bloc) throw new ValidationError('QUERY.BLOC_REQUIRED', 'blocStatus needs bloc', { field: 'blocStatus' });
    if (query.bloc) conditions.push(sql`blocs @> ${JSON.stringify([{ code: query.bloc, ...(query.blocStatus ? { status: query.blocStatus } : {}) }])}::jsonb`);
    // Read here, not by PostgreSQL in its session's time zone: a day alone means 00:00 UTC, as in as-of.
    if (query.noProgressSince)
      conditions.push(sql`last_progress_at < ${new Date(query.noProgressSince).toISOString()}::timestamptz AND status IN (${sql.join(OPEN_STATUSES)})`);
    const where = sql.join(conditions, sql` AND `);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const column = sql.ref(SORT_COLUMNS[query.sort ?? 'enrolledAt']);
    const direction = query.order === 'desc' ? sql`DESC` : sql`ASC`;
    const [{ rows: items }, { rows: count }] = await Promise.all([
      sql<{
        enrollment_id: string;
        candidate_id: string;
        organisation_id: string;
        referential_id: string;
        version: string;
        cohort: string;
        access_route: string;
        status: string;
        option_blocs: string[];
        blocs: { code: string; status: string; required: boolean }[];
        missing: { blocs: string[] };
        enrolled_at: Date;
        last_progress_at: Date;
      }>`
        SELECT enrollment_id, candidate_id, organisation_id, referential_id, version, cohort, access_route, status, option_blocs, blocs, missing, enrolled_at, last_progress_at
        FROM candidate_paths WHERE ${where} ORDER BY ${column} ${direction}, enrollment_id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(this.db),
      sql<{ total: number }>`SELECT count(*)::int AS total FROM candidate_paths WHERE ${where}`.execute(this.db),
    ]);
    return {
      total: count[0].total,
      page,
      pageSize,
      items: items.map((r) => ({
        enrollmentId: r.enrollment_id,
        candidateId: r.candidate_id,
        organisationId: r.organisation_id,
        referentialId: r.referential_id,
        version: r.version,
        cohort: r.cohort,
        accessRoute: r.access_route,
        status: r.status,
        optionBlocs: r.option_blocs,
        blocs: r.blocs.map((b) => ({ code: b.code, status: b.status, required: b.required })),
        missingBlocs: r.missing.blocs,
        enrolledAt: new Date(r.enrolled_at).toISOString(),
        lastProgressAt: new Date(r.last_progress_at).toISOString(),
      })),
    };
  }

  /**
   * Per bloc: validated, in progress, not started, annulled, among the cohort's paths on this
   * version; a path transferred to another version counts there, not here. A candidate who withdrew
   * keeps the blocs validated (acquired for good); the others count as `withdrawn`, not as work going on.
   */
  async cohortStatistics(query: CohortStatisticsQuery, actor: AuthenticatedActor) {
    // Statistics of a référentiel version that was never published would be an empty table taken for
    // "no candidates yet": the version is looked up first, answered as GET /referentials/{id}/versions/{v} does.
    await this.referentials.resolve(query.referentialId, query.version).catch((error: unknown) => {
      if (error instanceof ValidationError && error.code === 'REFERENTIAL.NOT_PUBLISHED')
        throw new NotFoundError('REFERENTIAL.NOT_FOUND', `no published référentiel ${query.referentialId}@${query.version}`);
      throw error;
    });
    const conditions = [
      this.scope(actor, query.organisationId),
      sql`referential_id = ${query.referentialId}`,
      sql`version = ${query.version}`,
      sql`status <> 'transferred'`,
    ];
    if (query.cohort) conditions.push(sql`cohort = ${query.cohort}`);
    const where = sql.join(conditions, sql` AND `);
    const { rows } = await sql<{
      bloc: string;
      candidates: number;
      validated: number;
      in_progress: number;
      not_started: number;
      annulled: number;
      withdrawn: number;
      median_days: number | null;
    }>`
      SELECT b->>'code' AS bloc,
        count(*)::int AS candidates,
        (count(*) FILTER (WHERE b->>'status' = 'validated'))::int AS validated,
        (count(*) FILTER (WHERE b->>'status' IN ('in-progress', 'validatable') AND status <> 'withdrawn'))::int AS in_progress,
        (count(*) FILTER (WHERE b->>'status' = 'not-started' AND status <> 'withdrawn'))::int AS not_started,
        (count(*) FILTER (WHERE b->>'status' = 'annulled'))::int AS annulled,
        -- The blocs a withdrawn candidate left unfinished; what was validated or annulled stays counted as such.
        (count(*) FILTER (WHERE b->>'status' NOT IN ('validated', 'annulled') AND status = 'withdrawn'))::int AS withdrawn,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ((b->>'validatedAt')::timestamptz - enrolled_at)) / 86400.0) FILTER (WHERE b->>'status' = 'validated') AS median_days
      FROM candidate_paths, jsonb_array_elements(blocs) AS b
      WHERE ${where} AND (b->>'required')::boolean
      GROUP BY 1 ORDER BY 1`.execute(this.db);
    return {
      referentialId: query.referentialId,
      version: query.version,
      ...(query.cohort ? { cohort: query.cohort } : {}),
      blocs: rows.map((r) => ({
        bloc: r.bloc,
        candidates: r.candidates,
        validated: r.validated,
        inProgress: r.in_progress,
        notStarted: r.not_started,
        annulled: r.annulled,
        withdrawn: r.withdrawn,
        medianDaysToValidation: r.median_days === null ? null : Math.round(Number(r.median_days) * 10) / 10,
      })),
    };
  }

  async findings(query: FindingsQuery, actor: AuthenticatedActor) {
    const where = this.scope(actor, query.organisationId);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 100;
    const { rows } = await sql<{
      event_id: string;
      accommodation_id: string;
      enrollment_id: string;
      organisation_id: string;
      referential_id: string;
      version: string;
      cohort: string;
      sitting_id: string;
      epreuve_code: string;
      held_at: Date;
      position: string;
    }>`
      SELECT * FROM accommodation_findings WHERE ${where} ORDER BY held_at, event_id, accommodation_id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(
      this.db,
    );
    return rows.map((r) => ({
      finding: 'accommodation-granted-not-applied',
      enrollmentId: r.enrollment_id,
      organisationId: r.organisation_id,
      referentialId: r.referential_id,
      version: r.version,
      cohort: r.cohort,
      sittingId: r.sitting_id,
      epreuve: r.epreuve_code,
      accommodationId: r.accommodation_id,
      heldAt: new Date(r.held_at).toISOString(),
      eventId: r.event_id,
      position: r.position,
    }));
  }

  /** The stream as stored (sealed) and its state; sealed values stay sealed until a view needs them. */
  /** Whether the path's holder had their personal data erased, as the read model knows it. */
  private async holderOf(enrollmentId: string): Promise<PathHolder> {
    const { rows } = await sql<{
      erased_at: Date | null;
    }>`SELECT personal_data_erased_at AS erased_at FROM candidate_paths WHERE enrollment_id = ${enrollmentId}`.execute(this.db);
    return rows[0]?.erased_at ? { personalDataErasedAt: new Date(rows[0].erased_at).toISOString() } : {};
  }

  private async history(enrollmentId: string, actor: AuthenticatedActor): Promise<{ events: RecordedEvent[]; state: ActiveEnrollment }> {
    const events = await this.store.readStream(enrollmentStreamId(enrollmentId));
    const state = foldEnrollment(events.map(toDomain));
    if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    assertMayAct(actor, state);
    return { events, state };
  }

  /** The path as it stood at an instant: the log replayed up to what was recorded by then. */
  async asOf(
    enrollmentId: string,
    at: string,
    actor: AuthenticatedActor,
  ): Promise<PathView & { accommodations: AccommodationsView; asOf: string; position: string | null }> {
    const { events, state: now } = await this.history(enrollmentId, actor);
    const cutoff = Date.parse(at);
    const known = events.filter((e) => Date.parse(e.recordedAt) <= cutoff);
    let past = initialEnrollmentState();
    for (const event of known) past = evolveEnrollment(past, toDomain(event));
    if (past.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_YET', `the enrollment did not exist yet at ${at}`);
    // The past as it may be shown today: a consent to tell the jury, withdrawn since, no longer
    // opens what it opened then (R10).
    const state: ActiveEnrollment = { ...past, juryDisclosureConsent: past.juryDisclosureConsent && now.juryDisclosureConsent };
    const view = presentPathFor(actor, state, await this.referentials.resolve(state.referentialId, state.version));
    const accommodations = await this.accommodationsFor(actor, state, {
      enrollmentId,
      view: 'as-of:accommodations',
      open: () => this.vault.open(known.map(toDomain)),
    });
    return {
      ...view,
      accommodations,
      asOf: new Date(cutoff).toISOString(),
      position: known.length > 0 ? formatPosition(known[known.length - 1].position) : null,
    };
  }

  /** How a bloc was granted, for auditors: every fact that bears on it, each with its event id and position. */
  async provenance(enrollmentId: string, blocCode: string, actor: AuthenticatedActor) {
    const { events, state } = await this.history(enrollmentId, actor);
    const referential = await this.referentials.resolve(state.referentialId, state.version);
    const bloc = referential.blocs.find((b) => b.code === blocCode);
    if (!bloc) throw new NotFoundError('BLOC.UNKNOWN', `bloc ${blocCode} does not exist in ${referential.referential}@${referential.version}`);
    const index = indexReferential(referential);
    const epreuves = new Set(bloc.epreuves.map((e) => e.code));
    const competencies = new Set(bloc.competencies.map((c) => c.code));
    const sittings = new Set<string>();
    const assessments = new Set<string>();
    const accommodations = new Set<string>();
    const trace = (e: RecordedEvent) => ({ eventId: e.id, position: formatPosition(e.position), recordedAt: e.recordedAt, type: e.type });
    // Durations longer than the base ones say "extra time", an accommodation id "has a measure":
    // both shown only to readers who may know (R14), the jury only with consent (R10).
    const mayKnow = (assessorIds: readonly string[]) => maySeeSittingConditions(actor, state, { assessorIds });
    const durationsFor = (parts: readonly { code: string; baseDurationMinutes: number; effectiveDurationMinutes: number }[], assessorIds: readonly string[]) =>
      mayKnow(assessorIds) ? parts : parts.map(({ code, baseDurationMinutes }) => ({ code, baseDurationMinutes }));
    const heldDurationsFor = (parts: readonly { code: string; scheduledMinutes: number; actualDurationMinutes: number }[], assessorIds: readonly string[]) =>
      mayKnow(assessorIds) ? parts : parts.map(({ code }) => ({ code }));
    const idsFor = (ids: readonly string[], assessorIds: readonly string[]) => (mayKnow(assessorIds) ? ids : []);
    const items: Record<string, unknown>[] = [];
    const attestations = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const domain = toDomain(event);
      switch (domain.type) {
        case 'SittingScheduled':
          if (!epreuves.has(domain.data.epreuveCode)) break;
          sittings.add(domain.data.sittingId);
          if (mayKnow(domain.data.assessorIds)) domain.data.applicableAccommodations.forEach((a) => accommodations.add(a.accommodationId));
          // Which measures applied is told in `accommodations`, to the readers who may know (R14): here, ids only.
          items.push({
            ...trace(event),
            sittingId: domain.data.sittingId,
            epreuve: domain.data.epreuveCode,
            attempt: domain.data.attempt,
            scheduledAt: domain.data.scheduledAt,
            assessors: domain.data.assessorIds,
            timedParts: durationsFor(domain.data.timedParts, domain.data.assessorIds),
            accommodationsApplicable: idsFor(
              domain.data.applicableAccommodations.map((a) => a.accommodationId),
              domain.data.assessorIds,
            ),
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        case 'SittingConditionsRevised':
          // An accommodation changed before the sitting was held: what it owed from then on (R11).
          // The revision itself says "has a measure": told only to readers who may know.
          if (!sittings.has(domain.data.sittingId) || !mayKnow(state.sittings[domain.data.sittingId]?.assessorIds ?? [])) break;
          domain.data.applicableAccommodations.forEach((a) => accommodations.add(a.accommodationId));
          items.push({
            ...trace(event),
            sittingId: domain.data.sittingId,
            timedParts: domain.data.timedParts,
            accommodationsApplicable: domain.data.applicableAccommodations.map((a) => a.accommodationId),
            cause: domain.data.cause,
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        case 'SittingHeld': {
          if (!sittings.has(domain.data.sittingId)) break;
          const assessorIds = state.sittings[domain.data.sittingId]?.assessorIds ?? [];
          items.push({
            ...trace(event),
            sittingId: domain.data.sittingId,
            heldAt: domain.data.heldAt,
            timedParts: heldDurationsFor(domain.data.timedParts, assessorIds),
            accommodationsApplied: idsFor(domain.data.accommodationsApplied, assessorIds),
            accommodationsNotApplied: idsFor(
              domain.data.accommodationsNotApplied.map((a) => a.accommodationId),
              assessorIds,
            ),
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        }
        case 'AssessmentRecorded':
          if (domain.data.blocCode !== blocCode) break;
          assessments.add(domain.data.assessmentId);
          items.push({
            ...trace(event),
            assessmentId: domain.data.assessmentId,
            sittingId: domain.data.sittingId,
            epreuve: domain.data.epreuveCode,
            attempt: domain.data.attempt,
            results: domain.data.results,
            passed: domain.data.passed,
            assessor: domain.data.by,
            at: domain.data.at,
          });
          break;
        case 'AssessmentCorrected': {
          if (!assessments.has(domain.data.assessmentId)) break;
          items.push({
            ...trace(event),
            correctionId: domain.data.correctionId,
            corrects: domain.data.assessmentId,
            results: domain.data.results,
            reason: domain.data.reason,
            by: domain.data.by,
            at: domain.data.at,
          });
          // The assessment it corrects is marked: its results are no longer what stands.
          const corrected = items.find((item) => item.type === 'AssessmentRecorded' && item.assessmentId === domain.data.assessmentId)!;
          corrected.correctedBy = [...((corrected.correctedBy as string[] | undefined) ?? []), domain.data.correctionId];
          break;
        }
        case 'CompetencyAcquired':
        case 'CompetencyAcquisitionRevoked':
          if (!competencies.has(domain.data.competencyCode)) break;
          items.push({ ...trace(event), ...domain.data });
          break;
        case 'BlocBecameValidatable':
        case 'BlocNoLongerValidatable':
        case 'BlocValidated':
        case 'BlocAnnulled':
          if (domain.data.blocCode !== blocCode) break;
          items.push({ ...trace(event), ...domain.data });
          break;
        case 'EnrolledByTransfer': {
          // A bloc carried over from the previous version (R13): its grant is in the source enrollment.
          const carried = domain.data.carriedBlocs.find((c) => c.toBloc === blocCode);
          if (!carried) break;
          items.push({
            ...trace(event),
            carriedFrom: {
              enrollmentId: domain.data.fromEnrollmentId,
              version: domain.data.fromVersion,
              bloc: carried.fromBloc,
              validatedAt: carried.validatedAt,
              provenance: `/enrollments/${domain.data.fromEnrollmentId}/blocs/${carried.fromBloc}/provenance`,
            },
            by: domain.data.by,
            at: domain.data.at,
          });
          break;
        }
        case 'DocumentIssued': {
          const { document } = domain.data;
          if (document.kind !== 'attestation' || document.blocCode !== blocCode) break;
          const issued = {
            ...trace(event),
            number: document.number,
            decisionEventId: document.decisionEventId,
            pdfSha256: document.pdfSha256,
            credentialSha256: document.credentialSha256,
            by: domain.data.by,
            at: domain.data.at,
          };
          items.push(issued);
          attestations.set(document.number, {
            number: document.number,
            status: 'valid',
            issuedAt: domain.data.at,
            decisionEventId: document.decisionEventId,
            eventId: event.id,
            position: formatPosition(event.position),
            verification: `/verifications/${document.number}`,
          });
          break;
        }
        case 'DocumentRevoked': {
          const attestation = attestations.get(domain.data.number);
          if (!attestation) break;
          items.push({ ...trace(event), number: domain.data.number, reasonCategory: domain.data.reasonCategory, by: domain.data.by, at: domain.data.at });
          attestations.set(domain.data.number, {
            ...attestation,
            status: 'revoked',
            revokedAt: domain.data.at,
            revocationReason: domain.data.reasonCategory,
            revocationEventId: event.id,
          });
          break;
        }
        default:
          break;
      }
    }
    // The grants, amendments and ends of the measures that applied to the bloc's sittings, as facts
    // (ids, dates, who); what they were is in `accommodations`, as this reader may see it (R14).
    const granted = events
      .map((event) => ({ event, domain: toDomain(event) }))
      .filter(
        ({ domain }) =>
          (domain.type === 'AccommodationGranted' || domain.type === 'AccommodationAmended' || domain.type === 'AccommodationEnded') &&
          accommodations.has(domain.data.accommodationId),
      )
      .map(({ event, domain }) => ({
        ...trace(event),
        accommodationId: (domain.data as { accommodationId: string }).accommodationId,
        by: domain.data.by,
        at: domain.data.at,
      }));
    const measures = await this.accommodationsFor(actor, state, {
      enrollmentId,
      view: 'provenance:accommodations',
      open: () => this.vault.open(events.map(toDomain)),
      only: accommodations,
    });
    // A decision whose attestation will never be issued (its holder's personal data erased) says so.
    const notIssued = pathDocuments(state, await this.holderOf(enrollmentId)).filter(
      (d) => d.status === 'not-issued' && d.kind === 'attestation' && d.blocCode === blocCode,
    );
    return {
      enrollmentId,
      bloc: { code: bloc.code, title: bloc.title, status: state.blocs[blocCode]?.status ?? 'not-validated' },
      referential: {
        referentialId: referential.referential,
        version: referential.version,
        validationPolicy: referential.validationPolicy,
        rule: 'all-competencies-acquired',
        competencies: bloc.competencies.map((c) => ({ code: c.code, criteria: index.criteriaBearingOn.get(c.code) ?? [] })),
      },
      accommodations: measures,
      accommodationHistory: granted,
      history: items,
      // Each attestation issued for the bloc, with the decision it records and whether it still stands.
      attestations: [...attestations.values(), ...notIssued],
    };
  }
}

const toDomain = (event: RecordedEvent): EnrollmentEvent => ({ type: event.type, data: event.data }) as EnrollmentEvent;

/** What a view showed, for the read log: accommodation ids and sittings, never values. */
function subjectsOf(view: AccommodationsView): string[] {
  switch (view.view) {
    case 'full':
    case 'consented':
    case 'kinds':
      return view.accommodations.map((a) => `accommodation:${a.accommodationId}`);
    case 'to-apply':
      return view.sittings.filter((s) => s.measures.length > 0).map((s) => `sitting:${s.sittingId}`);
    case 'none':
      return [];
  }
}
