import { NestExpressApplication } from '@nestjs/platform-express';
import { json, NextFunction, Request, Response } from 'express';
import { sendProblem, toProblem } from './problem-details.filter';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** The routes that take a file, as multipart/form-data (their own interceptor limits its size). */
export const MULTIPART_PATHS: readonly string[] = ['/imports/cohort'];

/**
 * Request bodies are JSON: one sent as anything else (or with no content type) answers 415 saying
 * so, instead of reaching the route as an empty body; JSON that does not parse answers 400
 * REQUEST.MALFORMED_JSON; one larger than the limit 413. Any JSON value parses (`null`, `[]`, a
 * number), so the body pipe can say precisely that it is not a JSON object.
 */
export function acceptJsonBodies(app: NestExpressApplication, limitBytes: number): void {
  app.use((request: Request, response: Response, next: NextFunction) => {
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (!hasBody || request.is(JSON_TYPES)) return next();
    // A file upload (a cohort spreadsheet) is multipart, on the routes that take one only.
    if (request.method === 'POST' && MULTIPART_PATHS.includes(request.path) && request.is('multipart/form-data')) return next();
    const sent = request.headers['content-type'] ? `was sent as ${request.headers['content-type']}` : 'came with no Content-Type';
    sendProblem(response, {
      type: 'urn:jalon:error:REQUEST.UNSUPPORTED_MEDIA_TYPE',
      title: 'Unsupported Media Type',
      status: 415,
      code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      detail: `the request body ${sent}: send JSON with Content-Type: application/json`,
    });
  });
  app.use(json({ limit: limitBytes, strict: false, type: JSON_TYPES }));
  // Only the body parser's errors can reach here: no route has run yet.
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) =>
    response.headersSent ? next(error) : sendProblem(response, toProblem(error)),
  );
}
