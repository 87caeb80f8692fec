import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@jalon/config';
import { createApp } from '../apps/api/src/create-app';

describe('api: health, catalogue and OpenAPI over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp(loadConfig({ LOG_LEVEL: 'error' }));
    await app.init();
  });

  afterAll(() => app.close());

  it('GET /health answers ok with the number of référentiels loaded', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', referentials: 4 });
  });

  it('GET /referentials lists the four shipped référentiels with their structure', async () => {
    const response = await request(app.getHttpServer()).get('/referentials').expect(200);
    const byId = Object.fromEntries(response.body.map((r: { referential: string }) => [r.referential, r]));
    expect(Object.keys(byId).sort()).toEqual(['data-engineer-data-scientist', 'data-ia-quatre-blocs', 'expert-en-data-science', 'expert-ingenierie-science-donnees']);
    const seed000 = byId['expert-ingenierie-science-donnees'];
    expect(seed000.optionGroups).toEqual([{ code: 'SPECIALISATION', title: expect.any(String), choose: 1 }]);
    expect(seed000.blocs.filter((b: { optionGroup?: string }) => b.optionGroup === 'SPECIALISATION').map((b: { optionLabel: string }) => b.optionLabel)).toEqual(['Data Engineering', 'Data Science']);
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
