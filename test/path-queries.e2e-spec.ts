import { Referential } from '@jalon/domain';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { eventually } from './support/eventually';
import { PathDriver } from './support/path-driver';
import { settle } from './support/settle';
import { startTestApp, TestApp } from './support/test-app';

describe('questions over HTTP: path, lists, statistics, provenance, the past, findings (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let auditor: HttpActor;
  let jury: HttpActor;
  let referent: HttpActor;
  let driver: PathDriver;
  const ids: Record<string, string> = {};
  let tiersTempsId: string;
  let beforeValidation: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    auditor = actor(testApp.app, 'auditor', 'auditor-1', 'cnc');
    jury = actor(testApp.app, 'jury');
    referent = actor(testApp.app, 'referent');
    const seed001: Referential = (await admin.get('/referentials/data-engineer-data-scientist/versions/1').expect(200)).body;
    driver = new PathDriver(seed001, { admin, jury, referent, assessor: actor(testApp.app, 'assessor') });

    ids.certified = await driver.enroll({ cohort: '2026-A' });
    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC04']) await driver.passBloc(ids.certified, bloc);
    for (const requirement of ['PROJET-FIL-ROUGE', 'SOUTENANCE-FINALE'])
      await jury.post(`/enrollments/${ids.certified}/requirements/${requirement}/validation`).expect(200);
    await jury.post(`/enrollments/${ids.certified}/final-decision`, { decision: 'awarded', place: 'Paris' }).expect(200);

    ids.ready = await driver.enroll({ cohort: '2026-A' });
    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC04']) await driver.passBloc(ids.ready, bloc);
    for (const requirement of ['PROJET-FIL-ROUGE', 'SOUTENANCE-FINALE'])
      await jury.post(`/enrollments/${ids.ready}/requirements/${requirement}/validation`).expect(200);

    ids.started = await driver.enroll({ cohort: '2026-B' });
    tiersTempsId = (await referent.post(`/enrollments/${ids.started}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' }).expect(201)).body.id;
    // The tiers-temps is granted but not given at this sitting: a finding.
    const first = await driver.sit(ids.started, 'E1', { met: (c) => !c.startsWith('C1/') });
    await driver.sit(ids.started, 'E1', { applied: [tiersTempsId], extraTime: true });
    ids.firstAssessment = first.assessmentId;
    beforeValidation = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await jury.post(`/enrollments/${ids.started}/blocs/BC01/validation`).expect(200);
    await settle(testApp.app);
  }, 120_000);
  afterAll(() => testApp?.close());

  it('a candidate’s path, read consistently with the last command', async () => {
    const last = await referent.post(`/enrollments/${ids.started}/jury-consent`).expect(200);
    const path = (await admin.get(`/enrollments/${ids.started}?consistentWith=${last.body.position}`).expect(200)).body;
    expect(path).toMatchObject({
      enrollmentId: ids.started,
      status: 'in-progress',
      certification: { referentialId: 'data-engineer-data-scientist', version: '1', certifier: 'OMNES Education' },
    });
    const bc01 = path.blocs.find((b: { code: string }) => b.code === 'BC01');
    expect(bc01).toMatchObject({ status: 'validated', decidedBy: 'jury', required: true });
    expect(bc01.competencies[0].assessments.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2]);
    expect(path.sittings.map((s: { attempt: number; status: string }) => [s.attempt, s.status])).toEqual([
      [1, 'assessed'],
      [2, 'assessed'],
    ]);
    expect(path.sittings[0].timedParts).toEqual([]);
    expect(path.missing).toEqual({
      blocs: ['BC02', 'BC03', 'BC04'],
      optionGroups: [],
      extraRequirements: ['PROJET-FIL-ROUGE', 'SOUTENANCE-FINALE'],
      // and, for each of those blocs, the épreuves it still owes
      epreuves: [
        { bloc: 'BC02', epreuves: ['E2'] },
        { bloc: 'BC03', epreuves: ['E3'] },
        { bloc: 'BC04', epreuves: ['E4', 'E5'] },
      ],
    });
    const certified = (await admin.get(`/enrollments/${ids.certified}`).expect(200)).body;
    expect(certified.status).toBe('certified');
    expect(certified.awardedAt).toBeDefined();
  });

  it('a malformed consistentWith answers 400', async () => {
    await admin.get(`/enrollments/${ids.started}?consistentWith=yesterday`).expect(400);
  });

  it('admin lists: filters, ready for the jury, bloc status, sorting, pagination, counts and CSV', async () => {
    const all = (await admin.get('/enrollments?referentialId=data-engineer-data-scientist&sort=cohort&order=desc').expect(200)).body;
    expect(all.total).toBe(3);
    expect(all.items[0].cohort).toBe('2026-B');
    const ready = (await admin.get('/enrollments?status=eligible').expect(200)).body;
    expect(ready.items.map((i: { enrollmentId: string }) => i.enrollmentId)).toEqual([ids.ready]);
    const bc04Validated = (await admin.get('/enrollments?bloc=BC04&blocStatus=validated').expect(200)).body;
    expect(bc04Validated.items.map((i: { enrollmentId: string }) => i.enrollmentId).sort()).toEqual([ids.certified, ids.ready].sort());
    const page = (await admin.get('/enrollments?pageSize=2&page=2&sort=enrolledAt').expect(200)).body;
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(1);
    const stalled = (await admin.get('/enrollments?noProgressSince=2999-01-01').expect(200)).body;
    expect(stalled.items.map((i: { enrollmentId: string }) => i.enrollmentId).sort()).toEqual([ids.ready, ids.started].sort());
    const csv = await admin.get('/enrollments?format=csv&cohort=2026-B').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'enrollmentId,candidateId,organisationId,referentialId,version,cohort,accessRoute,status,optionBlocs,validatedBlocs,missingBlocs,enrolledAt,lastProgressAt',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${ids.started},`);
    await admin.get('/enrollments?status=lost').expect(400);
    const otherOrg = actor(testApp.app, 'admin', 'admin-9', 'org-9');
    expect((await otherOrg.get('/enrollments').expect(200)).body.total).toBe(0);
    expect((await auditor.get('/enrollments').expect(200)).body.total).toBe(3);
  });

  it('the CSV is the whole list, beyond a page; a page when one is asked for', async () => {
    const school = actor(testApp.app, 'admin', 'admin-csv', 'org-csv');
    const enrolled: string[] = [];
    for (let i = 0; i < 55; i++) {
      const candidateId = await registerCandidate(school);
      enrolled.push(
        (
          await school
            .post('/enrollments', {
              candidateId,
              referentialId: 'data-engineer-data-scientist',
              version: '1',
              cohort: '2026-C',
              accessRoute: 'vae',
              optionBlocs: [],
            })
            .expect(201)
        ).body.id,
      );
    }
    await settle(testApp.app);
    expect((await school.get('/enrollments').expect(200)).body).toMatchObject({ total: 55, pageSize: 50 });
    const csv = await school.get('/enrollments?format=csv&sort=enrolledAt').expect(200);
    const rows = csv.text.trim().split('\r\n').slice(1);
    expect(csv.headers['x-total-count']).toBe('55');
    expect(rows.map((row) => row.split(',')[0]).sort()).toEqual([...enrolled].sort());
    const page = await school.get('/enrollments?format=csv&pageSize=20&page=3').expect(200);
    expect(page.text.trim().split('\r\n')).toHaveLength(1 + 15);
  });

  it('cohort statistics per bloc with the median time to validation', async () => {
    const stats = (await admin.get('/cohorts/statistics?referentialId=data-engineer-data-scientist&version=1').expect(200)).body;
    const bc01 = stats.blocs.find((b: { bloc: string }) => b.bloc === 'BC01');
    expect(bc01).toMatchObject({ candidates: 3, validated: 3, inProgress: 0, notStarted: 0 });
    const bc02 = stats.blocs.find((b: { bloc: string }) => b.bloc === 'BC02');
    expect(bc02).toMatchObject({ validated: 2, notStarted: 1 });
    expect(typeof bc01.medianDaysToValidation).toBe('number');
  });

  it('the provenance of a bloc: rule, assessments with attempts, accommodations granted and applied, the decision, each with its event', async () => {
    const provenance = (await auditor.get(`/enrollments/${ids.started}/blocs/BC01/provenance`).expect(200)).body;
    expect(provenance.referential).toMatchObject({
      referentialId: 'data-engineer-data-scientist',
      version: '1',
      rule: 'all-competencies-acquired',
      validationPolicy: { blocValidation: 'jury' },
    });
    const types = provenance.history.map((h: { type: string }) => h.type);
    expect(types.filter((t: string) => t === 'AssessmentRecorded')).toHaveLength(2);
    const validated = provenance.history.find((h: { type: string }) => h.type === 'BlocValidated');
    expect(validated).toMatchObject({
      decidedBy: 'jury',
      by: { id: 'jury-1', role: 'jury' },
      eventId: expect.any(String),
      position: expect.stringMatching(/^\d+-\d+$/),
    });
    // The attestation issued for the decision (by the issuance worker, shortly after), with its own event.
    const issued = await eventually(async () => {
      const { attestations, history } = (await auditor.get(`/enrollments/${ids.started}/blocs/BC01/provenance`).expect(200)).body;
      expect(attestations).toEqual([
        expect.objectContaining({
          status: 'valid',
          decisionEventId: validated.eventId,
          eventId: expect.any(String),
          position: expect.stringMatching(/^\d+-\d+$/),
          verification: expect.stringMatching(/^\/verifications\/JAL-A-/),
        }),
      ]);
      expect(history.at(-1)).toMatchObject({ type: 'DocumentIssued', number: attestations[0].number, decisionEventId: validated.eventId });
      return attestations[0];
    }, 30_000);
    // The path lists it among its documents.
    const path = (await admin.get(`/enrollments/${ids.started}`).expect(200)).body;
    expect(path.documents).toEqual([{ number: issued.number, kind: 'attestation', blocCode: 'BC01', issuedAt: issued.issuedAt, status: 'valid' }]);
    const held = provenance.history.filter((h: { type: string }) => h.type === 'SittingHeld');
    expect(held[0].accommodationsNotApplied).toEqual([tiersTempsId]);
    expect(held[1].accommodationsApplied).toEqual([tiersTempsId]);
    // The auditor sees the kind of the measure and where it was given, never its terms (R14).
    expect(provenance.accommodations).toEqual({
      view: 'kinds',
      accommodations: [
        {
          accommodationId: tiersTempsId,
          kind: 'tiers-temps',
          grantedAt: expect.any(String),
          appliedAt: [held[1].sittingId],
          notAppliedAt: [held[0].sittingId],
        },
      ],
    });
    expect(provenance.accommodationHistory).toEqual([
      expect.objectContaining({ type: 'AccommodationGranted', accommodationId: tiersTempsId, eventId: expect.any(String) }),
    ]);
    // An admin sees the same history with the durations, and nothing of the measure; the jury, with
    // the consent recorded here, the measure without its details.
    const forAdmin = (await admin.get(`/enrollments/${ids.started}/blocs/BC01/provenance`).expect(200)).body;
    expect(forAdmin.accommodations).toEqual({ view: 'none' });
    expect(JSON.stringify(forAdmin)).not.toContain('tiers-temps');
    const forJury = (await actor(testApp.app, 'jury').get(`/enrollments/${ids.started}/blocs/BC01/provenance`).expect(200)).body;
    expect(forJury.accommodations).toEqual({
      view: 'consented',
      accommodations: [
        { accommodationId: tiersTempsId, grantedAt: expect.any(String), measure: { kind: 'tiers-temps', scope: { all: true }, validFrom: '2026-01-01' } },
      ],
    });
  });

  it('the jury, without the candidate’s consent, finds no trace of an accommodation in a provenance; with it, the ids and the grant (R10)', async () => {
    const id = await driver.enroll({ cohort: '2026-C' });
    const accommodationId = (await referent.post(`/enrollments/${id}/accommodations`, { kind: 'third-party-assistance', validFrom: '2026-01-01' }).expect(201))
      .body.id;
    await driver.passBloc(id, 'BC01', { applied: [accommodationId] });
    const withoutConsent = (await jury.get(`/enrollments/${id}/blocs/BC01/provenance`).expect(200)).body;
    expect(withoutConsent.accommodations).toEqual({ view: 'none' });
    expect(withoutConsent.accommodationHistory).toEqual([]);
    expect(JSON.stringify(withoutConsent)).not.toContain(accommodationId);
    // The rest of how the bloc was granted is all there.
    expect(withoutConsent.history.map((h: { type: string }) => h.type)).toEqual(
      expect.arrayContaining(['SittingScheduled', 'SittingHeld', 'AssessmentRecorded', 'BlocValidated']),
    );

    const consent = await referent.post(`/enrollments/${id}/jury-consent`).expect(200);
    const withConsent = (await jury.get(`/enrollments/${id}/blocs/BC01/provenance?consistentWith=${consent.body.position}`).expect(200)).body;
    expect(withConsent.history.find((h: { type: string }) => h.type === 'SittingHeld').accommodationsApplied).toEqual([accommodationId]);
    expect(withConsent.accommodationHistory).toEqual([expect.objectContaining({ type: 'AccommodationGranted', accommodationId })]);
    // The consent withdrawn, a look back at when it stood opens nothing either.
    const whileConsented = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await referent.post(`/enrollments/${id}/jury-consent/withdrawal`).expect(200);
    const lookBack = (await jury.get(`/enrollments/${id}/as-of?at=${whileConsented}`).expect(200)).body;
    expect(lookBack.accommodations).toEqual({ view: 'none' });
    expect(JSON.stringify(lookBack)).not.toContain(accommodationId);
    // An admin, who records what was given at the sitting, sees the ids (and never the measure).
    const forAdmin = (await admin.get(`/enrollments/${id}/blocs/BC01/provenance`).expect(200)).body;
    expect(forAdmin.history.find((h: { type: string }) => h.type === 'SittingHeld').accommodationsApplied).toEqual([accommodationId]);
    expect(JSON.stringify(forAdmin)).not.toContain('third-party-assistance');
  });

  it('the path as it stood before the bloc was validated', async () => {
    const past = (await auditor.get(`/enrollments/${ids.started}/as-of?at=${beforeValidation}`).expect(200)).body;
    expect(past.blocs.find((b: { code: string }) => b.code === 'BC01').status).toBe('validatable');
    const now = (await auditor.get(`/enrollments/${ids.started}/as-of?at=${new Date().toISOString()}`).expect(200)).body;
    expect(now.blocs.find((b: { code: string }) => b.code === 'BC01').status).toBe('validated');
    await auditor.get(`/enrollments/${ids.started}/as-of?at=2000-01-01T00:00:00Z`).expect(404);
    // Like every query, it takes the position a command answered.
    const { position } = now;
    await auditor.get(`/enrollments/${ids.started}/as-of?at=${new Date().toISOString()}&consistentWith=${position}`).expect(200);
  });

  it('findings: the tiers-temps granted but not applied at the first sitting', async () => {
    const findings = (await auditor.get('/findings/unapplied-accommodations').expect(200)).body;
    expect(findings).toEqual([
      expect.objectContaining({ finding: 'accommodation-granted-not-applied', enrollmentId: ids.started, epreuve: 'E1', accommodationId: tiersTempsId }),
    ]);
    expect(JSON.stringify(findings)).not.toContain('tiers-temps');
    // The disability referent who granted it follows it up: the same findings, their organisation's only.
    expect((await referent.get('/findings/unapplied-accommodations').expect(200)).body).toEqual(findings);
    expect((await actor(testApp.app, 'referent', 'referent-9', 'org-9').get('/findings/unapplied-accommodations').expect(200)).body).toEqual([]);
    await actor(testApp.app, 'jury').get('/findings/unapplied-accommodations').expect(403);
  });

  it('a candidate reads only their own path', async () => {
    const path = (await admin.get(`/enrollments/${ids.started}`).expect(200)).body;
    const candidate = actor(testApp.app, 'candidate', path.candidateId, 'org-1');
    await candidate.get(`/enrollments/${ids.started}`).expect(200);
    const hidden = await candidate.get(`/enrollments/${ids.certified}`).expect(404);
    expect(hidden.body.code).toBe('ENROLLMENT.NOT_FOUND');
    // How a candidate finds their path: the list holds theirs alone, whatever they filter on.
    const mine = (await candidate.get('/enrollments').expect(200)).body;
    expect(mine).toMatchObject({ total: 1, items: [{ enrollmentId: ids.started, candidateId: path.candidateId }] });
    expect((await candidate.get('/enrollments?status=certified').expect(200)).body.total).toBe(0);
  });

  it('an assessor lists the enrollments with a sitting assigned to them; the referent, the organisation’s', async () => {
    const unassessed = await driver.enroll({ cohort: '2026-Z' });
    await settle(testApp.app);
    const listed = async (reader: HttpActor, query = '') =>
      ((await reader.get(`/enrollments?pageSize=500${query}`).expect(200)).body.items as { enrollmentId: string }[]).map((i) => i.enrollmentId);
    const assigned = await listed(actor(testApp.app, 'assessor'));
    expect(assigned).toEqual(expect.arrayContaining([ids.certified, ids.ready, ids.started]));
    expect(assigned).not.toContain(unassessed);
    expect(await listed(actor(testApp.app, 'assessor', 'assessor-9'))).toEqual([]);
    expect(await listed(referent, '&cohort=2026-Z')).toEqual([unassessed]);
  });

  it('cohort statistics: a candidate who withdrew keeps the blocs validated and counts apart for the others', async () => {
    const id = await driver.enroll({ cohort: '2026-W' });
    await driver.passBloc(id, 'BC01');
    await driver.sit(id, 'E2', { met: () => false });
    await admin.post(`/enrollments/${id}/withdrawal`, { reason: 'reconversion' }).expect(200);
    await settle(testApp.app);
    const stats = (await admin.get('/cohorts/statistics?referentialId=data-engineer-data-scientist&version=1&cohort=2026-W').expect(200)).body;
    const byBloc = Object.fromEntries(stats.blocs.map((b: { bloc: string }) => [b.bloc, b]));
    expect(byBloc.BC01).toMatchObject({ candidates: 1, validated: 1, inProgress: 0, withdrawn: 0 });
    expect(byBloc.BC02).toMatchObject({ candidates: 1, validated: 0, inProgress: 0, notStarted: 0, withdrawn: 1 });

    // A bloc annulled after the withdrawal (fraud found later) counts as annulled, not as left unfinished.
    await jury.post(`/enrollments/${id}/blocs/BC01/annulment`, { reason: 'fraud', details: 'copie' }).expect(200);
    await settle(testApp.app);
    const after = (await admin.get('/cohorts/statistics?referentialId=data-engineer-data-scientist&version=1&cohort=2026-W').expect(200)).body;
    const bc01 = after.blocs.find((b: { bloc: string }) => b.bloc === 'BC01');
    expect(bc01).toMatchObject({ candidates: 1, validated: 0, annulled: 1, withdrawn: 0 });
    // The buckets share out the candidates, bloc by bloc.
    for (const b of after.blocs) expect(b.validated + b.inProgress + b.notStarted + b.annulled + b.withdrawn).toBe(b.candidates);

    // The path still shows what was assessed in the annulled bloc, each assessment marked voided; none counts.
    const path = (await admin.get(`/enrollments/${id}`).expect(200)).body;
    const annulled = path.blocs.find((b: { code: string }) => b.code === 'BC01');
    expect(annulled.status).toBe('annulled');
    const bearing = annulled.competencies.flatMap((c: { acquired: boolean; assessments: { voided?: boolean }[] }) =>
      c.assessments.map((a) => ({ acquired: c.acquired, voided: a.voided })),
    );
    expect(bearing.length).toBeGreaterThan(0);
    expect(bearing.every((a: { acquired: boolean; voided?: boolean }) => a.voided === true && !a.acquired)).toBe(true);
  });
});
