import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';

/**
 * The ids a request creates — of the events it appends and of what it creates (a candidate, an
 * enrollment, a sitting…) — derived from a seed that names the request: who asked, under which
 * Idempotency-Key, with which body. A retry of the same request derives the same ids, so its
 * append is the one already stored (the store appends an event id once, and the command pipeline
 * answers from the stream when it finds its own events there): exactly once by construction,
 * whatever moment the first attempt died at.
 */
export class DerivedIds {
  /** How many batches this request appended to each stream: a second append to one stream gets ids of its own. */
  private readonly batches = new Map<string, number>();

  constructor(private readonly seed: string) {}

  /** The id of what the request creates under this label (`candidate`, `enrollment`, `sitting`…). */
  id(label: string): string {
    return uuidFrom(`${this.seed}\nid\n${label}`);
  }

  /** The ids of the next batch this request appends to the stream, one per event. */
  nextBatch(streamId: string): (index: number) => string {
    const batch = this.batches.get(streamId) ?? 0;
    this.batches.set(streamId, batch + 1);
    return (index) => uuidFrom(`${this.seed}\nevent\n${streamId}\n${batch}\n${index}`);
  }
}

/**
 * An id that names the same thing whichever request asks for it: the same parts give the same id
 * (e.g. a session's sitting of one enrollment, from the session's id and the enrollment's).
 */
export function stableIdOf(...parts: readonly string[]): string {
  return uuidFrom(`stable\n${parts.join('\n')}`);
}

/** A version 8 (custom) UUID of the first 122 bits of the text's SHA-256. */
function uuidFrom(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const current = new AsyncLocalStorage<DerivedIds>();

/** Runs `work` with ids derived from `seed`: everything it starts, however deep, creates those. */
export function withDerivedIds<T>(seed: string, work: () => T): T {
  return current.run(new DerivedIds(seed), work);
}

/** The derived ids of the request being served, if it is one that must be repeatable. */
export function currentDerivedIds(): DerivedIds | undefined {
  return current.getStore();
}

/** The id of something a command creates: derived within a repeatable request, random otherwise. */
export function newId(label: string): string {
  return current.getStore()?.id(label) ?? randomUUID();
}
