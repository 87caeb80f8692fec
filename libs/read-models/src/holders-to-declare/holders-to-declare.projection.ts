import { sql } from 'kysely';
import { AccrochageEvent, CandidateEvent, EnrollmentEvent, enrollmentIdOf } from '@jalon/domain';
import { formatPosition, SqlDb } from '@jalon/event-store';
import { ProjectedEvent, Projection, TableNames } from '@jalon/projections';

export const HOLDERS_TO_DECLARE_PROJECTION = 'holders-to-declare';

/** What the accrochage needs besides the holder's sealed identity, folded from these events. */
const ENROLLMENT_TYPES = [
  'CandidateEnrolled',
  'EnrolledByTransfer',
  'OptionChosen',
  'SittingHeld',
  'CertificationAwarded',
  'CertificationRevoked',
  'DocumentIssued',
] as const satisfies readonly EnrollmentEvent['type'][];

type HolderEvent =
  Extract<EnrollmentEvent, { type: (typeof ENROLLMENT_TYPES)[number] }> | Extract<CandidateEvent, { type: 'CandidatePersonalDataErased' }> | AccrochageEvent;

/**
 * Each enrollment as the accrochage declares it (table `accrochage_holders`): its route and
 * registration, its exam dates and how the sittings were held, its award (the award event's id is
 * the `idTechnique`, stable per award), the certificate's number, and what was declared, when, in
 * which flux. No personal data: the identity is opened from the candidate's stream at export.
 */
export function createHoldersToDeclareProjection(): Projection<HolderEvent> {
  return {
    name: HOLDERS_TO_DECLARE_PROJECTION,
    canHandle: [...ENROLLMENT_TYPES, 'CandidatePersonalDataErased', 'AccrochageDeclared'],
    tables: [
      {
        name: 'accrochage_holders',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
          enrollment_id text PRIMARY KEY,
          candidate_id text NOT NULL,
          organisation_id text NOT NULL,
          referential_id text NOT NULL,
          version text NOT NULL,
          access_route text NOT NULL,
          registration_initiative text,
          vae_voie text,
          enrolled_at timestamptz NOT NULL,
          option_blocs jsonb NOT NULL,
          exam_first_at timestamptz,
          exam_last_at timestamptz,
          held_on_site integer NOT NULL DEFAULT 0,
          held_at_distance integer NOT NULL DEFAULT 0,
          held_mode_unstated integer NOT NULL DEFAULT 0,
          award_event_id text,
          awarded_at timestamptz,
          revoked_at timestamptz,
          certificate_number text,
          erased_at timestamptz,
          declared_id_technique text,
          declared_at timestamptz,
          declared_flux_id text,
          position text NOT NULL
        )`,
          sql`CREATE INDEX ${sql.id(`${t}_awarded`)} ON ${sql.table(t)} (referential_id, organisation_id, awarded_at, enrollment_id) WHERE awarded_at IS NOT NULL`,
          sql`CREATE INDEX ${sql.id(`${t}_candidate`)} ON ${sql.table(t)} (candidate_id)`,
        ],
      },
    ],
    apply: applyHolders,
  };
}

async function applyHolders(trx: SqlDb, events: readonly ProjectedEvent<HolderEvent>[], tables: TableNames): Promise<void> {
  const t = sql.table(tables.accrochage_holders);
  for (const event of events) {
    const position = formatPosition(event.position);
    if (event.type === 'CandidatePersonalDataErased') {
      await sql`UPDATE ${t} SET erased_at = ${event.data.at}, position = ${position} WHERE candidate_id = ${event.data.candidateId}`.execute(trx);
      continue;
    }
    if (event.type === 'AccrochageDeclared') {
      const ids = event.data.holders.map((h) => h.enrollmentId);
      const techniques = event.data.holders.map((h) => h.idTechnique);
      await sql`UPDATE ${t} h SET declared_id_technique = d.id_technique, declared_at = ${event.data.at}, declared_flux_id = ${event.data.fluxId}, position = ${position}
        FROM unnest(${ids}::text[], ${techniques}::text[]) AS d(enrollment_id, id_technique) WHERE h.enrollment_id = d.enrollment_id`.execute(trx);
      continue;
    }
    const enrollmentId = enrollmentIdOf(event.streamId);
    if (enrollmentId === undefined) continue;
    switch (event.type) {
      case 'CandidateEnrolled':
      case 'EnrolledByTransfer': {
        const d = event.data;
        await sql`INSERT INTO ${t} (enrollment_id, candidate_id, organisation_id, referential_id, version, access_route, registration_initiative, vae_voie, enrolled_at, option_blocs, position)
          VALUES (${enrollmentId}, ${d.candidateId}, ${d.organisationId}, ${d.referentialId}, ${d.version}, ${d.accessRoute}, ${d.registrationInitiative ?? null},
            ${d.vaeVoie ?? null}, ${d.at}, ${JSON.stringify(d.optionBlocs)}::jsonb, ${position})
          ON CONFLICT (enrollment_id) DO NOTHING`.execute(trx);
        break;
      }
      case 'OptionChosen':
        await sql`UPDATE ${t} SET option_blocs = ${JSON.stringify(event.data.optionBlocs)}::jsonb, position = ${position} WHERE enrollment_id = ${enrollmentId}`.execute(
          trx,
        );
        break;
      case 'SittingHeld': {
        const mode = event.data.mode;
        await sql`UPDATE ${t} SET exam_first_at = LEAST(exam_first_at, ${event.data.heldAt}::timestamptz),
            exam_last_at = GREATEST(exam_last_at, ${event.data.heldAt}::timestamptz),
            held_on_site = held_on_site + ${mode === 'on-site' ? 1 : 0}, held_at_distance = held_at_distance + ${mode === 'distance' ? 1 : 0},
            held_mode_unstated = held_mode_unstated + ${mode === undefined ? 1 : 0}, position = ${position}
          WHERE enrollment_id = ${enrollmentId}`.execute(trx);
        break;
      }
      case 'CertificationAwarded':
        // A new award (after an annulment was made good) is a new passage: its own id, its own certificate.
        await sql`UPDATE ${t} SET award_event_id = ${event.id}, awarded_at = ${event.data.at}, option_blocs = ${JSON.stringify(event.data.optionBlocs)}::jsonb,
            revoked_at = NULL, certificate_number = NULL, position = ${position} WHERE enrollment_id = ${enrollmentId}`.execute(trx);
        break;
      case 'CertificationRevoked':
        await sql`UPDATE ${t} SET revoked_at = ${event.data.at}, position = ${position} WHERE enrollment_id = ${enrollmentId}`.execute(trx);
        break;
      case 'DocumentIssued':
        if (event.data.document.kind !== 'certificate') break;
        await sql`UPDATE ${t} SET certificate_number = ${event.data.document.number}, position = ${position} WHERE enrollment_id = ${enrollmentId}`.execute(
          trx,
        );
        break;
    }
  }
}
