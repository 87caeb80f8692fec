import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A year: a build's assets have hashed names and never change. */
const ASSETS_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The web console on the api's own origin: its files from `dir`, and its page for every GET a
 * browser makes outside the api's paths (the console's own paths are French words: /inscriptions,
 * /parcours/…, which the api's English paths never are). Without a built console, `/` leads to the
 * api's documentation.
 */
export function serveConsole(app: NestFastifyApplication, dir: string, apiPaths: readonly string[]): void {
  const root = resolve(dir);
  const fastify = app.getHttpAdapter().getInstance();
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('Console').warn(`no built console in ${root}: / leads to the api's documentation (npm start builds it)`);
    fastify.get('/', (_request, reply) => reply.redirect('/docs', 302));
    return;
  }
  // Hashed file names: a build's assets never change, so browsers keep them. Swagger UI registers
  // @fastify/static too (for its own assets): neither decorates the reply, so both can.
  app.useStaticAssets({ root: join(root, 'assets'), prefix: '/assets/', immutable: true, maxAge: ASSETS_MAX_AGE_MS, index: false, decorateReply: false });
  const apiSegments = new Set(apiPaths.map((path) => path.split('/')[1]).filter(Boolean));
  const page = readFileSync(indexFile);
  // Revalidated at each visit (no-cache), and answered 304 while the build is the same, as Express did.
  const etag = `W/"${page.length.toString(16)}-${createHash('sha1').update(page).digest('base64').slice(0, 27)}"`;
  // Before routing's outcome matters: a browser's GET outside the api's paths is the console's, whatever the router says.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET') return done();
    const segment = request.url.split(/[/?#]/, 2)[1] ?? '';
    if (apiSegments.has(segment) || segment === 'assets' || !prefersHtml(request.headers.accept)) return done();
    reply.header('Cache-Control', 'no-cache').header('ETag', etag);
    if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) reply.status(304).send();
    else reply.type('text/html; charset=utf-8').send(page);
  });
}

/**
 * Whether an Accept header prefers HTML to JSON, as Express's `request.accepts(['json', 'html'])`
 * chose (negotiator's rules): each type takes the quality of the most specific range that matches
 * it (the type named counts more than the subtype, a wildcard nothing); the higher quality wins,
 * then the more specific range, then the range listed first; a tie, or no Accept header, is JSON's.
 * A quality of 0 refuses the type.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(',').flatMap((part, order) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const [type, subtype] = range.trim().split('/');
    if (!type || !subtype) return [];
    let q = 1;
    for (const param of params) {
      const [key, value = ''] = param.split('=').map((text) => text.trim().replace(/^"(.*)"$/, '$1'));
      if (key === 'q') {
        q = Number.parseFloat(value);
        break;
      }
      // A range with a parameter of its own (text/html;level=1) is not plain HTML or JSON.
      if (value !== '*') return [];
    }
    return [{ type, subtype, q, order }];
  });
  const rank = (type: string, subtype: string) => {
    let best: { q: number; specificity: number; order: number } | undefined;
    for (const r of ranges) {
      if ((r.type !== type && r.type !== '*') || (r.subtype !== subtype && r.subtype !== '*')) continue;
      const specificity = (r.type === type ? 4 : 0) + (r.subtype === subtype ? 2 : 0);
      if (!best || specificity > best.specificity || (specificity === best.specificity && (r.q > best.q || (r.q === best.q && r.order < best.order))))
        best = { q: r.q, specificity, order: r.order };
    }
    return best && best.q > 0 ? best : undefined;
  };
  const html = rank('text', 'html');
  if (!html) return false;
  const json = rank('application', 'json');
  if (!json) return true;
  if (html.q !== json.q) return html.q > json.q;
  if (html.specificity !== json.specificity) return html.specificity > json.specificity;
  return html.order < json.order;
}
