import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  mixin,
  NestInterceptor,
  PayloadTooLargeException,
  Type,
} from '@nestjs/common';
import { Busboy, BusboyHeaders, BusboyInstance } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';

/** What a route that takes a file gets of it, through `@UploadedFile()`. */
export interface UploadedFileParts {
  /** The file's name as the client sent it (UTF-8). */
  readonly originalname: string;
  readonly buffer: Buffer;
}

/** The parts a form may have at most: the number multer was given in Nest, and @fastify/multipart's. */
const PARTS_LIMIT = 1000;

/**
 * Reads a multipart/form-data request (which the body parsers leave unread, see json-bodies) before
 * the route's pipes: its text fields become the body, the one file of `field` the request's `file`
 * (what `@UploadedFile()` reads), in memory. What multer answered, it answers: a file over
 * `maxFileBytes` 413, a second file or a file under another field 400. A request of any other type
 * passes as it is (the route sees no file).
 */
export function FileUploadInterceptor(field: string, maxFileBytes: number): Type<NestInterceptor> {
  @Injectable()
  class FileUpload implements NestInterceptor {
    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const request = context.switchToHttp().getRequest<FastifyRequest & { file?: UploadedFileParts }>();
      if (/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
        const { fields, file } = await readForm(request.raw, field, maxFileBytes);
        request.body = fields;
        request.file = file;
      }
      return next.handle();
    }
  }
  return mixin(FileUpload);
}

function readForm(raw: IncomingMessage, field: string, maxFileBytes: number): Promise<{ fields: Record<string, unknown>; file?: UploadedFileParts }> {
  return new Promise((resolve, reject) => {
    let busboy: BusboyInstance;
    try {
      busboy = new Busboy({ headers: raw.headers as BusboyHeaders, limits: { fileSize: maxFileBytes, files: 1, parts: PARTS_LIMIT } });
    } catch (error) {
      // No boundary, for one.
      reject(multipartError(error as Error));
      return;
    }
    // Without a prototype, as multer made it: a field named __proto__ stays a field (the body pipe refuses it).
    const fields: Record<string, unknown> = Object.create(null);
    let file: UploadedFileParts | undefined;
    // The first refusal is the answer; the rest of the body is still read, so the connection stays usable.
    let refusal: HttpException | undefined;
    busboy.on('field', (name: string, value: string) => {
      const previous = fields[name];
      fields[name] = previous === undefined ? value : ([] as unknown[]).concat(previous, value);
    });
    busboy.on('file', (name: string, stream: NodeJS.ReadableStream, filename: string) => {
      if (name !== field) {
        refusal ??= new BadRequestException(`Unexpected file field - ${name}`);
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (refusal ??= new PayloadTooLargeException('File too large')));
      stream.on('end', () => (file = { originalname: filename, buffer: Buffer.concat(chunks) }));
    });
    busboy.on('filesLimit', () => (refusal ??= new BadRequestException('Too many files')));
    busboy.on('partsLimit', () => (refusal ??= new BadRequestException('Too many parts')));
    busboy.on('error', (error: Error) => {
      raw.unpipe(busboy);
      raw.resume();
      reject(refusal ?? multipartError(error));
    });
    busboy.on('finish', () => (refusal ? reject(refusal) : resolve({ fields, file })));
    raw.pipe(busboy);
  });
}

/** A body that is not the multipart form it says it is: 400, busboy's reason prefixed as multer's was. */
function multipartError(error: Error): BadRequestException {
  return new BadRequestException(error.message.startsWith('Multipart:') ? error.message : `Multipart: ${error.message}`);
}
