/**
 * A bare HTTP server for the bench, in its own process as the api is: each `POST /streams/{id}`
 * appends the events of its body to that stream, with the expected revision the body gives, through
 * the same event store and pool as the api, and answers the revision and position. Nothing else:
 * no framework, token, validation, rate limit, state, decision or projection.
 *
 * Fed with the very events the api's commands appended, it measures what those appends cost behind
 * one HTTP round trip: the most an HTTP command that appends them could reach on this machine.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { ExpectedRevision, openSqlDatabase, SqlEventStore } from '@jalon/event-store';

export interface BareAppendRequest {
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly { readonly type: string; readonly data: Record<string, unknown>; readonly metadata: Record<string, unknown> }[];
}

async function body(request: IncomingMessage): Promise<BareAppendRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as BareAppendRequest;
}

function answer(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function main(): Promise<void> {
  const home = await openSqlDatabase({ kind: 'postgres', url: process.env.DATABASE_URL! });
  const store = new SqlEventStore(home);
  const server = createServer((request, response) => {
    const match = /^\/streams\/([^/]+)$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) return answer(response, 404, { error: 'POST /streams/{id} only' });
    body(request)
      .then(async ({ expectedRevision, events }) => {
        const result = await store.append(
          decodeURIComponent(match[1]),
          events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: e.metadata })),
          { expectedRevision },
        );
        answer(response, 201, {
          revision: result.nextExpectedRevision,
          position: { commit: result.position.commit.toString(), prepare: result.position.prepare.toString() },
        });
      })
      .catch((error: unknown) => answer(response, 500, { error: String(error) }));
  });
  const stop = () => server.close(() => void home.close().finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
