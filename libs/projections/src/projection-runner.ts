import { Kysely, sql } from 'kysely';
import { comparePositions, EventStore, formatPosition, GlobalPosition, JalonTables, RecordedEvent, Signals, START } from '@jalon/event-store';
import { eventsFor, Projection, ProjectionTable, TableNames } from './projection';
import { SharedLogReads } from './shared-log-reads';

export interface ProjectionStatus {
  readonly name: string;
  readonly status: 'running' | 'failed';
  readonly position: string;
  readonly eventsApplied: number;
  readonly updatedAt: string;
  readonly error?: string;
  readonly failedEventId?: string;
}

export interface RebuildProgress {
  readonly done: number;
  readonly eventsPerSecond: number;
  /** Share of the log read so far, by position (0–1). */
  readonly fraction: number;
  readonly etaSeconds?: number;
}

export interface RunnerLogger {
  log(message: string): void;
  error(message: string): void;
}

/** How a wait for a position ended; `failed` names the projections that stopped short of it. */
export type PositionWait =
  { readonly outcome: 'reached' } | { readonly outcome: 'timed-out' } | { readonly outcome: 'failed'; readonly projections: readonly string[] };

interface Checkpoint {
  readonly position: GlobalPosition;
  readonly status: 'running' | 'failed';
}

const lockKey = (name: string) => `jalon.projection:${name}`;

/** A batch's checkpoint moved by another worker while the batch was applied: the batch is rolled back. */
class CheckpointMoved extends Error {}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shape of a projection's tables (Projection.tableVersion). */
const tableVersionOf = (projection: Projection): number => projection.tableVersion ?? 1;

/** Everything that makes a table from nothing under `name`: its DDL, then the indexes added since. */
const tableDdl = (table: ProjectionTable, name: string) => [...table.create(name), ...(table.indexes?.(name) ?? [])];

/**
 * Feeds projections from the global log (DESIGN.md decision 4). Each batch is applied and its
 * checkpoint stored in one transaction, under a per-projection advisory lock, after checking that
 * no other instance moved the checkpoint since the batch was read: several workers may run, one
 * applies a given batch, and a crash at any point leaves either the whole batch or none of it.
 * An event that fails stops its projection, with the position and the error kept in the
 * checkpoint row (and shown by /health), never skipped.
 *
 * With `signals`, processes wake each other: a runner sleeping between polls wakes when another
 * process appends, and one that moves a checkpoint signals it, so a read-your-writes wait in
 * another process (an api without projections) answers then, not at its next poll. The poll
 * interval stays as the safety net for a signal lost.
 */
export class ProjectionRunner {
  private stopped = true;
  private loops: Promise<void>[] = [];
  private sleepers = new Set<() => void>();
  /** Wakes so far: a loop that was reading when one came reads again rather than sleep through it. */
  private wakes = 0;
  /** Checkpoint moves seen (here, or signalled by another process), and the waits woken by the next one. */
  private moves = 0;
  private readonly moveWaiters = new Set<() => void>();
  private stopEventSignals?: () => void;
  private stopCheckpointSignals?: () => void;
  /** The log as the projections read it, once for all of them. */
  private readonly reads: SharedLogReads;
  /**
   * Where each projection's checkpoint stood after this runner last moved it: the next batch is
   * read from there without asking. The batch's transaction checks it under the lock, and a
   * checkpoint moved by anyone else (another worker, a rebuild) sends it back to the table.
   */
  private readonly lastApplied = new Map<string, GlobalPosition>();
  /** Skips asked for in this turn of the event loop, moved together (see skip). */
  private skips: {
    name: string;
    from: GlobalPosition;
    to: GlobalPosition;
    events: number;
    done: (moved: boolean) => void;
    failed: (error: unknown) => void;
  }[] = [];

  constructor(
    private readonly db: Kysely<JalonTables>,
    private readonly store: EventStore,
    readonly projections: readonly Projection[],
    private readonly options: {
      readonly batchSize?: number;
      readonly rebuildBatchSize?: number;
      readonly pollIntervalMs?: number;
      readonly gatherMs?: number;
      readonly logger?: RunnerLogger;
      /** Wake-ups from and to the other processes on the database (`SqlDatabase.signals`). */
      readonly signals?: Signals;
    } = {},
  ) {
    this.reads = new SharedLogReads((after, maxCount) => this.store.readAll({ after, maxCount }));
  }

  private get logger(): RunnerLogger {
    return this.options.logger ?? { log: () => undefined, error: (message) => console.error(message) };
  }

  private baseTables(projection: Projection): TableNames {
    return Object.fromEntries(projection.tables.map((t) => [t.name, t.name]));
  }

  private projection(name: string): Projection {
    const found = this.projections.find((p) => p.name === name);
    if (!found) throw new Error(`unknown projection ${name}; known: ${this.projections.map((p) => p.name).join(', ')}`);
    return found;
  }

  /**
   * Creates missing tables and checkpoints, and replays into tables of the new shape each projection
   * whose tables are of an older `tableVersion` than its code's (a first start after an upgrade):
   * the old tables keep answering until the new ones are swapped in. Safe to run from several
   * processes at once.
   */
  async prepare(): Promise<void> {
    const outdated: { projection: Projection; from: number }[] = [];
    for (const projection of this.projections) {
      await this.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey(projection.name)}))`.execute(trx);
        const { rows } = await sql<{
          table_version: number;
        }>`SELECT table_version FROM projection_checkpoints WHERE projection = ${projection.name}`.execute(trx);
        const stored = rows[0]?.table_version;
        // Tables of an older shape are left as they are (an index added since may name a column they lack): the replay makes new ones.
        if (stored !== undefined && stored < tableVersionOf(projection)) return void outdated.push({ projection, from: stored });
        for (const table of projection.tables) {
          const exists = await sql<{ found: string | null }>`SELECT to_regclass(${table.name})::text AS found`.execute(trx);
          const statements = exists.rows[0].found === null ? tableDdl(table, table.name) : (table.indexes?.(table.name) ?? []);
          for (const statement of statements) await statement.execute(trx);
        }
        await sql`INSERT INTO projection_checkpoints (projection, commit_position, prepare_position, table_version)
          VALUES (${projection.name}, -1, -1, ${tableVersionOf(projection)}) ON CONFLICT (projection) DO NOTHING`.execute(trx);
      });
    }
    for (const { projection, from } of outdated) {
      this.logger.log(
        `${projection.name}: its tables are of version ${from}, this code's of ${tableVersionOf(projection)}: replaying the log into new ones before it runs`,
      );
      const { events, seconds, swapped } = await this.rebuild(projection.name, undefined, { unlessUpgradedMeanwhile: true });
      this.logger.log(
        swapped
          ? `${projection.name}: ${events} events replayed in ${seconds.toFixed(1)} s, tables of version ${tableVersionOf(projection)} in place`
          : `${projection.name}: another process put tables of version ${tableVersionOf(projection)} in place first; this replay is dropped`,
      );
    }
    // Ready for read-your-writes: the checkpoints other processes move are heard from now on.
    this.listenForCheckpoints();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopEventSignals = this.options.signals?.on('events', () => this.wake());
    this.loops = this.projections.map((projection) => this.loop(projection));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopEventSignals?.();
    this.stopEventSignals = undefined;
    this.stopCheckpointSignals?.();
    this.stopCheckpointSignals = undefined;
    this.wake();
    await Promise.all(this.loops);
  }

  /** Called after an append in this process (or signalled from another), so read models follow without waiting for a poll. */
  wake(): void {
    this.wakes++;
    for (const resolve of this.sleepers) resolve();
    this.sleepers.clear();
  }

  private listenForCheckpoints(): void {
    if (this.options.signals && !this.stopCheckpointSignals) this.stopCheckpointSignals = this.options.signals.on('checkpoints', () => this.checkpointsMoved());
  }

  private checkpointsMoved(): void {
    this.moves++;
    for (const resolve of this.moveWaiters) resolve();
    this.moveWaiters.clear();
  }

  /** A checkpoint of this runner moved, or stopped on a failure (committed): the waits here and, signalled, in other processes look again. */
  private moved(): void {
    this.checkpointsMoved();
    this.options.signals?.notify('checkpoints');
  }

  /** Resolves at the next checkpoint move after the `seen`-th, or after `ms`. */
  private nextMove(seen: number, ms: number): Promise<void> {
    if (this.moves !== seen) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiters = this.moveWaiters;
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  /** Sleeps until woken (an append here, a signal from another process): true; or until the poll interval passes: false. */
  private async pause(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), this.options.pollIntervalMs ?? 100);
      const sleepers = this.sleepers;
      function done(woken = true) {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve(woken);
      }
      this.sleepers.add(done);
    });
  }

  /** Whether events are committed that the log does not show yet (see EventStore.heldBack). */
  private async heldBack(): Promise<boolean> {
    try {
      return (await this.store.heldBack?.()) ?? false;
    } catch {
      return false;
    }
  }

  private async loop(projection: Projection): Promise<void> {
    /** Whether an append was signalled since this projection last found the log empty. */
    let woken = false;
    /** How long it waits before looking again for events held back: doubled each time, up to the poll (a transaction left open). */
    let heldBackMs = this.options.gatherMs ?? 10;
    while (!this.stopped) {
      let applied = 0;
      let failed = false;
      const wakes = this.wakes;
      try {
        const outcome = await this.step(projection);
        // A failed projection waits: a rebuild (from the CLI, maybe in another process) revives it.
        failed = outcome === 'failed';
        applied = outcome === 'failed' ? 0 : outcome;
      } catch (error) {
        this.logger.error(`projection ${projection.name}: ${error instanceof Error ? error.message : String(error)}; retrying`);
        await sleep((this.options.pollIntervalMs ?? 100) * 10);
      }
      if (this.stopped) break;
      if (applied === 0) {
        // Woken for an append, it found nothing: the append may be held back behind an older
        // transaction still running (another projection's batch, any writer on the server), which
        // signals nothing when it ends. Then it looks again shortly rather than at the next poll.
        if (woken && !failed && (await this.heldBack())) {
          await sleep(heldBackMs);
          heldBackMs = Math.min(heldBackMs * 2, this.options.pollIntervalMs ?? 100);
          continue;
        }
        heldBackMs = this.options.gatherMs ?? 10;
        // A wake while it was reading may be about an append its read came too early for: read again.
        if (this.wakes !== wakes) woken = true;
        else woken = await this.pause();
        continue;
      }
      heldBackMs = this.options.gatherMs ?? 10;
      // Appends signalled while it applied went by unheard: its next read that finds nothing looks twice.
      woken = true;
      // A short batch means the projection is at the head with writers still going: let a few more
      // commands land before the next batch, so a busy api pays one transaction for several of them
      // rather than one (and one empty poll) per command. Read-your-writes waits a few ms longer.
      if (applied < (this.options.batchSize ?? 500)) await sleep(this.options.gatherMs ?? 10);
    }
  }

  /** Applies every event available now to every projection (or one); returns how many were applied. */
  async catchUp(name?: string): Promise<number> {
    let total = 0;
    for (const projection of name ? [this.projection(name)] : this.projections) {
      for (;;) {
        const outcome = await this.step(projection);
        if (outcome === 'failed' || outcome === 0) break;
        total += outcome;
      }
    }
    return total;
  }

  private async readCheckpoint(db: Kysely<JalonTables>, name: string): Promise<Checkpoint> {
    const row = await db
      .selectFrom('projection_checkpoints')
      .select([sql<string>`commit_position::text`.as('commit'), sql<string>`prepare_position::text`.as('prepare'), 'status'])
      .where('projection', '=', name)
      .executeTakeFirstOrThrow();
    return { position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) }, status: row.status };
  }

  /** Every projection's checkpoint, in one statement (a wait reads them all at each move). */
  private async readCheckpoints(): Promise<(Checkpoint & { readonly name: string })[]> {
    const rows = await this.db
      .selectFrom('projection_checkpoints')
      .select(['projection', sql<string>`commit_position::text`.as('commit'), sql<string>`prepare_position::text`.as('prepare'), 'status'])
      .where(
        'projection',
        'in',
        this.projections.map((p) => p.name),
      )
      .execute();
    const byName = new Map(rows.map((row) => [row.projection, row]));
    return this.projections.map(({ name }) => {
      const row = byName.get(name);
      if (!row) throw new Error(`projection ${name} has no checkpoint: prepare() creates it`);
      return { name, position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) }, status: row.status };
    });
  }

  /** One batch: the number of events applied, 0 when there is nothing to do, 'failed' when stopped by an error. */
  async step(projection: Projection): Promise<number | 'failed'> {
    let from = this.lastApplied.get(projection.name);
    if (from === undefined) {
      const checkpoint = await this.readCheckpoint(this.db, projection.name);
      if (checkpoint.status === 'failed') return 'failed';
      from = checkpoint.position;
    }
    // Read outside the transaction: the embedded store has a single session, which the transaction holds.
    const events = await this.reads.after(from, this.options.batchSize ?? 500);
    if (events.length === 0) return 0;
    let outcome: number | 'failed';
    try {
      outcome = await this.applyBatch(projection, from, events);
    } catch (error) {
      outcome = await this.isolateFailure(projection, from, events, error);
    }
    if (typeof outcome === 'number' && outcome === events.length) this.lastApplied.set(projection.name, events[events.length - 1].position);
    else this.lastApplied.delete(projection.name);
    if (outcome !== 0) this.moved();
    return outcome;
  }

  private async applyBatch(projection: Projection, from: GlobalPosition, events: readonly RecordedEvent[]): Promise<number> {
    const last = events[events.length - 1].position;
    const handled = eventsFor(projection, events);
    if (handled.length === 0) {
      // Nothing to write but the checkpoint: one statement that moves it only from where the batch
      // was read (compare and set), instead of a transaction, a lock and a read. A worker applying
      // the same stretch meanwhile either finds the checkpoint moved (and leaves the batch), or
      // moves it further itself; either way each event is applied once.
      return (await this.skip(projection.name, from, last, events.length)) ? events.length : 0;
    }
    try {
      return await this.db.transaction().execute(async (trx) => {
        // The lock and the checkpoint in one round trip. The read's snapshot may predate the commit
        // of the worker that held the lock just before: then the batch is applied on a checkpoint
        // already moved, and the compare and set below undoes it.
        const lock = sql`pg_try_advisory_xact_lock(hashtext(${lockKey(projection.name)}))`;
        const { rows } = await sql<{ locked: boolean; commit: string; prepare: string; status: string }>`SELECT ${lock} AS locked,
          commit_position::text AS commit, prepare_position::text AS prepare, status FROM projection_checkpoints WHERE projection = ${projection.name}`.execute(
          trx,
        );
        if (rows.length === 0 || !rows[0].locked) return 0;
        const current = { status: rows[0].status, position: { commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare) } };
        // Another instance applied this batch (or more) since it was read: leave it to them.
        if (current.status !== 'running' || comparePositions(current.position, from) !== 0) return 0;
        await projection.apply(trx, handled, this.baseTables(projection));
        // Compare and set here too: another worker's skip (above, no lock) may have moved the
        // checkpoint since it was read; then this batch is undone and read again from there. The
        // row is not locked at the read, which would give the transaction an id from its start
        // and hold back every reader of the log while a projection waits (on Redis, say).
        if (!(await this.moveCheckpoint(trx, projection.name, from, last, events.length))) throw new CheckpointMoved();
        return events.length;
      });
    } catch (error) {
      if (error instanceof CheckpointMoved) return 0;
      throw error;
    }
  }

  /**
   * A skip (moveCheckpoint outside a transaction), moved in one statement with the other
   * projections' skips of the same turn: they wake on the same append and read the same stretch
   * (SharedLogReads), so most projections with nothing in it skip it together, one round trip
   * instead of one each.
   */
  private skip(name: string, from: GlobalPosition, to: GlobalPosition, events: number): Promise<boolean> {
    return new Promise<boolean>((done, failed) => {
      this.skips.push({ name, from, to, events, done, failed });
      if (this.skips.length === 1) setImmediate(() => void this.moveSkips());
    });
  }

  private async moveSkips(): Promise<void> {
    const skips = this.skips;
    this.skips = [];
    try {
      if (skips.length === 1) {
        const [{ name, from, to, events, done }] = skips;
        done(await this.moveCheckpoint(this.db, name, from, to, events));
        return;
      }
      const values = skips.map(
        (k) =>
          sql`(${k.name}::text, ${k.from.commit.toString()}::bigint, ${k.from.prepare.toString()}::bigint, ${k.to.commit.toString()}::bigint, ${k.to.prepare.toString()}::bigint, ${k.events}::int)`,
      );
      const { rows } = await sql<{ projection: string }>`UPDATE projection_checkpoints c SET commit_position = v.to_commit, prepare_position = v.to_prepare,
          events_applied = c.events_applied + v.events, updated_at = clock_timestamp()
        FROM (VALUES ${sql.join(values)}) AS v(projection, from_commit, from_prepare, to_commit, to_prepare, events)
        WHERE c.projection = v.projection AND c.status = 'running' AND c.commit_position = v.from_commit AND c.prepare_position = v.from_prepare
        RETURNING c.projection`.execute(this.db);
      const moved = new Set(rows.map((row) => row.projection));
      for (const k of skips) k.done(moved.has(k.name));
    } catch (error) {
      for (const k of skips) k.failed(error);
    }
  }

  /** Moves a running projection's checkpoint from `from` to `to`, only if it still stands at `from` (compare and set): whether it moved. */
  private async moveCheckpoint(db: Kysely<JalonTables>, name: string, from: GlobalPosition, to: GlobalPosition, events: number): Promise<boolean> {
    const { numAffectedRows } = await sql`UPDATE projection_checkpoints SET commit_position = ${to.commit.toString()}::bigint,
      prepare_position = ${to.prepare.toString()}::bigint, events_applied = events_applied + ${events}, updated_at = clock_timestamp()
      WHERE projection = ${name} AND status = 'running'
        AND commit_position = ${from.commit.toString()}::bigint AND prepare_position = ${from.prepare.toString()}::bigint`.execute(db);
    return numAffectedRows === 1n;
  }

  /** Applies the events one by one up to the failing one, then stops the projection there. */
  private async isolateFailure(
    projection: Projection,
    from: GlobalPosition,
    events: readonly RecordedEvent[],
    batchError: unknown,
  ): Promise<number | 'failed'> {
    let position = from;
    let applied = 0;
    for (const event of events) {
      try {
        const n = await this.applyBatch(projection, position, [event]);
        if (n === 0) return applied;
        applied += n;
        position = event.position;
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
        await sql`UPDATE projection_checkpoints SET status = 'failed', error = ${message}, failed_event_id = ${event.id}::uuid, updated_at = clock_timestamp() WHERE projection = ${projection.name}`.execute(
          this.db,
        );
        this.logger.error(
          `projection ${projection.name} stopped at ${formatPosition(position)}: event ${event.id} (${event.type}, ${event.streamId}@${event.streamRevision}) failed: ${message}`,
        );
        return 'failed';
      }
    }
    this.logger.error(
      `projection ${projection.name}: a batch failed but each of its events applies alone (${batchError instanceof Error ? batchError.message : String(batchError)})`,
    );
    return applied;
  }

  async statuses(): Promise<ProjectionStatus[]> {
    const rows = await this.db
      .selectFrom('projection_checkpoints')
      .select([
        'projection',
        'status',
        'error',
        'failed_event_id',
        'updated_at',
        sql<string>`commit_position::text`.as('commit'),
        sql<string>`prepare_position::text`.as('prepare'),
        sql<string>`events_applied::text`.as('events_applied'),
      ])
      .where(
        'projection',
        'in',
        this.projections.map((p) => p.name),
      )
      .orderBy('projection')
      .execute();
    return rows.map((r) => ({
      name: r.projection,
      status: r.status,
      position: formatPosition({ commit: BigInt(r.commit), prepare: BigInt(r.prepare) }),
      eventsApplied: Number(r.events_applied),
      updatedAt: new Date(r.updated_at).toISOString(),
      ...(r.error ? { error: r.error } : {}),
      ...(r.failed_event_id ? { failedEventId: r.failed_event_id } : {}),
    }));
  }

  /**
   * Resolves true once every running projection has reached `position`; a failed one counts as
   * reached, since it will not move until rebuilt. For callers that wait for the runner to have
   * nothing left to do (test support); a read that must be trusted uses `waitForPosition`.
   */
  async waitUntilReached(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    return (await this.pollUntil(position, timeoutMs, 'as-reached')).outcome !== 'timed-out';
  }

  /**
   * Read-your-writes: waits, bounded, until every projection has applied `position`. A projection
   * that failed short of it answers at once: its tables will lack the write until a rebuild.
   */
  async waitForPosition(position: GlobalPosition, timeoutMs: number): Promise<PositionWait> {
    return this.pollUntil(position, timeoutMs, 'as-failure');
  }

  private async pollUntil(position: GlobalPosition, timeoutMs: number, failedProjections: 'as-reached' | 'as-failure'): Promise<PositionWait> {
    const deadline = Date.now() + timeoutMs;
    this.listenForCheckpoints();
    for (;;) {
      const seen = this.moves;
      const checkpoints = await this.readCheckpoints();
      const short = checkpoints.filter((c) => comparePositions(c.position, position) < 0);
      const failed = short.filter((c) => c.status === 'failed').map((c) => c.name);
      if (failed.length > 0 && failedProjections === 'as-failure') return { outcome: 'failed', projections: failed };
      if (short.length === failed.length) return { outcome: 'reached' };
      if (Date.now() >= deadline) return { outcome: 'timed-out' };
      this.wake();
      // Until a checkpoint moves here or, signalled, in another process; polled as well, for a
      // signal lost. Without signals, only polling sees the other processes' moves: often.
      const poll = this.options.signals ? (this.options.pollIntervalMs ?? 100) : 5;
      await this.nextMove(seen, Math.min(poll, Math.max(0, deadline - Date.now())));
    }
  }

  /**
   * Replays the whole log into fresh tables while the live tables keep answering, then swaps them
   * in under the projection's lock and moves the checkpoint to where the replay stopped; the live
   * runner carries on from there. Also how a failed projection is restarted after a fix.
   */
  /** `onProgress` is awaited when it answers a promise: what it reads of the old tables, it reads before they are swapped. */
  async rebuild(
    name: string,
    onProgress?: (progress: RebuildProgress) => unknown,
    options: {
      /** An upgrade's replay (prepare): another process that swapped tables of this code's version in first leaves this one nothing to do. */
      readonly unlessUpgradedMeanwhile?: boolean;
    } = {},
  ): Promise<{ events: number; seconds: number; swapped: boolean }> {
    const projection = this.projection(name);
    const suffix = `__r${Date.now().toString(36)}`;
    const fresh: TableNames = Object.fromEntries(projection.tables.map((t) => [t.name, `${t.name}${suffix}`]));
    for (const table of projection.tables) for (const statement of tableDdl(table, fresh[table.name])) await statement.execute(this.db);
    const started = Date.now();
    let position = START;
    let done = 0;
    let swapped = false;
    try {
      const head = await this.store.headPosition();
      const read = (after: GlobalPosition) => {
        const page = this.store.readAll({ after, maxCount: this.options.rebuildBatchSize ?? 2000 });
        // Awaited on the next turn; a failure before then is not left unhandled.
        page.catch(() => undefined);
        return page;
      };
      // The next page is read while this one is applied: the log's reads and the projection's work overlap.
      let reading = read(position);
      for (;;) {
        const events = await reading;
        if (events.length === 0) break;
        reading = read(events[events.length - 1].position);
        const handled = eventsFor(projection, events);
        if (handled.length > 0) await this.db.transaction().execute((trx) => projection.apply(trx, handled, fresh));
        position = events[events.length - 1].position;
        done += events.length;
        if (onProgress) {
          const seconds = (Date.now() - started) / 1000;
          const fraction = head.prepare > 0n ? Math.min(1, Number(position.prepare) / Number(head.prepare)) : 1;
          const eventsPerSecond = seconds > 0 ? done / seconds : 0;
          await onProgress({ done, eventsPerSecond, fraction, etaSeconds: fraction > 0 && fraction < 1 ? (seconds * (1 - fraction)) / fraction : undefined });
        }
      }
      swapped = await this.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey(name)}))`.execute(trx);
        if (options.unlessUpgradedMeanwhile) {
          const { rows } = await sql<{ table_version: number }>`SELECT table_version FROM projection_checkpoints WHERE projection = ${name}`.execute(trx);
          if (rows[0]?.table_version >= tableVersionOf(projection)) return false;
        }
        for (const table of projection.tables) {
          await sql`DROP TABLE IF EXISTS ${sql.table(table.name)}`.execute(trx);
          await sql`ALTER TABLE ${sql.table(fresh[table.name])} RENAME TO ${sql.table(table.name)}`.execute(trx);
          // Indexes (and the constraints they back) take the table's name back too: the next start
          // finds its `IF NOT EXISTS` indexes under the names it gives them.
          const { rows } = await sql<{ name: string }>`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = to_regclass(${table.name}) AND starts_with(c.relname, ${fresh[table.name]})`.execute(trx);
          for (const { name: index } of rows)
            await sql`ALTER INDEX ${sql.id(index)} RENAME TO ${sql.id(table.name + index.slice(fresh[table.name].length))}`.execute(trx);
        }
        await sql`UPDATE projection_checkpoints SET commit_position = ${position.commit.toString()}::bigint, prepare_position = ${position.prepare.toString()}::bigint,
          events_applied = ${done}, status = 'running', error = NULL, failed_event_id = NULL, table_version = ${tableVersionOf(projection)},
          updated_at = clock_timestamp() WHERE projection = ${name}`.execute(trx);
        return true;
      });
      if (!swapped) for (const table of projection.tables) await sql`DROP TABLE IF EXISTS ${sql.table(fresh[table.name])}`.execute(this.db);
    } catch (error) {
      for (const table of projection.tables) await sql`DROP TABLE IF EXISTS ${sql.table(fresh[table.name])}`.execute(this.db).catch(() => undefined);
      throw error;
    }
    this.lastApplied.delete(name);
    this.moved();
    this.wake();
    return { events: done, seconds: (Date.now() - started) / 1000, swapped };
  }
}
