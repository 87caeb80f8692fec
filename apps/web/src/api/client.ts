import createClient, { Middleware } from 'openapi-fetch';
import { currentSession, endSession } from '../auth/session';
import type { paths } from './schema';

/** An answer of the api that is not a success: its problem+json, as the api sends it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly body: Record<string, unknown>,
  ) {
    super(detail);
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response }) {
    // A session the api no longer accepts (expired, secret changed): back to the sign-in page.
    if (response.status === 401 && currentSession()) endSession('expired');
    return response;
  },
};

/** The api, typed from its own OpenAPI document (schema.d.ts, generated: `npm run web:client`). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(bearer);

/** The data of an answer, or its problem thrown as an ApiProblem. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Record<string, unknown>;
  throw new ApiProblem(response.status, String(body.code ?? `HTTP.${response.status}`), String(body.detail ?? response.statusText), body);
}

/** Queries retry quietly while the read models catch up (503 READ_MODEL.BEHIND); other errors are shown at once. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return error instanceof ApiProblem && error.code === 'READ_MODEL.BEHIND' && failureCount < 5;
}

/**
 * A file the api answers to a signed-in caller (a CSV, a document's PDF or credential), saved under
 * `filename`; a refusal is thrown as an ApiProblem with the api's code (DOCUMENT.ERASED…).
 */
export async function download(path: string, filename: string): Promise<void> {
  const session = currentSession();
  const response = await fetch(path, { headers: session ? { authorization: `Bearer ${session.token}` } : {} });
  if (!response.ok) {
    if (response.status === 401 && session) endSession('expired');
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    throw new ApiProblem(response.status, String(body.code ?? 'DOWNLOAD.FAILED'), String(body.detail ?? response.statusText), body);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  // Released once the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
