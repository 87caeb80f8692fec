import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { indexReferential, Referential } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { EVENT_STORE } from '@jalon/runtime';
import { createApp } from '../apps/api/src/create-app';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Two api processes behind one database, as a deployment scales out: each keeps the folded states
 * of the enrollments it wrote lately (STREAM_STATE_CACHE_SIZE), and neither knows what the other
 * wrote. Whatever each decides must be what it would decide on the stream as it stands.
 */
describe('two api instances writing the same enrollment (PostgreSQL)', () => {
  let first: TestApp;
  let second: INestApplication;
  let secondDir: string;
  let referential: Referential;
  const on = (app: INestApplication) => ({ admin: actor(app, 'admin'), assessor: actor(app, 'assessor'), jury: actor(app, 'jury') });

  beforeAll(async () => {
    first = await startTestApp();
    secondDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-'));
    // The same database, secret and master keys; no projections or issuance of its own.
    second = await createApp({ ...first.config, runProjections: false, runIssuance: false, dataDir: secondDir, documentsDir: join(secondDir, 'documents') });
    await second.init();
    referential = (await on(first.app).admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    rmSync(secondDir, { recursive: true, force: true });
  });

  const criteria = (epreuveCode: string) => [...indexReferential(referential).epreuves.get(epreuveCode)!.criteria];
  const allMet = (epreuveCode: string) => ({ results: criteria(epreuveCode).map((criterion) => ({ criterion, met: true })) });

  async function enrollWithHeldSittings(admin: HttpActor, assessor: HttpActor, count: number) {
    const candidateId = await registerCandidate(admin);
    const id = (
      await admin
        .post('/enrollments', {
          candidateId,
          referentialId: referential.referential,
          version: referential.version,
          cohort: '2026-A',
          accessRoute: 'formation-continue',
          optionBlocs: [],
        })
        .expect(201)
    ).body.id as string;
    const sittings: { sittingId: string; epreuveCode: string }[] = [];
    for (const bloc of referential.blocs.slice(0, count)) {
      const epreuve = bloc.epreuves[0];
      const sittingId = (
        await admin
          .post(`/enrollments/${id}/sittings`, { epreuveCode: epreuve.code, scheduledAt: '2026-06-15T09:00:00Z', assessorIds: [assessor.id] })
          .expect(201)
      ).body.id as string;
      const timedParts = (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes }));
      await admin.post(`/enrollments/${id}/sittings/${sittingId}/held`, { heldAt: '2026-06-15T09:00:00Z', timedParts, accommodationsApplied: [] }).expect(200);
      sittings.push({ sittingId, epreuveCode: epreuve.code });
    }
    return { id, sittings };
  }

  async function streamRevision(enrollmentId: string): Promise<number> {
    const [last] = await first.app.get<EventStore>(EVENT_STORE).readStream(`enrollment-${enrollmentId}`, { direction: 'backwards', maxCount: 1 });
    return last.streamRevision;
  }

  it('a decision on a state the other instance moved is taken again on the stream: it succeeds, or is refused for what is really there', async () => {
    const a = on(first.app);
    const b = on(second);
    const { id, sittings } = await enrollWithHeldSittings(a.admin, a.assessor, 3);
    const [s1, s2, s3] = sittings;

    // The first instance writes (and keeps the state it wrote); the second then writes behind its back.
    const assessed1 = (await a.assessor.post(`/enrollments/${id}/sittings/${s1.sittingId}/assessments`, allMet(s1.epreuveCode)).expect(201)).body;
    const assessed2 = (await b.assessor.post(`/enrollments/${id}/sittings/${s2.sittingId}/assessments`, allMet(s2.epreuveCode)).expect(201)).body;

    // On its own state, the first would not know the assessment the second recorded (404): it corrects it.
    const reason = 'erreur de saisie';
    const corrected = (await a.assessor.post(`/enrollments/${id}/assessments/${assessed2.id}/corrections`, { ...allMet(s2.epreuveCode), reason }).expect(201))
      .body;
    expect(corrected.revision).toBe(await streamRevision(id));

    // The second's state now lags: assessing s2 again is refused for what the stream holds (already assessed)…
    const again = await b.assessor.post(`/enrollments/${id}/sittings/${s2.sittingId}/assessments`, allMet(s2.epreuveCode)).expect(409);
    expect(again.body.code).toBe('ASSESSMENT.ALREADY_RECORDED');
    // …and a decision its lagging state allows conflicts at the append, then goes through on the stream.
    const correctedBySecond = (
      await b.assessor.post(`/enrollments/${id}/assessments/${assessed1.id}/corrections`, { ...allMet(s1.epreuveCode), reason }).expect(201)
    ).body;
    expect(correctedBySecond.revision).toBe(await streamRevision(id));

    // The first, one write behind again, assesses the last sitting: its revision follows the second's.
    const assessed3 = (await a.assessor.post(`/enrollments/${id}/sittings/${s3.sittingId}/assessments`, allMet(s3.epreuveCode)).expect(201)).body;
    expect(assessed3.revision).toBeGreaterThan(correctedBySecond.revision);
    expect(assessed3.revision).toBe(await streamRevision(id));

    // Every act is in the stream once, whichever instance recorded it, and the path shows the three assessments.
    const stream = await first.app.get<EventStore>(EVENT_STORE).readStream(`enrollment-${id}`);
    const acts = stream
      .filter((e) => e.type === 'AssessmentRecorded' || e.type === 'AssessmentCorrected')
      .map((e) => `${e.type} ${(e.data as { assessmentId: string }).assessmentId}`);
    expect(acts).toEqual([
      `AssessmentRecorded ${assessed1.id}`,
      `AssessmentRecorded ${assessed2.id}`,
      `AssessmentCorrected ${assessed2.id}`,
      `AssessmentCorrected ${assessed1.id}`,
      `AssessmentRecorded ${assessed3.id}`,
    ]);
    const path = JSON.stringify((await a.admin.get(`/enrollments/${id}?consistentWith=${assessed3.position}`).expect(200)).body);
    for (const assessmentId of [assessed1.id, assessed2.id, assessed3.id]) expect(path).toContain(assessmentId);
  });
});
