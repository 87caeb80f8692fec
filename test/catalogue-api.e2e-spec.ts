import { INestApplication } from '@nestjs/common';
import { sql } from 'kysely';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { STORAGE } from '@jalon/runtime';
import { Storage } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { eventually } from './support/eventually';
import { actor } from './support/http-actors';
import { startTestApp, TestApp } from './support/test-app';

describe('api: health, catalogue and OpenAPI over HTTP (PostgreSQL)', () => {
  let testApp: TestApp;
  let app: INestApplication;

  beforeAll(async () => {
    testApp = await startTestApp();
    app = testApp.app;
  });

  afterAll(() => testApp?.close());

  it('GET /health answers ok with the store, the référentiels and each projection', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', eventStore: 'postgres', referentials: 4 });
    expect(response.body.projections.map((p: { name: string; status: string }) => `${p.name} ${p.status}`)).toEqual([
      'candidate-path running',
      'document-delivery running',
      'holders-to-declare running',
      'issuance-process running',
      'status-list running',
    ]);
  });

  it('publishes the shipped catalogue into the log at start-up, and the read model follows', async () => {
    const storage = app.get<Storage>(STORAGE);
    await eventually(async () => {
      const published = (await storage.store.readAll({ maxCount: 100 })).filter((e) => e.type === 'ReferentialVersionPublished');
      expect(published.map((e) => e.streamId).sort()).toEqual([
        'referential-data-engineer-data-scientist',
        'referential-data-ia-quatre-blocs',
        'referential-expert-en-data-science',
        'referential-expert-ingenierie-science-donnees',
      ]);
    });
    const runner = app.get(ProjectionRunner);
    expect(await runner.waitUntilReached(await storage.store.headPosition(), 5000)).toBe(true);
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM referential_versions`.execute(storage.sql.db);
    expect(rows.rows[0].n).toBe(4);
  });

  it('GET /referentials lists the four shipped référentiels with their structure', async () => {
    const response = await eventually(async () => {
      const answer = await request(app.getHttpServer()).get('/referentials').expect(200);
      expect(answer.body).toHaveLength(4);
      return answer;
    });
    const byId = Object.fromEntries(response.body.map((r: { referential: string }) => [r.referential, r]));
    expect(Object.keys(byId).sort()).toEqual([
      'data-engineer-data-scientist',
      'data-ia-quatre-blocs',
      'expert-en-data-science',
      'expert-ingenierie-science-donnees',
    ]);
    const seed000 = byId['expert-ingenierie-science-donnees'];
    expect(seed000.optionGroups).toEqual([{ code: 'SPECIALISATION', title: expect.any(String), choose: 1 }]);
    expect(
      seed000.blocs.filter((b: { optionGroup?: string }) => b.optionGroup === 'SPECIALISATION').map((b: { optionLabel: string }) => b.optionLabel),
    ).toEqual(['Data Engineering', 'Data Science']);
    expect(byId['data-engineer-data-scientist'].extraRequirements.map((r: { code: string }) => r.code)).toEqual(['PROJET-FIL-ROUGE', 'SOUTENANCE-FINALE']);
    expect(seed000.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('GET /referentials/:id/versions/:version returns the full référentiel, 404 as problem+json otherwise', async () => {
    const found = await request(app.getHttpServer()).get('/referentials/data-engineer-data-scientist/versions/1').expect(200);
    expect(found.body.blocs.find((b: { code: string }) => b.code === 'BC04').epreuves.map((e: { code: string }) => e.code)).toEqual(['E4', 'E5']);
    const missing = await request(app.getHttpServer()).get('/referentials/data-engineer-data-scientist/versions/9').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, code: 'REFERENTIAL.NOT_FOUND' });
  });

  it('presents a level its file only assumed (errata of the published v1 files) as assumed, never as the level, and a stated one as stated', async () => {
    const listed = await eventually(async () => {
      const answer = await request(app.getHttpServer()).get('/referentials').expect(200);
      expect(answer.body).toHaveLength(4);
      return Object.fromEntries(answer.body.map((r: { referential: string }) => [r.referential, r]));
    });
    for (const [id, level] of [
      ['data-ia-quatre-blocs', 6],
      ['data-engineer-data-scientist', 7],
      ['expert-en-data-science', 7],
    ] as const) {
      expect(listed[id]).not.toHaveProperty('level');
      expect(listed[id].assumed).toEqual({ level });
      // Not a mention its documents can carry.
      expect(listed[id].documents.missingMentions.map((m: { mention: string }) => m.mention)).toContain('national-level');
    }
    expect(listed['expert-ingenierie-science-donnees']).toMatchObject({ level: 7 });
    expect(listed['expert-ingenierie-science-donnees']).not.toHaveProperty('assumed');
    // The version stays as published: the hash the erratum names is the one the log holds.
    expect(listed['data-ia-quatre-blocs'].contentHash).toBe('sha256:687af93b505d1756ab6b8dca16aada55a20d2874ea4a3303441d89178cb5ac93');

    const version = await request(app.getHttpServer()).get('/referentials/data-ia-quatre-blocs/versions/1').expect(200);
    expect(version.body.certification).toEqual({
      title: 'Certification Data / IA en 4 blocs (titre non nommé dans le référentiel)',
      certifier: 'Certificateur non nommé dans le référentiel',
      assumed: { level: 6 },
    });
    expect(version.body.documents.missingMentions.map((m: { mention: string }) => m.mention)).toContain('national-level');
    const stated = await request(app.getHttpServer()).get('/referentials/expert-ingenierie-science-donnees/versions/1').expect(200);
    expect(stated.body.certification).toMatchObject({ level: 7 });
    expect(stated.body.certification).not.toHaveProperty('assumed');
  });

  it('serves the OpenAPI document at /docs-json and Swagger UI at /docs', async () => {
    const json = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/health', '/referentials', '/referentials/{referential}/versions/{version}']));
    const ui = await request(app.getHttpServer()).get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  // Last: it adds a version to the catalogue the tests above count.
  it('imports a new version whose file marks its level as assumed, and refuses a level both stated and assumed', async () => {
    const admin = actor(app, 'admin');
    const v1 = readFileSync(join(__dirname, '../referentials/data-ia-quatre-blocs@1.yaml'), 'utf8').replace(/^version: .*$/m, 'version: "2"');
    const both = await admin.post('/referentials', { content: v1.replace(/^ {2}level: 6$/m, '  level: 6\n  assumed:\n    level: 6') }).expect(400);
    expect(both.body).toMatchObject({ code: 'REFERENTIAL.INVALID' });
    expect(both.body.problems).toEqual([expect.objectContaining({ path: '/certification/assumed/level', code: 'REFERENTIAL.ASSUMED_AND_STATED', line: 13 })]);

    const imported = await admin.post('/referentials', { content: v1.replace(/^ {2}level: 6$/m, '  assumed:\n    level: 6') }).expect(201);
    expect(imported.body.documents.missingMentions.map((m: { mention: string }) => m.mention)).toContain('national-level');
    const v2 = await request(app.getHttpServer()).get('/referentials/data-ia-quatre-blocs/versions/2').expect(200);
    expect(v2.body.certification).toEqual({
      title: 'Certification Data / IA en 4 blocs (titre non nommé dans le référentiel)',
      certifier: 'Certificateur non nommé dans le référentiel',
      assumed: { level: 6 },
    });
    const listed = await eventually(async () => {
      const answer = await request(app.getHttpServer()).get(`/referentials?consistentWith=${imported.body.position}`).expect(200);
      const found = answer.body.find((r: { referential: string; version: string }) => r.referential === 'data-ia-quatre-blocs' && r.version === '2');
      expect(found).toBeDefined();
      return found;
    });
    expect(listed).not.toHaveProperty('level');
    expect(listed.assumed).toEqual({ level: 6 });
  });
});
