import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { AccrochageDeclarations } from '@jalon/accrochage';
import { AccrochageCertifier } from '@jalon/config';
import { loadCatalogue } from '@jalon/catalogue';
import { accrochageDecider, CandidateIdentity, candidateStreamId, enrollmentStreamId, Referential } from '@jalon/domain';
import { NewEvent, SqlDatabase, SqlEventStore, StreamCommandHandler } from '@jalon/event-store';
import { DataKeys, masterKeysOrThrowaway, PersonalDataReadLog, PersonalDataVault } from '@jalon/privacy';
import { ProjectionRunner } from '@jalon/projections';
import { createHoldersToDeclareProjection, HOLDERS_TO_DECLARE_PROJECTION } from '@jalon/read-models';
import { BENCH_MASTER_KEYS } from './bench-master-keys';
import { sampleLiveHeap } from './live-heap';

const REFERENTIAL_ID = 'expert-ingenierie-science-donnees';
const ORGANISATION = 'bench-accrochage';
const CERTIFIER: AccrochageCertifier = {
  id: 'bench-certifier',
  organisationId: ORGANISATION,
  senderClientId: 'ABCD1234',
  certifierClientId: 'EFGH5678',
  contractId: 'MCFCER000123',
  certifications: [{ referentialId: REFERENTIAL_ID, type: 'RNCP', code: 'RNCP35288' }],
};
const ADMIN = { id: 'bench-admin', role: 'admin' as const };
const APPEND_BATCH = 200;

export interface AccrochageResult {
  readonly holders: number;
  readonly setupSeconds: number;
  /** The export: read model, identities opened and read-logged, flux recorded, XML written. */
  readonly export: { readonly seconds: number; readonly perSecond: number; readonly bytes: number; readonly declared: number };
  /** The same rows and sealed identities read with plain SQL and written out, nothing opened or recorded. */
  readonly raw: { readonly seconds: number; readonly perSecond: number };
  /** Live heap (after a collection) during the export above what it was before it, at its highest (sampled every 100 ms). */
  readonly peakHeapGrowthMb: number;
}

/**
 * accrochage_export_per_s: `holders` candidates (sealed identities with their birth place codes),
 * each awarded seed 000 with its certificate, declared in one flux by the service's own
 * AccrochageDeclarations, against a raw pass over the same rows. The setup appends the events an
 * award leaves for the read model (enrollment, sitting held, award, certificate), not whole paths:
 * the export reads nothing else.
 */
export async function measureAccrochage(home: SqlDatabase, store: SqlEventStore, holders: number, log: (line: string) => void): Promise<AccrochageResult> {
  const setupStarted = performance.now();
  const vault = new PersonalDataVault(new DataKeys(home.db, masterKeysOrThrowaway(BENCH_MASTER_KEYS)));
  for (let start = 0; start < holders; start += APPEND_BATCH) {
    const batch = Array.from({ length: Math.min(APPEND_BATCH, holders - start) }, (_, k) => start + k);
    await Promise.all(batch.map((i) => appendAward(store, vault, i)));
    if ((start / APPEND_BATCH) % 10 === 9) log(`  ${start + batch.length} awards appended`);
  }
  const runner = new ProjectionRunner(home.db, store, [createHoldersToDeclareProjection()]);
  await runner.prepare();
  await runner.rebuild(HOLDERS_TO_DECLARE_PROJECTION);
  await sql`VACUUM (ANALYZE) accrochage_holders`.execute(home.db);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const catalogue = new Map(loadCatalogue().entries.map((e) => [`${e.referential.referential}@${e.referential.version}`, e.referential]));
  const declarations = new AccrochageDeclarations({
    db: home.db,
    store,
    vault,
    readLog: new PersonalDataReadLog(home.db),
    declarations: new StreamCommandHandler(store, accrochageDecider),
    referential: async (id, version) => catalogue.get(`${id}@${version}`) as Referential,
    certifiers: [CERTIFIER],
    verificationUrl: (number) => `https://jalon.example.org/verify/${number}`,
  });
  const dir = mkdtempSync(join(tmpdir(), 'jalon-bench-accrochage-'));
  try {
    log(`  raw pass: ${holders} rows and their sealed identities read with plain SQL, written out...`);
    const raw = await rawPass(home, join(dir, 'raw.txt'));

    const out = join(dir, 'flux.xml');
    const actor = { ...ADMIN, organisationId: ORGANISATION };
    const started = performance.now();
    const report = await declarations.declare({ certifierId: CERTIFIER.id, actor, out });
    const seconds = (performance.now() - started) / 1000;

    // Memory apart, on a second export (the same holders, redeclared): what it keeps, not the
    // garbage it leaves, so the heap is sampled after a full collection, which would slow the timing.
    const heap = sampleLiveHeap(100);
    const again = await declarations.declare({ certifierId: CERTIFIER.id, actor, out: join(dir, 'again.xml'), redeclare: true });
    const peakHeapGrowthMb = heap.stop();
    if (again.declared.length !== holders) throw new Error(`the second export redeclared ${again.declared.length} of ${holders} holders`);
    if (report.declared.length !== holders)
      throw new Error(`the export declared ${report.declared.length} of ${holders} holders (refused ${report.refused.length})`);
    return {
      holders,
      setupSeconds,
      export: { seconds, perSecond: holders / seconds, bytes: statSync(out).size, declared: report.declared.length },
      raw,
      peakHeapGrowthMb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function appendAward(store: SqlEventStore, vault: PersonalDataVault, i: number): Promise<void> {
  const candidateId = randomUUID();
  const enrollmentId = randomUUID();
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const identity: CandidateIdentity = {
    birthName: `Martin${i}`,
    firstNames: ['Léa', 'Marie'],
    birthDate: '2001-03-14',
    sex: i % 2 ? 'M' : 'F',
    birthPlace: 'Lyon',
    birthPlaceCodes: { inseeCode: '69123' },
    email: `candidate${i}@example.org`,
  };
  const [registered] = await vault.seal(
    [{ type: 'CandidateRegistered', data: { candidateId, organisationId: ORGANISATION, identity, by: ADMIN, at } }],
    candidateId,
  );
  await store.append(candidateStreamId(candidateId), [event(registered.type, registered.data)], { expectedRevision: 'no_stream' });
  const by = ADMIN;
  await store.append(
    enrollmentStreamId(enrollmentId),
    [
      event('CandidateEnrolled', {
        enrollmentId,
        candidateId,
        organisationId: ORGANISATION,
        referentialId: REFERENTIAL_ID,
        version: '1',
        cohort: '2026-A',
        accessRoute: 'formation-continue',
        optionBlocs: ['BC05'],
        by,
        at,
      }),
      event('SittingHeld', {
        sittingId: randomUUID(),
        heldAt: at,
        timedParts: [],
        accommodationsApplied: [],
        accommodationsNotApplied: [],
        mode: 'on-site',
        by,
        at,
      }),
      event('CertificationAwarded', {
        referentialId: REFERENTIAL_ID,
        version: '1',
        optionBlocs: ['BC05'],
        blocs: ['BC01', 'BC02', 'BC03', 'BC05'],
        extraRequirements: [],
        place: 'Paris',
        by,
        at,
      }),
      event('DocumentIssued', {
        document: {
          kind: 'certificate',
          number: `JAL-C-${String(i).padStart(10, '0')}`,
          decisionEventId: randomUUID(),
          pdfSha256: '0'.repeat(64),
          credentialSha256: '0'.repeat(64),
        },
        by,
        at,
      }),
    ],
    { expectedRevision: 'no_stream' },
  );
}

const event = (type: string, data: unknown): NewEvent => ({ id: randomUUID(), type, data, metadata: { actor: ADMIN } });

/** The floor of an export here: the rows and their identity events read page by page with plain SQL, a line each written out. */
async function rawPass(home: SqlDatabase, path: string): Promise<{ seconds: number; perSecond: number }> {
  const started = performance.now();
  const out = createWriteStream(path);
  let rows = 0;
  let after = '';
  for (;;) {
    const page = await sql<{ enrollment_id: string; candidate_id: string; award_event_id: string; data: unknown }>`
      SELECT h.enrollment_id, h.candidate_id, h.award_event_id, e.data FROM accrochage_holders h
      JOIN events e ON e.stream_id = 'candidate-' || h.candidate_id
      WHERE h.awarded_at IS NOT NULL AND h.enrollment_id > ${after} ORDER BY h.enrollment_id LIMIT 500`.execute(home.db);
    if (page.rows.length === 0) break;
    for (const row of page.rows) if (!out.write(`${row.enrollment_id};${row.award_event_id};${JSON.stringify(row.data)}\n`)) await once(out, 'drain');
    rows += page.rows.length;
    after = page.rows[page.rows.length - 1].enrollment_id;
  }
  out.end();
  await once(out, 'close');
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: rows / seconds };
}
