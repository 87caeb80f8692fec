/**
 * A place in the global log. Two numbers, as EventStoreDB has them: on PostgreSQL `commit` is the
 * appending transaction's id (xid8) and `prepare` the event's sequence number; events are read in
 * (commit, prepare) order, which is the order in which they became visible (DESIGN.md decision 3).
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: GlobalPosition = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `commit-prepare`, the form positions take in HTTP answers and query parameters. */
export const formatPosition = (p: GlobalPosition): string => `${p.commit}-${p.prepare}`;

export function parsePosition(text: string): GlobalPosition | undefined {
  const match = /^(-?\d{1,20})-(-?\d{1,20})$/.exec(text);
  return match ? { commit: BigInt(match[1]), prepare: BigInt(match[2]) } : undefined;
}
