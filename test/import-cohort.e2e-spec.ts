import ExcelJS from 'exceljs';
import request from 'supertest';
import { candidateStreamId, enrollmentStreamId } from '@jalon/domain';
import { CommandBus } from '@nestjs/cqrs';
import { sql } from 'kysely';
import { EventStore, newId, Storage, withDerivedIds } from '@jalon/event-store';
import { EVENT_STORE, STORAGE } from '@jalon/runtime';
import { COHORT_COLUMNS } from '../apps/api/src/imports/cohort-sheet/cohort-columns';
import { cohortTemplateCsv } from '../apps/api/src/imports/cohort-sheet/cohort-template';
import { rowSeed } from '../apps/api/src/imports/import-cohort/cohort-import.service';
import { RegisterCandidateCommand } from '../apps/api/src/candidates/register-candidate/register-candidate.command';
import { actor, HttpActor } from './support/http-actors';
import { startTestApp, TestApp } from './support/test-app';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { runCli } from './support/run-cli';
import { join } from 'node:path';

jest.setTimeout(120_000);

const SEED_000 = { referentialId: 'expert-ingenierie-science-donnees', version: '1' };
const HEADERS = COHORT_COLUMNS.map((c) => c.header);

type Row = Partial<Record<(typeof COHORT_COLUMNS)[number]['key'], string>>;

/** A good row of seed 000, numbered. */
const good = (n: number, extra: Row = {}): Row => ({
  candidateNumber: `ED-${String(n).padStart(5, '0')}`,
  birthName: `Martin${n}`,
  firstNames: 'Léa, Marie',
  birthDate: '14/03/2001',
  sex: 'F',
  birthPlace: 'Lyon (69)',
  inseeCode: '69123',
  email: `lea${n}@example.org`,
  referentialId: SEED_000.referentialId,
  version: SEED_000.version,
  cohort: '2026-A',
  accessRoute: 'formation-initiale',
  optionBlocs: 'BC05',
  ...extra,
});

const csvOf = (rows: Row[]) =>
  Buffer.from(
    [HEADERS.join(';'), ...rows.map((row) => COHORT_COLUMNS.map((c) => (row[c.key] ?? '').replace(/;/g, ',')).join(';'))].join('\r\n') + '\r\n',
    'utf8',
  );

async function xlsxOf(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Candidats');
  sheet.addRow(HEADERS);
  for (const row of rows)
    sheet.addRow(
      COHORT_COLUMNS.map((c) => {
        const value = row[c.key];
        // A date typed in a spreadsheet is a date cell, not text.
        if (c.key === 'birthDate' && value && /^\d{2}\/\d{2}\/\d{4}$/.test(value)) {
          const [d, m, y] = value.split('/').map(Number);
          const date = new Date(Date.UTC(y, m - 1, d));
          // A day that does not exist stays text, as a spreadsheet keeps it.
          if (date.getUTCDate() === d) return date;
        }
        return value ?? null;
      }),
    );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('importing a cohort from a spreadsheet (POST /imports/cohort)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let store: EventStore;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    store = testApp.app.get(EVENT_STORE);
  });
  afterAll(() => testApp?.close());

  const upload = (file: Buffer, name: string, query = '', as: HttpActor = admin) =>
    request(testApp.app.getHttpServer()).post(`/imports/cohort${query}`).set('authorization', `Bearer ${as.token}`).attach('file', file, name);

  // Counted in the table, not read from the log: the log holds back what commits behind a transaction still open (a projection's batch).
  const eventCount = async () =>
    Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM events`.execute(testApp.app.get<Storage>(STORAGE).sql.db)).rows[0].n);

  const idsOf = (number: string, org = 'org-1') =>
    withDerivedIds(rowSeed(org, number), () => ({ candidateId: newId('candidate'), enrollmentId: newId('enrollment') }));

  const BAD: Row[] = [
    good(90, { birthDate: '31/02/2001' }),
    good(91, { accessRoute: 'alternance' }),
    good(92, { optionBlocs: 'BC09' }),
    good(93, { referentialId: 'certification-inconnue' }),
    good(1, { birthName: 'Doublon' }),
  ];

  it('a dry run reports each row by the api’s rules, in French, per column, and writes nothing', async () => {
    const before = await eventCount();
    const response = await upload(csvOf([good(1), good(2), ...BAD]), 'promotion.csv', '?dryRun=true').expect(200);
    expect(response.body).toMatchObject({ status: 'done', dryRun: true, total: 7, processed: 7 });
    const { rows, counts } = response.body.report;
    expect(counts).toEqual({ imported: 0, 'already-imported': 0, refused: 5, incomplete: 0, 'to-import': 2 });
    expect(rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [2, 'to-import'],
      [3, 'to-import'],
      [4, 'refused'],
      [5, 'refused'],
      [6, 'refused'],
      [7, 'refused'],
      [8, 'refused'],
    ]);
    expect(rows[0]).toMatchObject({ candidateNumber: 'ED-00001', name: 'Léa MARTIN1', ...idsOf('ED-00001') });
    expect(rows[2].reasons).toEqual([
      { column: 'Date de naissance', field: 'birthDate', message: 'date invalide : JJ/MM/AAAA ou AAAA-MM-JJ, une date qui existe' },
    ]);
    expect(rows[3].reasons).toEqual([
      { column: 'Voie d’accès', field: 'accessRoute', message: expect.stringMatching(/^valeur inconnue : attendu formation-initiale, apprentissage/) },
    ]);
    expect(rows[4].reasons).toEqual([
      { column: 'Option', field: 'optionBlocs', code: 'OPTION.UNKNOWN_BLOC', message: 'le bloc BC09 n’existe pas dans cette certification' },
    ]);
    expect(rows[5].reasons).toEqual([
      {
        column: 'Certification',
        field: 'referentialId',
        code: 'REFERENTIAL.NOT_PUBLISHED',
        message: 'certification inconnue : certification-inconnue version 1 n’est pas publiée',
      },
    ]);
    expect(rows[6].reasons).toEqual([{ column: 'N° candidat', message: 'N° candidat en double dans le fichier (déjà ligne 2)' }]);
    expect(await eventCount()).toBe(before);
  });

  it('the import creates exactly the good rows, each candidate registered and enrolled; a second import creates nothing new', async () => {
    const file = csvOf([good(1), good(2), ...BAD]);
    const first = (await upload(file, 'promotion.csv').expect(200)).body;
    expect(first.report.counts).toEqual({ imported: 2, 'already-imported': 0, refused: 5, incomplete: 0, 'to-import': 0 });
    for (const number of ['ED-00001', 'ED-00002']) {
      const { candidateId, enrollmentId } = idsOf(number);
      expect((await store.readStream(candidateStreamId(candidateId))).map((e) => e.type)).toEqual(['CandidateRegistered']);
      expect((await store.readStream(enrollmentStreamId(enrollmentId))).map((e) => e.type)).toEqual(['CandidateEnrolled']);
    }
    for (const number of ['ED-00090', 'ED-00091', 'ED-00092', 'ED-00093'])
      expect(await store.readStream(candidateStreamId(idsOf(number).candidateId))).toEqual([]);
    const identity = (await admin.get(`/candidates/${idsOf('ED-00001').candidateId}`).expect(200)).body.identity;
    expect(identity).toMatchObject({ birthName: 'Martin1', firstNames: ['Léa', 'Marie'], birthDate: '2001-03-14', birthPlaceCodes: { inseeCode: '69123' } });

    const before = await eventCount();
    const second = (await upload(file, 'promotion.csv').expect(200)).body;
    expect(second.report.counts).toEqual({ imported: 0, 'already-imported': 2, refused: 5, incomplete: 0, 'to-import': 0 });
    expect(await eventCount()).toBe(before);
  });

  it('an XLSX file (date cells, the same column set) imports alike; its bad rows are refused the same way', async () => {
    const rows = [good(10), good(11, { usageName: 'Durand', sex: 'm' }), good(12, { birthDate: '31/02/2001' }), good(13, { accessRoute: 'alternance' })];
    const response = (await upload(await xlsxOf(rows), 'promotion.xlsx').expect(200)).body;
    expect(response.report.rows.map((r: { status: string }) => r.status)).toEqual(['imported', 'imported', 'refused', 'refused']);
    expect(response.report.rows[2].reasons[0]).toMatchObject({ column: 'Date de naissance' });
    const identity = (await admin.get(`/candidates/${idsOf('ED-00010').candidateId}`).expect(200)).body.identity;
    expect(identity).toMatchObject({ birthDate: '2001-03-14', sex: 'F' });
    expect((await upload(await xlsxOf(rows), 'promotion.xlsx').expect(200)).body.report.counts).toMatchObject({ 'already-imported': 2, refused: 2 });
  });

  it('a row whose candidate was registered but not enrolled (the enrollment write failed) is completed by the next import', async () => {
    const row = good(20);
    // The registration alone, as a first import that died between its two writes would have left it.
    const { candidateId, enrollmentId } = idsOf('ED-00020');
    const registered = await withDerivedIds(rowSeed('org-1', 'ED-00020'), () =>
      testApp.app
        .get(CommandBus)
        .execute(
          new RegisterCandidateCommand(
            { id: 'admin-1', role: 'admin', organisationId: 'org-1' },
            { birthName: 'Martin20', firstNames: ['Léa'], birthDate: '2001-03-14', sex: 'F', birthPlace: 'Lyon (69)', email: 'lea20@example.org' },
          ),
        ),
    );
    expect(registered.id).toBe(candidateId);
    expect(await store.readStream(enrollmentStreamId(enrollmentId))).toEqual([]);
    const dry = (await upload(csvOf([row]), 'p.csv', '?dryRun=true').expect(200)).body.report.rows[0];
    expect(dry).toMatchObject({ status: 'to-import', completed: true });
    const imported = (await upload(csvOf([row]), 'p.csv').expect(200)).body.report.rows[0];
    expect(imported).toMatchObject({ status: 'imported', completed: true, candidateId, enrollmentId });
    expect((await store.readStream(candidateStreamId(candidateId))).map((e) => e.type)).toEqual(['CandidateRegistered']);
    expect((await store.readStream(enrollmentStreamId(enrollmentId))).map((e) => e.type)).toEqual(['CandidateEnrolled']);
  });

  it('a file that is not the column set is refused whole with 400, naming each column, and changes nothing', async () => {
    const before = await eventCount();
    const wrong = Buffer.from('N° candidat;Nom;Prénoms\r\nED-1;Martin;Léa\r\n');
    const response = await upload(wrong, 'p.csv').expect(400);
    expect(response.body).toMatchObject({ code: 'IMPORT.INVALID_COLUMNS', field: 'file' });
    expect(response.body.columns).toEqual(
      expect.arrayContaining([
        { column: 'Nom', reason: 'colonne inconnue (voir le modèle)' },
        { column: 'Nom de naissance', reason: 'colonne obligatoire absente' },
      ]),
    );
    expect((await request(testApp.app.getHttpServer()).post('/imports/cohort').set('authorization', `Bearer ${admin.token}`).send({})).body).toMatchObject({
      status: 400,
      code: 'IMPORT.FILE_REQUIRED',
    });
    expect((await upload(Buffer.from('%PDF-1.7'), 'p.pdf').expect(400)).body.code).toBe('IMPORT.UNSUPPORTED_FORMAT');
    await upload(csvOf([good(30)]), 'p.csv', '', actor(testApp.app, 'referent')).expect(403);
    expect(await eventCount()).toBe(before);
  });

  it('a large file (over 500 rows) runs as a job: the answer says running, GET /imports/{id} its progress, then its report', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => good(1000 + i, i === 300 ? { birthDate: 'demain' } : {}));
    const started = (await upload(csvOf(rows), 'grande-promotion.csv').expect(200)).body;
    expect(started).toMatchObject({ status: 'running', total: 600, dryRun: false, report: null });
    let view = started;
    const seen: number[] = [];
    for (let i = 0; i < 600 && view.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      view = (await admin.get(`/imports/${started.id}`).expect(200)).body;
      seen.push(view.processed);
    }
    expect(view.status).toBe('done');
    expect(view.report.counts).toMatchObject({ imported: 599, refused: 1 });
    expect(view.report.rows[300]).toMatchObject({ row: 302, status: 'refused', name: 'Léa MARTIN1300', reasons: [{ column: 'Date de naissance' }] });
    expect(seen.some((n) => n > 0 && n < 600)).toBe(true);
    // Another organisation's admin does not see it.
    await actor(testApp.app, 'admin', 'admin-2', 'org-2').get(`/imports/${started.id}`).expect(404);
  });

  it('the template is served as CSV and XLSX, the CSV the one in docs/', async () => {
    const bytes = (path: string) =>
      admin
        .get(path)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
    const csv = await bytes('/imports/cohort/template.csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toEqual(cohortTemplateCsv());
    expect(readFileSync(join(__dirname, '..', 'docs', 'cohort-template.csv'))).toEqual(cohortTemplateCsv());
    const xlsx = await bytes('/imports/cohort/template.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    expect((workbook.worksheets[0].getRow(1).values as string[]).slice(1)).toEqual(HEADERS);
    // The template, imported as it is, has no row to import.
    expect((await upload(xlsx.body, 'modele.xlsx', '?dryRun=true').expect(200)).body).toMatchObject({ total: 0 });
  });

  it('the cli imports a file through the running service, with a dry run first, and says each refused row', async () => {
    const server = testApp.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = join(mkdtempSync(join(tmpdir(), 'jalon-import-')), 'promotion.csv');
    writeFileSync(file, csvOf([good(40), good(41, { birthDate: '31/02/2001' })]));
    const dry = await runCli(testApp, ['import', 'cohort', file, '--org', 'org-1', '--dry-run'], { JALON_URL: url });
    expect(dry.stdout).toMatch(/ligne 3 {2}ED-00041 {2}Léa MARTIN41 {2}refusé {2}Date de naissance : date invalide/);
    expect(dry.stdout).toMatch(/vérification \(rien n’est écrit\) .*: 2 ligne\(s\) — 1 refusé, 1 à importer/);
    expect(dry.code).toBe(1);
    expect(await store.readStream(candidateStreamId(idsOf('ED-00040').candidateId))).toEqual([]);
    const imported = await runCli(testApp, ['import', 'cohort', file, '--org', 'org-1'], { JALON_URL: url });
    expect(imported.stdout).toMatch(/2 ligne\(s\) — 1 importé, 1 refusé/);
    expect((await store.readStream(candidateStreamId(idsOf('ED-00040').candidateId))).map((e) => e.type)).toEqual(['CandidateRegistered']);
    expect((await runCli(testApp, ['import', 'cohort', file], { JALON_URL: url })).code).toBe(2);
  });
});
