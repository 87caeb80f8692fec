import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Referential } from '@jalon/domain';
import { validateFlux } from '@jalon/accrochage/testing/validate-flux';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { runCli } from './support/run-cli';
import { settle } from './support/settle';
import { startTestApp, TestApp } from './support/test-app';

const CERTIFIERS = [
  {
    id: 'ecole-data',
    organisationId: 'org-1',
    senderClientId: 'ABCD1234',
    certifierClientId: 'EFGH5678',
    contractId: 'MCFCER000123',
    certifications: [
      { referentialId: 'expert-ingenierie-science-donnees', type: 'RNCP', code: 'RNCP35288' },
      { referentialId: 'data-engineer-data-scientist', type: 'RNCP', code: 'RNCP36129' },
    ],
  },
];

interface Report {
  fluxId?: string;
  file?: string;
  declared: { enrollmentId: string; candidateId: string; idTechnique: string; redeclared?: boolean }[];
  alreadyDeclared: number;
  refused: { enrollmentId: string; problems: { field: string; reason: string }[] }[];
  toCorrect: { enrollmentId: string; idTechnique: string }[];
  erased: { enrollmentId: string }[];
  annulled: { enrollmentId: string }[];
}

/**
 * Issue 18: the accrochage. Holders of seed 000 (with its option) and seed 001, certified over
 * HTTP, declared to the Caisse des Dépôts in a flux that validates against the CDC's XSD, each once,
 * from the log; the incomplete, the erased and the annulled are listed, never sent.
 */
describe('the accrochage: every holder declared to the Caisse des Dépôts, once (PostgreSQL, Redis)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let jury: HttpActor;
  let seed000: PathDriver;
  let seed001: PathDriver;
  const declare = async (body: object = {}): Promise<Report> => {
    await settle(testApp.app);
    return (await admin.post('/accrochage/certifiers/ecole-data/declarations', body).expect(201)).body;
  };
  const fluxOf = async (report: Report) =>
    (
      await admin
        .get(report.file!)
        .expect(200)
        .expect('content-type', /application\/xml/)
    ).text;
  const register = async (codes?: object) =>
    (
      await admin
        .post('/candidates', {
          birthName: 'Martin',
          usageName: 'Durand',
          firstNames: ['Léa', 'Marie'],
          birthDate: '2001-03-14',
          sex: 'F',
          birthPlace: 'Lyon',
          email: 'lea@example.org',
          ...(codes ? { birthPlaceCodes: codes } : {}),
        })
        .expect(201)
    ).body.id as string;

  /** Seed 000 with its Data Science option: four blocs, held on site, then the award. */
  async function certify000(candidateId: string, registration: object = {}): Promise<string> {
    const id = (
      await admin
        .post('/enrollments', {
          candidateId,
          referentialId: 'expert-ingenierie-science-donnees',
          version: '1',
          cohort: '2026-A',
          accessRoute: 'formation-continue',
          optionBlocs: ['BC05'],
          ...registration,
        })
        .expect(201)
    ).body.id as string;
    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC05']) await seed000.passBloc(id, bloc, { mode: 'on-site' });
    await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Paris' }).expect(200);
    return id;
  }

  /** Seed 001: four blocs, held at a distance, its two extra requirements, the award. */
  async function certify001(candidateId: string): Promise<string> {
    const id = await seed001.enroll({ candidateId });
    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC04']) await seed001.passBloc(id, bloc, { mode: 'distance' });
    for (const requirement of seed001.referential.extraRequirements!)
      await jury.post(`/enrollments/${id}/requirements/${requirement.code}/validation`).expect(200);
    await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Paris' }).expect(200);
    return id;
  }

  beforeAll(async () => {
    testApp = await startTestApp({ ACCROCHAGE_CERTIFIERS: JSON.stringify(CERTIFIERS) });
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    const actors = { admin, jury, assessor: actor(testApp.app, 'assessor'), referent: actor(testApp.app, 'referent') };
    const referential = async (id: string): Promise<Referential> => (await admin.get(`/referentials/${id}/versions/1`).expect(200)).body;
    seed000 = new PathDriver(await referential('expert-ingenierie-science-donnees'), actors);
    seed001 = new PathDriver(await referential('data-engineer-data-scientist'), actors);
  }, 60_000);
  afterAll(() => testApp?.close());

  it('declares each holder once, from the log: incomplete ones listed until completed, erased ones never, redeclared under the same id; the flux validates', async () => {
    const lea = await register({ inseeCode: '69123' });
    const leaPath = await certify000(lea, { registrationInitiative: 'employer' });
    const noCodes = await register();
    const noCodesPath = await certify001(noCodes);
    const erasedCandidate = await register({ inseeCode: '75056' });
    const erasedPath = await certify000(erasedCandidate);
    await actor(testApp.app, 'dpo').post(`/candidates/${erasedCandidate}/erasure`).expect(200);
    // The certificate's verification URL is the flux's proof: wait for it to be issued, and for the erasure to reach the list (a read model).
    await eventually(async () => {
      const holders = (await admin.get('/accrochage/certifiers/ecole-data/holders').expect(200)).body as {
        enrollmentId: string;
        certificateNumber?: string;
        status: string;
      }[];
      expect(holders.find((h) => h.enrollmentId === leaPath)?.certificateNumber).toBeDefined();
      expect(holders.find((h) => h.enrollmentId === erasedPath)?.status).toBe('erased');
    }, 30_000);

    // The admin's list: to declare first (due three months after the award), the erased apart.
    const listed = (await admin.get('/accrochage/certifiers/ecole-data/holders').expect(200)).body as {
      enrollmentId: string;
      status: string;
      dueDate: string;
    }[];
    expect(listed.map((h) => [h.enrollmentId, h.status])).toEqual([
      [leaPath, 'to-declare'],
      [noCodesPath, 'to-declare'],
      [erasedPath, 'erased'],
    ]);
    expect(listed[0].dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const first = await declare();
    expect(first.declared.map((d) => d.enrollmentId)).toEqual([leaPath]);
    expect(first.refused).toEqual([
      {
        enrollmentId: noCodesPath,
        candidateId: noCodes,
        problems: [{ field: 'birthPlaceCodes.inseeCode', reason: 'missing: the INSEE code (or the postal code) of the birth commune' }],
      },
    ]);
    expect(first.erased.map((e) => e.enrollmentId)).toEqual([erasedPath]);
    const xml = await fluxOf(first);
    const checked = await validateFlux(xml);
    expect(checked.messages).toContain('validates');
    expect(xml).toContain(`<cpf:idTechnique>${first.declared[0].idTechnique}</cpf:idTechnique>`);
    expect(xml).toContain('<cpf:libelleOption>Data Science</cpf:libelleOption>');
    expect(xml).toContain('<cpf:modalitePassageExamen>EN_PRESENTIEL</cpf:modalitePassageExamen>');
    expect(xml).toContain('<cpf:modaliteAcces>FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION</cpf:modaliteAcces>');
    expect(xml).toContain('<cpf:initiativeInscription>EMPLOYEUR</cpf:initiativeInscription>');
    expect(xml).toMatch(/<cpf:urlPreuve>https:\/\/certificats\.jalon\.test\/verify\/JAL-C-[A-Z0-9]+<\/cpf:urlPreuve>/);
    expect(xml).toContain('<cpf:codeInsee>69123</cpf:codeInsee>');
    expect(xml).toContain('<cpf:code>RNCP35288</cpf:code>');
    // A certification with no holder in this flux is left out (the schema wants at least one passage).
    expect(xml).not.toContain('RNCP36129');
    // Fetched again, the same flux: its id, timestamp and holders come from the event.
    expect(await fluxOf(first)).toBe(xml);

    // The same export again declares no one twice: nothing recorded, no flux.
    const again = await declare();
    expect(again).toMatchObject({ declared: [], alreadyDeclared: 1 });
    expect(again.fluxId).toBeUndefined();

    // Completed with a postal code, the second holder goes in the next flux, and only they.
    await admin.post(`/candidates/${noCodes}/identity-amendments`, { birthPlaceCodes: { postalCode: '13001' } }).expect(200);
    const second = await declare();
    expect(second.declared.map((d) => d.enrollmentId)).toEqual([noCodesPath]);
    const secondXml = await fluxOf(second);
    expect((await validateFlux(secondXml)).valid).toBe(true);
    expect(secondXml).toContain('<cpf:codePostal>13001</cpf:codePostal>');
    expect(secondXml).toContain('<cpf:modalitePassageExamen>A_DISTANCE</cpf:modalitePassageExamen>');
    expect(secondXml).toContain('<cpf:code>RNCP36129</cpf:code>');

    // Each identity opened for a flux is a recorded read (R14).
    const reads = (await actor(testApp.app, 'dpo').get(`/candidates/${lea}/personal-data-reads`).expect(200)).body as { view: string; actorRole: string }[];
    expect(reads.filter((r) => r.view === 'identity:accrochage').length).toBeGreaterThanOrEqual(2);

    // Redeclared on request (after a correction), by the cli, under the same idTechnique.
    const dir = mkdtempSync(join(tmpdir(), 'jalon-accrochage-'));
    const out = join(dir, 'flux.xml');
    const cli = await runCli(testApp, ['accrochage', 'export', '--certifier', 'ecole-data', '--redeclare', '--out', out], {
      ACCROCHAGE_CERTIFIERS: JSON.stringify(CERTIFIERS),
    });
    expect(cli.stderr).toMatch(/holders/);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/2 holder\(s\) declared/);
    const redeclared = readFileSync(out, 'utf8');
    expect((await validateFlux(redeclared)).valid).toBe(true);
    expect(redeclared).toContain(`<cpf:idTechnique>${first.declared[0].idTechnique}</cpf:idTechnique>`);
    expect(existsSync(`${out}.partial`)).toBe(false);

    // An annulment after the declaration: listed for the certifier's correction, not dropped.
    await jury.post(`/enrollments/${leaPath}/blocs/BC02/annulment`, { reason: 'plagiarism', details: 'rapport copié' }).expect(200);
    const afterAnnulment = await declare();
    expect(afterAnnulment.toCorrect).toEqual([
      { enrollmentId: leaPath, candidateId: lea, idTechnique: first.declared[0].idTechnique, declaredFluxId: expect.any(String) },
    ]);
    expect(afterAnnulment.fluxId).toBeUndefined();
    const standing = (await admin.get('/accrochage/certifiers/ecole-data/holders?status=to-correct').expect(200)).body as { enrollmentId: string }[];
    expect(standing.map((h) => h.enrollmentId)).toEqual([leaPath]);
  }, 240_000);

  it('refuses what is not the caller’s: another organisation’s certifier, another role, a flux that does not exist, a bad period', async () => {
    await actor(testApp.app, 'admin', 'admin-2', 'org-2').post('/accrochage/certifiers/ecole-data/declarations', {}).expect(404);
    await actor(testApp.app, 'jury').post('/accrochage/certifiers/ecole-data/declarations', {}).expect(403);
    const missing = await admin.get('/accrochage/certifiers/ecole-data/declarations/JALON-NONE').expect(404);
    expect(missing.body.code).toBe('ACCROCHAGE.UNKNOWN_FLUX');
    const bad = await admin.post('/accrochage/certifiers/ecole-data/declarations', { from: '2026-13-01' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    expect((await admin.get('/accrochage/certifiers').expect(200)).body).toEqual([{ id: 'ecole-data', certifications: CERTIFIERS[0].certifications }]);
    const noneConfigured = await startTestApp();
    try {
      const response = await request(noneConfigured.app.getHttpServer())
        .post('/accrochage/certifiers/ecole-data/declarations')
        .set('authorization', `Bearer ${actor(noneConfigured.app, 'admin').token}`)
        .send({})
        .expect(409);
      expect(response.body.code).toBe('ACCROCHAGE.NOT_CONFIGURED');
    } finally {
      await noneConfigured.close();
    }
  }, 60_000);
});
