import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** The routes that take a file, as multipart/form-data (their FileUploadInterceptor reads it and limits its size). */
export const MULTIPART_PATHS: readonly string[] = ['/imports/cohort'];

/** The compressed bodies taken (as body-parser took them), each with its decompressor; a Map, so a Content-Encoding of `constructor` is none of them. */
const DECOMPRESSORS = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);

/** `application/json` and `application/*+json`, without their parameters, lower-cased. */
function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json') && !mediaType.includes(' '));
}

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
}

/** The charset parameter of a content type, lower-cased, when there is one. */
function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1].toLowerCase();
}

const unsupported = (detail: string) => new UnsupportedMediaTypeException({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: detail });
const UNSUPPORTED_ENCODING = 'the request body’s encoding or charset is not supported: send JSON in UTF-8';

/**
 * Request bodies are JSON: one sent as anything else (or with no content type) answers 415 saying
 * so, instead of reaching the route as an empty body; JSON that does not parse answers 400
 * REQUEST.MALFORMED_JSON; one larger than the limit 413 (Fastify's own check, see toProblem). Any
 * JSON value parses (`null`, `[]`, a number), so the body pipe can say precisely that it is not a
 * JSON object. Fastify's own parsers are removed: its JSON one would refuse a `__proto__` key with
 * a message of its own, where RequestBodyPipe names the field.
 */
export function acceptJsonBodies(fastify: FastifyInstance, limitBytes: number): void {
  fastify.removeAllContentTypeParsers();
  // Decided before any byte of the body is read, on every route (an unknown one included), as the
  // Express middleware did: the 415 comes before the body's size or syntax.
  fastify.addHook('onRequest', (request, _reply, done) => done(refusal(request)));
  fastify.addHook('preParsing', (request, _reply, payload, done) => done(null, decompressed(request, payload)));
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: limitBytes }, (request, body, done) => {
    // Only an empty body of another type gets here (see refusal), and a JSON type without a body:
    // no body. An empty JSON one is no fields, as body-parser read it; a UTF-8 byte order mark is taken.
    const { headers } = request;
    if (!isJsonMediaType(mediaTypeOf(headers['content-type'])) || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined))
      return done(null, undefined);
    const text = (body as string).charCodeAt(0) === 0xfeff ? (body as string).slice(1) : (body as string);
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BadRequestException({ code: 'REQUEST.MALFORMED_JSON', message: 'the request body is not valid JSON' }), undefined);
    }
  });
  // Left unread here: the route's FileUploadInterceptor reads it, with the route's limits.
  fastify.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));
}

/** Why a request's body is refused before it is read (415), or nothing. */
function refusal(request: FastifyRequest): Error | undefined {
  const { headers } = request;
  const hasBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
  if (!hasBody) return undefined;
  const contentType = headers['content-type'];
  const mediaType = mediaTypeOf(contentType);
  if (isJsonMediaType(mediaType)) {
    const charset = charsetOf(contentType!);
    const encoding = (headers['content-encoding'] ?? 'identity').toLowerCase();
    if ((charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') || (encoding !== 'identity' && !DECOMPRESSORS.has(encoding)))
      return unsupported(UNSUPPORTED_ENCODING);
    return undefined;
  }
  // A file upload (a cohort spreadsheet) is multipart, on the routes that take one only.
  if (request.method === 'POST' && mediaType === 'multipart/form-data' && MULTIPART_PATHS.includes(request.routeOptions.url ?? '')) return undefined;
  const sent = contentType ? `was sent as ${contentType}` : 'came with no Content-Type';
  return unsupported(`the request body ${sent}: send JSON with Content-Type: application/json`);
}

/**
 * A compressed JSON body, decompressed as it is read; the limit then counts the decompressed
 * bytes, and Fastify compares Content-Length with the bytes received (receivedEncodedLength).
 */
function decompressed(request: FastifyRequest, payload: Readable): Readable {
  const decompress = DECOMPRESSORS.get(request.headers['content-encoding']?.toLowerCase() ?? 'identity');
  if (decompress === undefined || !isJsonMediaType(mediaTypeOf(request.headers['content-type']))) return payload;
  const decompressor = decompress();
  const body = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => (body.receivedEncodedLength += chunk.length));
  payload.on('error', (error) => body.destroy(error));
  decompressor.on('error', () => body.destroy(new BadRequestException({ code: 'REQUEST.INVALID', message: 'the request body could not be read' })));
  payload.pipe(decompressor).pipe(body);
  return body;
}
