import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Express, NextFunction, Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The web console on the api's own origin: its files from `dir`, and its page for every GET a
 * browser makes outside the api's paths (the console's own paths are French words: /inscriptions,
 * /parcours/…, which the api's English paths never are). Without a built console, `/` leads to the
 * api's documentation.
 */
export function serveConsole(app: NestExpressApplication, dir: string, apiPaths: readonly string[]): void {
  const root = resolve(dir);
  const express = app.getHttpAdapter().getInstance() as Express;
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('Console').warn(`no built console in ${root}: / leads to the api's documentation (npm start builds it)`);
    express.get('/', (_request: Request, response: Response) => response.redirect(302, '/docs'));
    return;
  }
  // Hashed file names: a build's assets never change, so browsers keep them.
  app.useStaticAssets(join(root, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  const apiSegments = new Set(apiPaths.map((path) => path.split('/')[1]).filter(Boolean));
  const page = readFileSync(indexFile);
  express.use((request: Request, response: Response, next: NextFunction) => {
    const segment = request.path.split('/')[1] ?? '';
    if (request.method !== 'GET' || apiSegments.has(segment) || segment === 'assets' || request.accepts(['json', 'html']) !== 'html') return next();
    response.type('html').setHeader('Cache-Control', 'no-cache');
    response.send(page);
  });
}
