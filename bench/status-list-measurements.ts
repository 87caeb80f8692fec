import { Actor, decideEnrollment, DomainError, EnrollmentEvent, EnrollmentState } from '@jalon/domain';
import { StreamCommandHandler } from '@jalon/event-store';
import { bitAt, decodeList, IssueJob, StatusListPublisher, StatusLists } from '@jalon/issuance';
import { ProjectionRunner } from '@jalon/projections';
import { ReferentialResolver } from '../libs/runtime/src/referential-resolver.service';

const JURY: Actor = { id: 'bench-jury', role: 'jury' };
const POLL_MS = 5;
const TIMEOUT_MS = 30_000;

export interface StatusListUpdateResult {
  /** From the annulment command to the published list showing the document's bit, one per revocation, in ms. */
  readonly ms: readonly number[];
  /** Attestations looked at for a bloc that could be annulled (open or certified enrollment, bloc validated, document not revoked). */
  readonly candidates: number;
}

/**
 * status_list_update_ms: for `count` issued attestations, one after the other, the jury's annulment
 * of the bloc (the real decider, through the enrollment stream's command handler, the runner woken
 * as the api's append wakes it), then the path a revocation takes in the service: the issuance
 * process manager (in `runner`) enqueues the revoke job, a worker process records DocumentRevoked,
 * the status-list projection (in `runner`, finding the worker's append by polling, as the api finds
 * a worker's) applies it; the clock stops when the list, as published (read, encoded, signed by
 * `publisher`, then decoded here), has the document's bit set. The workers and `runner` must be running.
 */
export async function measureStatusListUpdates(
  enrollments: StreamCommandHandler<EnrollmentState, EnrollmentEvent>,
  resolver: ReferentialResolver,
  lists: StatusLists,
  publisher: StatusListPublisher,
  runner: ProjectionRunner,
  issued: readonly IssueJob[],
  count: number,
): Promise<StatusListUpdateResult> {
  const ms: number[] = [];
  const seen = new Set<string>();
  let candidates = 0;
  for (const job of issued) {
    if (ms.length >= count) break;
    if (job.kind !== 'attestation' || seen.has(job.enrollmentId)) continue;
    const { state } = await enrollments.load(job.enrollmentId);
    if (state.status !== 'open' && state.status !== 'certified') continue;
    const document = Object.values(state.documents).find((d) => d.decisionEventId === job.decisionEventId);
    if (!document?.blocCode || document.revokedAt || state.blocs[document.blocCode]?.status !== 'validated') continue;
    const entry = await lists.statusOf(document.number);
    if (!entry || entry.revoked) continue;
    seen.add(job.enrollmentId);
    candidates++;
    const listNumber = entry.listNumber;
    const blocCode = document.blocCode;
    const referential = await resolver.resolve(state.referentialId, state.version);

    const started = performance.now();
    try {
      await enrollments.handle(job.enrollmentId, (current) =>
        decideEnrollment(
          { type: 'AnnulBloc', data: { blocCode, reason: 'fraud', details: 'bench: status list update', by: JURY, now: new Date().toISOString() } },
          current,
          { referential },
        ),
      );
    } catch (error) {
      // A path the generator left where this bloc cannot be annulled: not a measurement.
      if (error instanceof DomainError) continue;
      throw error;
    }
    runner.wake();
    for (;;) {
      const published = await publisher.publish(lists.issuerSlug, listNumber);
      const payload = published && JSON.parse(Buffer.from(published.jwt.split('.')[1], 'base64url').toString('utf8'));
      if (payload && bitAt(decodeList(payload.credentialSubject.encodedList), entry.index) === 1) break;
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`the status list did not show ${document.number} revoked within ${TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    ms.push(performance.now() - started);
  }
  if (count > 0 && ms.length === 0) throw new Error(`none of the ${issued.length} decisions issued gave an attestation whose bloc could be annulled`);
  return { ms, candidates };
}
