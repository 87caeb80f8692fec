import { INestApplication } from '@nestjs/common';
import { sql } from 'kysely';
import request from 'supertest';
import { STORAGE } from '@jalon/runtime';
import { Storage } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { eventually } from './support/eventually';
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

  it('serves the OpenAPI document at /docs-json and Swagger UI at /docs', async () => {
    const json = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/health', '/referentials', '/referentials/{referential}/versions/{version}']));
    const ui = await request(app.getHttpServer()).get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
