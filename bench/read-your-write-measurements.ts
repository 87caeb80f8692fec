import { Referential } from '@jalon/domain';
import { HttpCommandWorkload, Percentiles, percentiles } from './api-measurements';
import { BenchApi } from './deployed-api';
import { HttpClient } from './http-client';

export interface ReadYourWriteResult {
  /** Per timed command: from its answer to the same client's query with `consistentWith` answered, the write in it. */
  readonly readYourWrite: Percentiles;
  /** The command alone (context). */
  readonly command: Percentiles;
  /** The same query asked again at once, nothing left to wait for: what of read_your_write is the query itself. */
  readonly queryAlone: Percentiles;
  readonly ms: readonly number[];
}

/**
 * Read-your-writes with the api and the worker apart, as deployed: one client (one keep-alive
 * connection) assesses a held sitting (`POST .../assessments`, every criterion met), then asks
 * for the path at the position the command answered (`GET /enrollments/{id}?consistentWith=…`):
 * the api, which runs no projection, answers once the worker's projections in their own process
 * have all applied that position. Timed from the command's answer to the query's, parsed, with
 * the sitting shown assessed (checked, never assumed); one after the other, the worker running.
 * The held sittings are prepared over HTTP first (not measured).
 */
export async function measureReadYourWrite(
  api: BenchApi,
  referential: Referential,
  options: { warmup: number; requests: number },
  log: (message: string) => void,
): Promise<ReadYourWriteResult> {
  const client = new HttpClient(api.port, 1);
  try {
    const workload = new HttpCommandWorkload(api, client, referential);
    const total = options.warmup + options.requests;
    api.projections.resume();
    await workload.prepare(Math.ceil(total / workload.sittingsPerEnrollment));
    await api.projections.settle();
    log(`  ${workload.remaining()} held sittings prepared (not measured)`);
    const token = api.token('admin', 'admin-bench');
    const waits: number[] = [];
    const commands: number[] = [];
    const alone: number[] = [];
    for (let i = 0; i < total; i++) {
      const sent = performance.now();
      const { position, enrollmentId, sittingId } = await workload.assess(0);
      const answered = performance.now();
      const path = await client.expect(200, 'GET', `/enrollments/${enrollmentId}?consistentWith=${position}`, token);
      const read = performance.now();
      const sitting = (path.sittings as { sittingId: string; status: string }[]).find((s) => s.sittingId === sittingId);
      if (sitting?.status !== 'assessed')
        throw new Error(
          `GET /enrollments/${enrollmentId}?consistentWith=${position} answered the sitting ${sittingId} ${sitting?.status ?? 'missing'}, not assessed`,
        );
      const again = performance.now();
      await client.expect(200, 'GET', `/enrollments/${enrollmentId}`, token);
      const aloneMs = performance.now() - again;
      if (i < options.warmup) continue;
      waits.push(read - answered);
      commands.push(answered - sent);
      alone.push(aloneMs);
    }
    return { readYourWrite: percentiles(waits), command: percentiles(commands), queryAlone: percentiles(alone), ms: waits };
  } finally {
    client.close();
    api.projections.pause();
  }
}
