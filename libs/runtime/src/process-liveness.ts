import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { sql, RawBuilder } from 'kysely';
import { Storage } from '@jalon/event-store';
import { STORAGE } from './runtime.tokens';

/** The advisory lock class under which every Jalon process holds a lock of its own while it lives. */
export const PROCESS_LOCK_CLASS = 0x4a4c; // "JL"

/**
 * Tells whether the process that left a record (a claim on an Idempotency-Key) is still alive.
 * Each process holds, on a session of its own, the advisory lock (PROCESS_LOCK_CLASS, its lock id)
 * from start-up to exit; the server drops it the moment the process dies, SIGKILL included. So a
 * record naming a lock id nobody holds was left by a dead process, and can be taken over at once
 * instead of after a timeout. On the embedded database the same holds: its one session dies with
 * the one process that may open it.
 */
@Injectable()
export class ProcessLiveness implements OnModuleInit {
  /** This process's lock id; random, so two live processes almost never share one (a clash only delays a takeover). */
  readonly lockId = randomInt(-(2 ** 31), 2 ** 31 - 1);

  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async onModuleInit(): Promise<void> {
    await this.storage.sql.holdAdvisoryLock(PROCESS_LOCK_CLASS, this.lockId);
  }
}

/** SQL that is true when no live process holds the lock id in `column` (an integer column). */
export function ownerIsGone(column: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`NOT EXISTS (
    SELECT 1 FROM pg_locks held WHERE held.locktype = 'advisory' AND held.objsubid = 2 AND held.granted
      AND held.classid = ${sql.lit(PROCESS_LOCK_CLASS)}::int4::oid AND held.objid = (${column})::int4::oid
      AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;
}
