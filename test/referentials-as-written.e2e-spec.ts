import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { indexReferential, Referential } from '@jalon/domain';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { settle } from './support/settle';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 15, end to end over HTTP: a fifth référentiel as certifiers write them — an engineering
 * diplôme by apprenticeship in rows, criteria stated once per row, épreuves owed on one route, the
 * maître d'apprentissage's observations over the training — imported, then a candidate taken through it.
 */
const FIXTURE = join(__dirname, 'fixtures/referentials/ingenieur-informatique-apprentissage@1.yaml');
const REFERENTIAL_ID = 'ingenieur-informatique-apprentissage';

describe('a diplôme by apprenticeship, written in rows (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let jury: HttpActor;
  let teacher: HttpActor;
  let master: HttpActor;
  let auditor: HttpActor;
  let referential: Referential;

  const criteriaOf = (epreuve: string) => [...indexReferential(referential).epreuves.get(epreuve)!.criteria];
  const path = async (id: string) => {
    await settle(testApp.app);
    return (await admin.get(`/enrollments/${id}`).expect(200)).body;
  };
  const schedule = (id: string, epreuveCode: string, by: HttpActor, scheduledAt = '2026-03-02T09:00:00Z') =>
    admin.post(`/enrollments/${id}/sittings`, { epreuveCode, scheduledAt, assessorIds: [by.id] });
  /** Holds and assesses a scheduled sitting; `met` decides each criterion. */
  async function assess(id: string, sittingId: string, epreuve: string, by: HttpActor, heldAt: string, met: (criterion: string) => boolean = () => true) {
    await admin.post(`/enrollments/${id}/sittings/${sittingId}/held`, { heldAt, timedParts: [], accommodationsApplied: [] }).expect(200);
    return by
      .post(`/enrollments/${id}/sittings/${sittingId}/assessments`, { results: criteriaOf(epreuve).map((criterion) => ({ criterion, met: met(criterion) })) })
      .expect(201);
  }
  /** The id of an enrollment made as `body` says (201 expected). */
  const enrollmentOf = async (body: object): Promise<string> => {
    const response = await enroll(body);
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const enroll = async (body: object) =>
    admin.post('/enrollments', {
      candidateId: await registerCandidate(admin),
      referentialId: REFERENTIAL_ID,
      version: '1',
      cohort: 'FISA-2025',
      optionBlocs: [],
      ...body,
    });

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    auditor = actor(testApp.app, 'auditor');
    teacher = actor(testApp.app, 'assessor', 'enseignant-1');
    master = actor(testApp.app, 'assessor', 'maitre-1');
    await admin.post('/referentials', { content: readFileSync(FIXTURE, 'utf8') }).expect(201);
    await settle(testApp.app);
    referential = (await admin.get(`/referentials/${REFERENTIAL_ID}/versions/1`).expect(200)).body;
  });
  afterAll(() => testApp?.close());

  it('imports it as it is written: a diplôme with no invented title, level or certifier, untitled rows with their activities', async () => {
    expect(referential.certification).toMatchObject({ kind: 'diplome-ingenieur', level: 7, eqfLevel: 7 });
    expect(referential.certification.certifier).toBeUndefined();
    expect(referential.certification.rncpCode).toBeUndefined();
    const row = referential.blocs[0];
    expect(row.title).toBeUndefined();
    expect(row.activities?.length).toBeGreaterThan(0);
    expect(row.criteriaRule).toBe('each-epreuve');
  });

  it('says at publication, in the catalogue and on the version, which parchemin mentions (R15) the référentiel does not state', async () => {
    const missing = ['registration-code', 'registration-decision-reference', 'registration-decision-date', 'certifier', 'nsf-codes'];
    const mentionsOf = (documents: { issuable: boolean; missingMentions: { mention: string }[] }) => ({
      issuable: documents.issuable,
      missing: documents.missingMentions.map((m) => m.mention),
    });
    expect(mentionsOf((referential as unknown as { documents: never }).documents)).toEqual({ issuable: false, missing });
    const listed = (await admin.get('/referentials').expect(200)).body.find((r: { referential: string }) => r.referential === REFERENTIAL_ID);
    expect(mentionsOf(listed.documents)).toEqual({ issuable: false, missing });

    // The same diplôme with every mention stated: published, and said issuable from the start.
    const stated = parse(readFileSync(FIXTURE, 'utf8'));
    stated.version = 'mentions';
    stated.certification = {
      ...stated.certification,
      rncpCode: 'RNCP99999',
      registration: { decisionDate: '2025-06-30', decisionReference: 'Décision n° 2025-0630 du directeur général de France Compétences' },
      certifier: 'École d’ingénieurs de test',
      nsfCodes: ['326'],
    };
    const published = await admin.post('/referentials', { content: stringify(stated) }).expect(201);
    expect(mentionsOf(published.body.documents)).toEqual({ issuable: true, missing: [] });
    expect(published.body.events).toEqual(['ReferentialVersionPublished']);
    await settle(testApp.app);
    expect((await admin.get(`/referentials/${REFERENTIAL_ID}/versions/mentions`).expect(200)).body.documents).toEqual({ issuable: true, missingMentions: [] });
  });

  it('refuses at import an épreuve on which no criterion can be ruled, and changes nothing', async () => {
    // Seed 003 states its criteria per épreuve: a second épreuve of BC01 given none could never be assessed.
    const seed = parse(readFileSync(join(__dirname, '../referentials/data-ia-quatre-blocs@1.yaml'), 'utf8'));
    const [first] = seed.blocs[0].epreuves;
    seed.version = 'unassessable';
    seed.blocs[0].epreuves.push({ ...first, code: 'BC01-E2', label: 'E2', criteria: undefined });
    const content = stringify(seed);
    const refused = await admin.post('/referentials', { content }).expect(400);
    expect(refused.body.code).toBe('REFERENTIAL.INVALID');
    expect(refused.body.problems.map((p: { code: string }) => p.code)).toContain('REFERENTIAL.UNASSESSABLE_EPREUVE');
    await admin.get('/referentials/data-ia-quatre-blocs/versions/unassessable').expect(404);
  });

  it('an apprentice names a maître d’apprentissage; each row owes each of its modalities; observations over the training; the failed one shows', async () => {
    const withoutMaster = await enroll({ accessRoute: 'apprentissage' });
    expect(withoutMaster.status).toBe(400);
    expect(withoutMaster.body).toMatchObject({ code: 'ENROLLMENT.APPRENTICESHIP_MASTER_REQUIRED' });

    const enrolled = await enroll({
      accessRoute: 'apprentissage',
      apprenticeship: { masterId: master.id, company: 'Acme SAS' },
      trainingStartDate: '2025-09-01',
    });
    expect(enrolled.status).toBe(201);
    const id = enrolled.body.id as string;

    // Row L1: the academic sequence alone acquires nothing, and the jury is told which épreuve is owed.
    const academic = (await schedule(id, 'L1-SA', teacher).expect(201)).body.id;
    await assess(id, academic, 'L1-SA', teacher, '2026-03-02T09:00:00Z');
    let current = await path(id);
    expect(current.apprenticeship).toEqual({ masterId: master.id, company: 'Acme SAS' });
    expect(current.trainingStartDate).toBe('2025-09-01');
    expect(current.blocs[0].competencies.map((c: { acquired: boolean }) => c.acquired)).toEqual([false, false]);
    expect(current.missing.epreuves).toContainEqual({ bloc: 'L1', epreuves: ['L1-SE'] });
    const refused = await jury.post(`/enrollments/${id}/blocs/L1/validation`).expect(409);
    expect(refused.body).toMatchObject({ code: 'BLOC.NOT_VALIDATABLE', owedEpreuves: ['L1-SE'] });

    // The company sequence is the maître d'apprentissage's, and theirs alone.
    const byTeacher = await schedule(id, 'L1-SE', teacher).expect(400);
    expect(byTeacher.body).toMatchObject({ code: 'SITTING.NOT_THE_APPRENTICESHIP_MASTER', field: 'assessorIds' });
    const company = (await schedule(id, 'L1-SE', master).expect(201)).body.id;
    await assess(id, company, 'L1-SE', master, '2026-04-02T09:00:00Z');
    current = await path(id);
    expect(current.blocs[0].competencies.map((c: { acquired: boolean }) => c.acquired)).toEqual([true, true]);
    expect(current.blocs[0].status).toBe('validatable');
    await jury.post(`/enrollments/${id}/blocs/L1/validation`).expect(200);
    // Statistics count from the start of the apprenticeship contract, not from the day it was keyed in.
    await settle(testApp.app);
    const stats = (await admin.get(`/cohorts/statistics?referentialId=${REFERENTIAL_ID}&version=1&cohort=FISA-2025`).expect(200)).body;
    const daysSinceStart = (Date.now() - Date.parse('2025-09-01T00:00:00Z')) / 86_400_000;
    expect(stats.blocs.find((b: { bloc: string }) => b.bloc === 'L1').medianDaysToValidation).toBeCloseTo(daysSinceStart, 0);

    // The provenance says in which capacity each assessor acted.
    await settle(testApp.app);
    const provenance = (await auditor.get(`/enrollments/${id}/blocs/L1/provenance`).expect(200)).body;
    const assessed = provenance.history.filter((item: { type: string }) => item.type === 'AssessmentRecorded');
    expect(assessed.map((a: { capacity: string; assessor: { id: string } }) => [a.capacity, a.assessor.id])).toEqual([
      ['enseignant', teacher.id],
      ['maitre-apprentissage', master.id],
    ]);

    // Row L3: the maître d'apprentissage observes throughout the training; two observations open at once.
    const first = (await schedule(id, 'L3-MA', master, '2026-01-15T09:00:00Z').expect(201)).body.id;
    const second = (await schedule(id, 'L3-MA', master, '2026-05-15T09:00:00Z').expect(201)).body.id;
    await assess(id, first, 'L3-MA', master, '2026-01-15T09:00:00Z', (criterion) => !criterion.endsWith('CE3.2'));
    current = await path(id);
    const observed = current.blocs[2].competencies[1].assessments;
    expect(observed).toEqual([
      expect.objectContaining({ epreuve: 'L3-MA', observation: 1, passed: false, heldAt: '2026-01-15T09:00:00Z', capacity: 'maitre-apprentissage' }),
    ]);
    expect(
      current.sittings
        .filter((s: { epreuve: string }) => s.epreuve === 'L3-MA')
        .map((s: { observation: number; attempt: number }) => [s.observation, s.attempt]),
    ).toEqual([
      [1, 1],
      [2, 1],
    ]);
    // The last observation gives the result.
    await assess(id, second, 'L3-MA', master, '2026-05-15T09:00:00Z');
    current = await path(id);
    expect(current.blocs[2].competencies.map((c: { acquired: boolean }) => c.acquired)).toEqual([true, true]);
  });

  it('an admin changes the maître d’apprentissage: the new one alone is assigned and assesses from then on; what the former one assessed stays', async () => {
    const successor = actor(testApp.app, 'assessor', 'maitre-2');
    const id = await enrollmentOf({ accessRoute: 'apprentissage', apprenticeship: { masterId: master.id, company: 'Acme SAS' } });
    // Row L3: a first observation by the first master, assessed; a second one held, not yet assessed.
    const first = (await schedule(id, 'L3-MA', master, '2026-01-15T09:00:00Z').expect(201)).body.id;
    await assess(id, first, 'L3-MA', master, '2026-01-15T09:00:00Z');
    const second = (await schedule(id, 'L3-MA', master, '2026-02-15T09:00:00Z').expect(201)).body.id;
    await admin.post(`/enrollments/${id}/sittings/${second}/held`, { heldAt: '2026-02-15T09:00:00Z', timedParts: [], accommodationsApplied: [] }).expect(200);
    let current = await path(id);
    const acquiredBefore = current.blocs[2].competencies.map((c: { acquired: boolean }) => c.acquired);
    expect(acquiredBefore).toEqual([true, true]);

    const change = { masterId: successor.id, company: 'Globex SA', reason: 'Le maître d’apprentissage a quitté l’entreprise' };
    // The admin's act alone; a body that says nothing is refused field by field, and changes nothing.
    await jury.post(`/enrollments/${id}/apprenticeship-master`, change).expect(403);
    const empty = await admin.post(`/enrollments/${id}/apprenticeship-master`, { masterId: '', company: 'Globex SA' }).expect(400);
    expect(empty.body.code).toBe('REQUEST.INVALID');
    const blank = await admin.post(`/enrollments/${id}/apprenticeship-master`, { ...change, reason: '   ' }).expect(400);
    expect(blank.body).toMatchObject({ code: 'COMMAND.FIELD_REQUIRED', field: 'reason' });
    expect((await path(id)).apprenticeship).toEqual({ masterId: master.id, company: 'Acme SAS' });

    // Recorded once, whatever the retries under the same Idempotency-Key.
    const key = { 'Idempotency-Key': `change-master-${id}` };
    const done = await admin.post(`/enrollments/${id}/apprenticeship-master`, change, key).expect(200);
    const retried = await admin.post(`/enrollments/${id}/apprenticeship-master`, change, key).expect(200);
    expect(retried.body).toEqual(done.body);
    // Naming the same master and company again records nothing.
    const again = await admin.post(`/enrollments/${id}/apprenticeship-master`, change).expect(200);
    expect(again.body.revision).toBe(done.body.revision);

    current = await path(id);
    expect(current.apprenticeship).toEqual({ masterId: successor.id, company: 'Globex SA' });
    expect(current.sittings.find((s: { sittingId: string }) => s.sittingId === second).assessors).toEqual([successor.id]);
    expect(current.sittings.find((s: { sittingId: string }) => s.sittingId === first).assessors).toEqual([master.id]);
    expect(current.blocs[2].competencies.map((c: { acquired: boolean }) => c.acquired)).toEqual(acquiredBefore);

    // The former master no longer assesses, is no longer assigned, and no longer corrects what they assessed.
    const criteria = criteriaOf('L3-MA').map((criterion) => ({ criterion, met: true }));
    const byFormer = await master.post(`/enrollments/${id}/sittings/${second}/assessments`, { results: criteria }).expect(403);
    expect(byFormer.body.code).toBe('ASSESSMENT.ASSESSOR_NOT_ASSIGNED');
    const scheduledForFormer = await schedule(id, 'L1-SE', master).expect(400);
    expect(scheduledForFormer.body).toMatchObject({ code: 'SITTING.NOT_THE_APPRENTICESHIP_MASTER', field: 'assessorIds', expected: [successor.id] });
    const firstAssessment = current.blocs[2].competencies[0].assessments.find((a: { observation: number }) => a.observation === 1).assessmentId;
    const correction = await master
      .post(`/enrollments/${id}/assessments/${firstAssessment}/corrections`, { results: criteria, reason: 'relecture' })
      .expect(403);
    expect(correction.body.code).toBe('ASSESSMENT.FORMER_APPRENTICESHIP_MASTER');
    await successor.post(`/enrollments/${id}/sittings/${second}/assessments`, { results: criteria }).expect(201);
    await schedule(id, 'L1-SE', successor).expect(201);

    // The path and the provenance say who assessed each observation, in which capacity, and when the master changed.
    current = await path(id);
    expect(current.blocs[2].competencies[0].assessments.map((a: { observation: number; capacity: string }) => [a.observation, a.capacity])).toEqual([
      [1, 'maitre-apprentissage'],
      [2, 'maitre-apprentissage'],
    ]);
    const provenance = (await auditor.get(`/enrollments/${id}/blocs/L3/provenance`).expect(200)).body;
    expect(provenance.history.find((item: { type: string }) => item.type === 'ApprenticeshipMasterChanged')).toMatchObject({
      apprenticeship: { masterId: successor.id, company: 'Globex SA' },
      previous: { masterId: master.id, company: 'Acme SAS' },
      reason: change.reason,
      reassignedSittings: [second],
      by: { id: admin.id, role: 'admin' },
    });
    expect(
      provenance.history.filter((item: { type: string }) => item.type === 'AssessmentRecorded').map((a: { assessor: { id: string } }) => a.assessor.id),
    ).toEqual([master.id, successor.id]);

    // A VAE candidate has no maître d'apprentissage to change.
    const vae = await enrollmentOf({ accessRoute: 'vae' });
    const refused = await admin.post(`/enrollments/${vae}/apprenticeship-master`, change).expect(409);
    expect(refused.body.code).toBe('APPRENTICESHIP.NOT_AN_APPRENTICESHIP');
  });

  it('option groups on each route: refused at import when a route cannot complete a group; an option a route cannot complete is refused at enrollment', async () => {
    const base = parse(readFileSync(FIXTURE, 'utf8'));
    const optionBloc = (code: string, routes: string[] | undefined) => ({
      code,
      optionGroup: 'APPROFONDISSEMENT',
      optionLabel: `Approfondissement ${code}`,
      competencies: [{ code: `${code}.1`, title: `Compétence d’approfondissement ${code}` }],
      criteria: [{ code: `CE${code}`, text: 'La réalisation répond au besoin' }],
      epreuves: [
        {
          code: `${code}-PR`,
          title: `Projet d’approfondissement ${code}`,
          kind: 'projet',
          covers: [`${code}.1`],
          deliverables: ['written-report'],
          assessorKind: routes ? 'maitre-apprentissage' : 'jury-professionnels',
          ...(routes ? { routes } : {}),
        },
      ],
    });
    const withOptions = (version: string, second: string[] | undefined) =>
      stringify({
        ...base,
        version,
        optionGroups: [{ code: 'APPROFONDISSEMENT', title: 'Approfondissement', choose: 1 }],
        blocs: [...base.blocs, optionBloc('L5', ['apprentissage']), optionBloc('L6', second)],
      });
    // Both option blocs for apprentices only: a VAE candidate could complete none of the group.
    const refused = await admin.post('/referentials', { content: withOptions('options-apprentis', ['apprentissage']) }).expect(400);
    expect(refused.body.code).toBe('REFERENTIAL.INVALID');
    expect(refused.body.problems.filter((p: { code: string }) => p.code === 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE')).toEqual([
      expect.objectContaining({ path: '/optionGroups/0', message: expect.stringContaining('vae') }),
    ]);
    await admin.get(`/referentials/${REFERENTIAL_ID}/versions/options-apprentis`).expect(404);

    // L6 on every route: the group can be completed on each; L5 alone cannot be chosen by a VAE candidate.
    await admin.post('/referentials', { content: withOptions('options', undefined) }).expect(201);
    await settle(testApp.app);
    const enrollVae = async (optionBlocs: string[]) =>
      admin.post('/enrollments', {
        candidateId: await registerCandidate(admin),
        referentialId: REFERENTIAL_ID,
        version: 'options',
        cohort: 'VAE-2026',
        accessRoute: 'vae',
        optionBlocs,
      });
    const incompletable = await enrollVae(['L5']);
    expect(incompletable.status).toBe(400);
    expect(incompletable.body).toMatchObject({ code: 'OPTION.INCOMPLETABLE_ON_ROUTE', field: 'optionBlocs', bloc: 'L5', route: 'vae', competencies: ['L5.1'] });
    const fresh = await enrollVae([]);
    expect(fresh.status).toBe(201);
    const id = fresh.body.id as string;
    const later = await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['L5'] }).expect(400);
    expect(later.body).toMatchObject({ code: 'OPTION.INCOMPLETABLE_ON_ROUTE', bloc: 'L5' });
    await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['L6'] }).expect(200);
  });

  it('a VAE candidate owes the VAE épreuves only; a route the diplôme is not open to is refused', async () => {
    const id = (await enroll({ accessRoute: 'vae' }).then((r) => r.body)).id as string;
    const refused = await schedule(id, 'L1-SA', teacher).expect(409);
    expect(refused.body).toMatchObject({ code: 'SITTING.EPREUVE_NOT_ON_ROUTE' });
    const vae = (await schedule(id, 'L1-VAE', teacher).expect(201)).body.id;
    await assess(id, vae, 'L1-VAE', teacher, '2026-06-02T09:00:00Z');
    const current = await path(id);
    expect(current.blocs[0].competencies.map((c: { acquired: boolean }) => c.acquired)).toEqual([true, true]);
    expect(current.missing.epreuves.map((owed: { bloc: string }) => owed.bloc)).toEqual(['L2', 'L3', 'L4']);

    const closedRoute = await enroll({ accessRoute: 'formation-continue' });
    expect(closedRoute.status).toBe(400);
    expect(closedRoute.body).toMatchObject({ code: 'ENROLLMENT.ROUTE_NOT_OPEN', field: 'accessRoute' });
  });
});
