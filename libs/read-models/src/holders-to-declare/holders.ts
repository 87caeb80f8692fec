import { sql } from 'kysely';
import { AccessRoute, declarationDueDate, RegistrationInitiative, SittingMode, VaeVoie } from '@jalon/domain';
import { SqlDb } from '@jalon/event-store';

/**
 * Where an award stands with the Caisse des Dépôts:
 * - `to-declare`: awarded, not declared under its id yet;
 * - `declared`: declared under its id;
 * - `to-correct`: declared, then annulled: the certifier corrects it with the CDC;
 * - `annulled`: annulled before it was ever declared: nothing to send;
 * - `erased`: the holder's personal data is erased (R14): it cannot be declared.
 */
export type DeclarationStatus = 'to-declare' | 'declared' | 'to-correct' | 'annulled' | 'erased';

export interface AwardedHolder {
  readonly enrollmentId: string;
  readonly candidateId: string;
  readonly organisationId: string;
  readonly referentialId: string;
  readonly version: string;
  readonly accessRoute: AccessRoute;
  readonly registrationInitiative?: RegistrationInitiative;
  readonly vaeVoie?: VaeVoie;
  readonly enrolledAt: string;
  readonly optionBlocs: readonly string[];
  readonly examFirstAt?: string;
  readonly examLastAt?: string;
  /** How the sittings were held: one mode when all said the same, `mixed` when both, absent when any did not say. */
  readonly examMode?: SittingMode | 'mixed';
  /** The award event's id: the `idTechnique` this award is declared under, every time. */
  readonly idTechnique: string;
  readonly awardedAt: string;
  /** The award + 3 months (L6113-8). */
  readonly dueDate: string;
  readonly revokedAt?: string;
  readonly certificateNumber?: string;
  readonly erasedAt?: string;
  readonly declaredAt?: string;
  readonly declaredFluxId?: string;
  readonly status: DeclarationStatus;
}

export interface HolderFilters {
  readonly organisationId: string;
  readonly referentialIds: readonly string[];
  /** Awards on or after this date (YYYY-MM-DD, Europe/Paris). */
  readonly from?: string;
  /** Awards on or before this date (YYYY-MM-DD, Europe/Paris). */
  readonly to?: string;
}

interface Row {
  enrollment_id: string;
  candidate_id: string;
  organisation_id: string;
  referential_id: string;
  version: string;
  access_route: AccessRoute;
  registration_initiative: RegistrationInitiative | null;
  vae_voie: VaeVoie | null;
  enrolled_at: Date;
  option_blocs: string[];
  exam_first_at: Date | null;
  exam_last_at: Date | null;
  held_on_site: number;
  held_at_distance: number;
  held_mode_unstated: number;
  award_event_id: string;
  awarded_at: Date;
  revoked_at: Date | null;
  certificate_number: string | null;
  erased_at: Date | null;
  declared_id_technique: string | null;
  declared_at: Date | null;
  declared_flux_id: string | null;
}

const iso = (value: Date | null): string | undefined => (value === null ? undefined : new Date(value).toISOString());

/** The Paris calendar date of an instant: what the CDC's dates and the periods asked are. */
export const parisDate = (instant: string | Date): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));

function statusOf(r: Row): DeclarationStatus {
  const declared = r.declared_id_technique !== null;
  if (r.revoked_at !== null) return declared ? 'to-correct' : 'annulled';
  if (r.declared_id_technique === r.award_event_id) return 'declared';
  if (r.erased_at !== null) return 'erased';
  return 'to-declare';
}

function modeOf(r: Row): AwardedHolder['examMode'] {
  if (r.held_mode_unstated > 0 || r.held_on_site + r.held_at_distance === 0) return undefined;
  if (r.held_on_site > 0 && r.held_at_distance > 0) return 'mixed';
  return r.held_on_site > 0 ? 'on-site' : 'distance';
}

function holderOf(r: Row): AwardedHolder {
  const awardedAt = new Date(r.awarded_at).toISOString();
  const examMode = modeOf(r);
  return {
    enrollmentId: r.enrollment_id,
    candidateId: r.candidate_id,
    organisationId: r.organisation_id,
    referentialId: r.referential_id,
    version: r.version,
    accessRoute: r.access_route,
    ...(r.registration_initiative ? { registrationInitiative: r.registration_initiative } : {}),
    ...(r.vae_voie ? { vaeVoie: r.vae_voie } : {}),
    enrolledAt: new Date(r.enrolled_at).toISOString(),
    optionBlocs: r.option_blocs,
    ...(r.exam_first_at ? { examFirstAt: iso(r.exam_first_at), examLastAt: iso(r.exam_last_at) } : {}),
    ...(examMode ? { examMode } : {}),
    idTechnique: r.award_event_id,
    awardedAt,
    dueDate: declarationDueDate(parisDate(awardedAt)),
    ...(r.revoked_at ? { revokedAt: iso(r.revoked_at) } : {}),
    ...(r.certificate_number ? { certificateNumber: r.certificate_number } : {}),
    ...(r.erased_at ? { erasedAt: iso(r.erased_at) } : {}),
    ...(r.declared_at ? { declaredAt: iso(r.declared_at), declaredFluxId: r.declared_flux_id ?? undefined } : {}),
    status: statusOf(r),
  };
}

/** Paris dates → the instants bounding them: from the start of `from` to the end of `to`. */
function periodCondition(filters: HolderFilters) {
  const conditions = [];
  if (filters.from) conditions.push(sql`awarded_at >= (${filters.from}::date)::timestamp AT TIME ZONE 'Europe/Paris'`);
  if (filters.to) conditions.push(sql`awarded_at < (${filters.to}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'`);
  return conditions.length > 0 ? sql`AND ${sql.join(conditions, sql` AND `)}` : sql``;
}

/**
 * Every award of these certifications in the period, a page at a time in award order, streamed:
 * an export of ten thousand holders never holds them all.
 */
export async function* awardedHolders(db: SqlDb, filters: HolderFilters, pageSize = 500): AsyncGenerator<AwardedHolder[]> {
  if (filters.referentialIds.length === 0) return;
  let after: { awardedAt: Date; enrollmentId: string } | undefined;
  for (;;) {
    const { rows } = await sql<Row>`SELECT * FROM accrochage_holders
      WHERE awarded_at IS NOT NULL AND referential_id IN (${sql.join(filters.referentialIds)}) AND organisation_id = ${filters.organisationId}
        ${periodCondition(filters)}
        ${after ? sql`AND (awarded_at, enrollment_id) > (${after.awardedAt}, ${after.enrollmentId})` : sql``}
      ORDER BY awarded_at, enrollment_id LIMIT ${pageSize}`.execute(db);
    if (rows.length === 0) return;
    yield rows.map(holderOf);
    const last = rows[rows.length - 1];
    after = { awardedAt: last.awarded_at, enrollmentId: last.enrollment_id };
    if (rows.length < pageSize) return;
  }
}

/** How many awards of these certifications the period holds (for an export's progress). */
export async function countAwardedHolders(db: SqlDb, filters: HolderFilters): Promise<number> {
  if (filters.referentialIds.length === 0) return 0;
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM accrochage_holders
    WHERE awarded_at IS NOT NULL AND referential_id IN (${sql.join(filters.referentialIds)}) AND organisation_id = ${filters.organisationId}
      ${periodCondition(filters)}`.execute(db);
  return Number(rows[0].n);
}

/** These enrollments' awards, in the order asked (those unknown are left out): what a recorded flux declared. */
export async function holdersByEnrollment(db: SqlDb, enrollmentIds: readonly string[]): Promise<AwardedHolder[]> {
  if (enrollmentIds.length === 0) return [];
  const { rows } = await sql<Row>`SELECT * FROM accrochage_holders WHERE enrollment_id IN (${sql.join(enrollmentIds)}) AND awarded_at IS NOT NULL`.execute(db);
  const byId = new Map(rows.map((r) => [r.enrollment_id, holderOf(r)]));
  return enrollmentIds.flatMap((id) => byId.get(id) ?? []);
}

/** The status as SQL computes it, in the order an admin acts on them (statusOf says the same in code). */
const STATUS_SQL = sql<string>`CASE
  WHEN revoked_at IS NOT NULL AND declared_id_technique IS NOT NULL THEN 'to-correct'
  WHEN revoked_at IS NOT NULL THEN 'annulled'
  WHEN declared_id_technique = award_event_id THEN 'declared'
  WHEN erased_at IS NOT NULL THEN 'erased'
  ELSE 'to-declare' END`;
const STATUS_RANK: Record<DeclarationStatus, number> = { 'to-declare': 0, 'to-correct': 1, erased: 2, annulled: 3, declared: 4 };

/**
 * The awards an admin acts on: the ones to declare, overdue first (the earliest award is the
 * earliest due), then those to correct and those that cannot be declared; the declared ones last.
 */
export async function holdersStanding(
  db: SqlDb,
  filters: HolderFilters & { status?: DeclarationStatus; page?: number; pageSize?: number },
): Promise<AwardedHolder[]> {
  if (filters.referentialIds.length === 0) return [];
  const pageSize = filters.pageSize ?? 100;
  const rank = sql`CASE ${STATUS_SQL} ${sql.join(
    Object.entries(STATUS_RANK).map(([status, n]) => sql`WHEN ${status} THEN ${n}`),
    sql` `,
  )} END`;
  const { rows } = await sql<Row>`SELECT * FROM accrochage_holders
      WHERE awarded_at IS NOT NULL AND referential_id IN (${sql.join(filters.referentialIds)}) AND organisation_id = ${filters.organisationId}
        ${periodCondition(filters)} ${filters.status ? sql`AND ${STATUS_SQL} = ${filters.status}` : sql``}
      ORDER BY ${rank}, awarded_at, enrollment_id LIMIT ${pageSize} OFFSET ${((filters.page ?? 1) - 1) * pageSize}`.execute(db);
  return rows.map(holderOf);
}
