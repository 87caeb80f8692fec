import { Referential } from '@jalon/domain';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { settle } from './support/settle';
import { startTestApp, TestApp } from './support/test-app';

/** One candidate of each remaining référentiel to the full certification, and the failures on the way. */
describe('paths to the full certification over HTTP (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let jury: HttpActor;
  let assessor: HttpActor;
  const driverFor = async (referentialId: string) => {
    const referential: Referential = (await admin.get(`/referentials/${referentialId}/versions/1`).expect(200)).body;
    return new PathDriver(referential, { admin, jury, assessor, referent: actor(testApp.app, 'referent') });
  };
  const path = async (id: string) => {
    await settle(testApp.app);
    return (await admin.get(`/enrollments/${id}`).expect(200)).body;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    assessor = actor(testApp.app, 'assessor');
  });
  afterAll(() => testApp?.close());

  it('seed 003: criteria per épreuve, four blocs, the certification; then an annulled bloc revokes it until retaken', async () => {
    const driver = await driverFor('data-ia-quatre-blocs');
    const id = await driver.enroll();
    expect(driver.criteria('BC01-E1').every((c) => c.startsWith('BC01-E1/CR'))).toBe(true);
    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC04']) await driver.passBloc(id, bloc);
    const awarded = await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Lille' }).expect(200);
    expect(awarded.body.events).toEqual(['FinalJuryDecisionRecorded', 'CertificationAwarded']);
    expect((await path(id)).status).toBe('certified');

    // Plagiarism found: the jury annuls BC02; the certificate resting on it is revoked.
    const annulled = await jury.post(`/enrollments/${id}/blocs/BC02/annulment`, { reason: 'plagiarism', details: 'rapport copié' }).expect(200);
    expect(annulled.body.events.slice(0, 2)).toEqual(['CertificationRevoked', 'BlocAnnulled']);
    const after = await path(id);
    expect(after.status).toBe('in-progress');
    expect(after.blocs.find((b: { code: string }) => b.code === 'BC02').status).toBe('annulled');
    expect(after.missing.blocs).toEqual(['BC02']);
    // The award stays as the jury took it, marked undone by the annulment.
    expect(after.juryDecision).toMatchObject({
      decision: 'awarded',
      place: 'Lille',
      revoked: { cause: 'bloc-annulled', blocCode: 'BC02', at: expect.any(String) },
    });
    await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Lille' }).expect(409);

    // The bloc is taken again, validated again, and the certification awarded again.
    await driver.passBloc(id, 'BC02');
    await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Lille' }).expect(200);
    const again = await path(id);
    expect(again.status).toBe('certified');
    expect(again.juryDecision.revoked).toBeUndefined();
    const provenance = (await actor(testApp.app, 'auditor', 'auditor-1', 'cnc').get(`/enrollments/${id}/blocs/BC02/provenance`).expect(200)).body;
    expect(provenance.history.map((h: { type: string }) => h.type).filter((t: string) => t.startsWith('Bloc'))).toEqual([
      'BlocBecameValidatable',
      'BlocValidated',
      'BlocAnnulled',
      'BlocBecameValidatable',
      'BlocValidated',
    ]);
  });

  it('a refused final decision is on the path, which stays ready for the jury; a later jury awards', async () => {
    const driver = await driverFor('data-ia-quatre-blocs');
    const id = await driver.enroll();
    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC04']) await driver.passBloc(id, bloc);
    const refused = await jury.post(`/enrollments/${id}/final-decision`, { decision: 'refused', place: 'Lille', reason: 'dossier incomplet' }).expect(200);
    expect(refused.body.events).toEqual(['FinalJuryDecisionRecorded']);
    const afterRefusal = await path(id);
    expect(afterRefusal).toMatchObject({
      status: 'eligible',
      juryDecision: { decision: 'refused', place: 'Lille', reason: 'dossier incomplet', by: 'jury-1', at: expect.any(String) },
    });
    expect(afterRefusal.awardedAt).toBeUndefined();
    await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Paris' }).expect(200);
    const awarded = await path(id);
    expect(awarded).toMatchObject({ status: 'certified', juryDecision: { decision: 'awarded', place: 'Paris' } });
    expect(awarded.juryDecision.reason).toBeUndefined();
  });

  it('seed 002: a failed attempt then a pass, and a corrected assessment, to the certification', async () => {
    const driver = await driverFor('expert-en-data-science');
    const id = await driver.enroll();
    const bc01 = driver.referential.blocs[0].epreuves[0].code;
    const firstCriterion = driver.criteria(bc01)[0];
    // First attempt: one criterion not met, the bloc is not validatable.
    const failed = await driver.sit(id, bc01, { met: (c) => c !== firstCriterion });
    expect(failed.outcome.events).not.toContain('BlocBecameValidatable');
    await jury.post(`/enrollments/${id}/blocs/BC01/validation`).expect(409);
    // Second attempt passes.
    const passed = await driver.sit(id, bc01);
    expect(passed.outcome.events).toContain('BlocBecameValidatable');
    await jury.post(`/enrollments/${id}/blocs/BC01/validation`).expect(200);

    // BC02: the assessor mis-keyed a criterion; a correction (with its reason) fixes it.
    const bc02 = driver.referential.blocs[1].epreuves[0].code;
    const mistaken = driver.criteria(bc02)[1];
    const sat = await driver.sit(id, bc02, { met: (c) => c !== mistaken });
    const corrected = await assessor
      .post(`/enrollments/${id}/assessments/${sat.assessmentId}/corrections`, {
        results: driver.criteria(bc02).map((criterion) => ({ criterion, met: true })),
        reason: 'erreur de saisie du critère',
      })
      .expect(201);
    expect(corrected.body.events[0]).toBe('AssessmentCorrected');
    expect(corrected.body.events).toContain('BlocBecameValidatable');
    await jury.post(`/enrollments/${id}/blocs/BC02/validation`).expect(200);
    for (const bloc of ['BC03', 'BC04']) await driver.passBloc(id, bloc);
    await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Paris' }).expect(200);
    const final = await path(id);
    expect(final.status).toBe('certified');
    const bc01View = final.blocs.find((b: { code: string }) => b.code === 'BC01');
    expect(bc01View.competencies[0].assessments.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2]);
    const provenance = (await admin.get(`/enrollments/${id}/blocs/BC02/provenance`).expect(200)).body;
    type Item = {
      type: string;
      assessmentId?: string;
      correctionId?: string;
      correctedBy?: string[];
      evidence?: { criterion: string; assessmentId: string; correctionId?: string }[];
    };
    const correction = (provenance.history as Item[]).find((h) => h.type === 'AssessmentCorrected');
    expect(correction).toMatchObject({ corrects: sat.assessmentId, reason: 'erreur de saisie du critère', by: { id: 'assessor-1', role: 'assessor' } });
    // The corrected assessment is marked, and the evidence of the mis-keyed criterion names the correction that made it met.
    expect((provenance.history as Item[]).find((h) => h.type === 'AssessmentRecorded' && h.assessmentId === sat.assessmentId)?.correctedBy).toEqual([
      correction!.correctionId,
    ]);
    const evidence = (provenance.history as Item[]).filter((h) => h.type === 'CompetencyAcquired').flatMap((h) => h.evidence ?? []);
    expect(evidence.filter((e) => e.criterion === mistaken)).toEqual([
      { criterion: mistaken, assessmentId: sat.assessmentId, correctionId: correction!.correctionId },
    ]);
    expect(evidence.filter((e) => e.criterion !== mistaken).every((e) => e.correctionId === undefined)).toBe(true);
    // The path shows the corrected counts under the assessment, marked as corrected.
    const bc02View = final.blocs.find((b: { code: string }) => b.code === 'BC02');
    const shown = bc02View.competencies
      .flatMap((c: { assessments: { assessmentId: string; correctedBy?: string }[] }) => c.assessments)
      .filter((a: { assessmentId: string }) => a.assessmentId === sat.assessmentId);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((a: { correctedBy?: string }) => a.correctedBy === correction!.correctionId)).toBe(true);
  });
});
