/** Timing helpers shared by the measurements: a warm-up, then a fixed window counted per operation. */

/**
 * A write workload ready to run: its workers (connections, streams) are set up once, then it runs
 * in slices, so two workloads can alternate and share whatever drift the machine has.
 */
export interface Workload {
  readonly name: string;
  /** Runs every worker back to back for `seconds`; returns the operations completed inside that window. */
  run(seconds: number): Promise<number>;
  close(): Promise<void>;
}

export interface Worker {
  op(): Promise<void>;
  close?(): Promise<void>;
}

export async function createWorkload(name: string, concurrency: number, makeWorker: (worker: number) => Promise<Worker>): Promise<Workload> {
  const workers = await Promise.all(Array.from({ length: concurrency }, (_, w) => makeWorker(w)));
  return {
    name,
    async run(seconds) {
      const windowEnd = performance.now() + seconds * 1000;
      let completed = 0;
      await Promise.all(
        workers.map(async (worker) => {
          for (;;) {
            await worker.op();
            // An operation still running when the window closes finishes, uncounted.
            if (performance.now() > windowEnd) return;
            completed++;
          }
        }),
      );
      return completed;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close?.()));
    },
  };
}

/**
 * A workload whose slices are metered: the CPU each process named by `sample` used over them, per
 * operation (sampled before and after each slice, warm-up included), so two workloads can be
 * compared by where their operations' CPU goes, not only by their rates.
 */
export class CpuMeteredWorkload<P extends string> implements Workload {
  private readonly used = {} as Record<P, number>;
  private operations = 0;

  constructor(
    private readonly inner: Workload,
    private readonly sample: () => Record<P, number>,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  async run(seconds: number): Promise<number> {
    const before = this.sample();
    const completed = await this.inner.run(seconds);
    const after = this.sample();
    for (const key of Object.keys(after) as P[]) this.used[key] = (this.used[key] ?? 0) + after[key] - before[key];
    this.operations += completed;
    return completed;
  }

  /** CPU ms per operation, by process. */
  cpuMsPerOperation(): Record<P, number> {
    return Object.fromEntries(
      Object.entries<number>(this.used).map(([key, seconds]) => [key, this.operations === 0 ? 0 : (seconds * 1000) / this.operations]),
    ) as Record<P, number>;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface ThroughputResult {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * Warms every workload up, then runs them in turn, `rounds` times, each for `seconds / rounds`:
 * interleaving keeps a ratio of two workloads honest on a machine whose speed drifts (other
 * processes, checkpoints, disk caches).
 */
export async function measureInterleaved(
  workloads: readonly Workload[],
  options: { seconds: number; warmupSeconds: number; rounds: number },
  log?: (message: string) => void,
): Promise<Map<string, ThroughputResult>> {
  for (const workload of workloads) if (options.warmupSeconds > 0) await workload.run(options.warmupSeconds);
  const slice = options.seconds / options.rounds;
  const operations = new Map(workloads.map((w) => [w.name, 0]));
  for (let round = 0; round < options.rounds; round++) {
    for (const workload of workloads) operations.set(workload.name, operations.get(workload.name)! + (await workload.run(slice)));
    log?.(
      `  round ${round + 1}/${options.rounds}: ${workloads.map((w) => `${w.name} ${Math.round(operations.get(w.name)! / (slice * (round + 1)))}/s`).join(', ')}`,
    );
  }
  return new Map(
    workloads.map((w) => [w.name, { operations: operations.get(w.name)!, seconds: options.seconds, perSecond: operations.get(w.name)! / options.seconds }]),
  );
}

/** Seconds taken by `fn`, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - started) / 1000 };
}

const FILLER = 'Evaluation en situation professionnelle reconstituee, grille criteriee, observations du jury. ';

/**
 * A ~500-byte JSON document (ASCII, so characters are bytes), the
 * same shape for the raw baseline and the store; `seq` changes per operation so no two rows are equal.
 */
export function payload(writer: number, seq: number): Record<string, unknown> {
  const base = {
    candidateId: '3f1c2a9e-8b7d-4e21-9c55-0a6f1d2e3b4c',
    organisationId: 'org-bench',
    referentialId: 'expert-en-data-science',
    version: '1',
    writer,
    seq,
    at: '2026-03-02T09:00:00.000Z',
    results: [
      { criterion: 'C1.1', met: true },
      { criterion: 'C1.2', met: false },
      { criterion: 'C1.3', met: true },
    ],
    note: '',
  };
  const room = 500 - JSON.stringify(base).length;
  base.note = FILLER.repeat(Math.ceil(room / FILLER.length) + 1).slice(0, Math.max(0, room));
  return base;
}
