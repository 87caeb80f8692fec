import { SqlDb } from '@jalon/event-store';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { ConfigError, MasterKey, parseMasterKeys } from '@jalon/config';
import { decrypt, encrypt, newDataKey } from './sealed-box';

/** A candidate's data key, or the fact that it was destroyed (erasure), or nothing yet. */
export type DataKey = { readonly state: 'live'; readonly key: Buffer } | { readonly state: 'erased'; readonly erasedAt: string };

/**
 * One data key per candidate (DESIGN.md decision 7), kept wrapped by a master key in the table
 * `candidate_keys`. Rotating the master key rewraps these rows and never touches an event.
 * Destroying a key leaves a tombstone (when, no key), so "erased" and "never had data" differ and
 * no new key can be minted for an erased candidate by mistake.
 */
export class DataKeys {
  private readonly current: MasterKey;

  constructor(
    private readonly db: SqlDb,
    private readonly masterKeys: readonly MasterKey[],
  ) {
    if (masterKeys.length === 0) throw new Error('at least one master key is needed');
    this.current = masterKeys[0];
  }

  /** The keys of these candidates; a candidate without a row is absent from the map. */
  async find(candidateIds: readonly string[]): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    if (candidateIds.length === 0) return found;
    const { rows } = await sql<KeyRow>`SELECT candidate_id, master_key_id, wrapped_key, erased_at FROM candidate_keys
      WHERE candidate_id IN (${sql.join([...new Set(candidateIds)])})`.execute(this.db);
    for (const row of rows) found.set(row.candidate_id, this.unwrapRow(row));
    return found;
  }

  /**
   * The candidate's key, created on first use; an erased candidate's is gone for good. `fresh`
   * says the candidate is being registered: the key is then created first and looked for only
   * if one stood already (one statement instead of a read, a write and a read again).
   */
  async obtain(candidateId: string, { fresh = false }: { readonly fresh?: boolean } = {}): Promise<DataKey> {
    if (!fresh) {
      const existing = (await this.find([candidateId])).get(candidateId);
      if (existing) return existing;
    }
    const key = newDataKey();
    // Two writers may race to create it, and an erased candidate keeps a tombstone: the first row
    // wins, and whoever did not write it reads what stands.
    const { rows } = await sql`INSERT INTO candidate_keys (candidate_id, master_key_id, wrapped_key)
      VALUES (${candidateId}, ${this.current.id}, ${this.wrap(candidateId, key, this.current)})
      ON CONFLICT (candidate_id) DO NOTHING RETURNING candidate_id`.execute(this.db);
    if (rows.length === 1) return { state: 'live', key };
    return (await this.find([candidateId])).get(candidateId)!;
  }

  /**
   * Crypto-shredding: the wrapped key is overwritten and a tombstone stays. The table is vacuumed
   * afterwards (outside any transaction) so the old row version does not linger on disk.
   */
  async destroy(candidateId: string): Promise<void> {
    await sql`INSERT INTO candidate_keys (candidate_id, master_key_id, wrapped_key, erased_at) VALUES (${candidateId}, NULL, NULL, clock_timestamp())
      ON CONFLICT (candidate_id) DO UPDATE SET master_key_id = NULL, wrapped_key = NULL, erased_at = coalesce(candidate_keys.erased_at, clock_timestamp())`.execute(
      this.db,
    );
    await sql`VACUUM candidate_keys`.execute(this.db).catch(() => undefined);
  }

  /** Rewraps every live key not under the current master key; returns how many. Safe to rerun. */
  async rotate(batchSize = 500): Promise<number> {
    let rewrapped = 0;
    for (;;) {
      const { rows } = await sql<KeyRow>`SELECT candidate_id, master_key_id, wrapped_key, erased_at FROM candidate_keys
        WHERE wrapped_key IS NOT NULL AND master_key_id <> ${this.current.id} ORDER BY candidate_id LIMIT ${batchSize}`.execute(this.db);
      if (rows.length === 0) return rewrapped;
      for (const row of rows) {
        const key = this.unwrapRow(row);
        if (key.state !== 'live') continue;
        // Only the row still wrapped by the key read is rewrapped: a concurrent rotation or erasure wins.
        const { numAffectedRows } =
          await sql`UPDATE candidate_keys SET master_key_id = ${this.current.id}, wrapped_key = ${this.wrap(row.candidate_id, key.key, this.current)}
          WHERE candidate_id = ${row.candidate_id} AND master_key_id = ${row.master_key_id} AND wrapped_key = ${row.wrapped_key}`.execute(this.db);
        rewrapped += Number(numAffectedRows ?? 0);
      }
    }
  }

  /**
   * At start-up: whether the configured master keys open the stored data keys, trying one key per
   * master key id. A master key set that opens none of them would only show later, as reads that
   * fail while new writes are still accepted; this stops start-up instead, saying how to recover.
   */
  async assertMasterKeysOpenStoredKeys(): Promise<void> {
    const { rows } = await sql<KeyRow>`SELECT DISTINCT ON (master_key_id) candidate_id, master_key_id, wrapped_key, erased_at FROM candidate_keys
      WHERE wrapped_key IS NOT NULL ORDER BY master_key_id, candidate_id`.execute(this.db);
    const recover =
      'start with the MASTER_KEYS the data was written with (embedded mode: the file master-keys in DATA_DIR); to change keys, put the new one first, keep the old after it, and run `npm run cli -- keys rotate`';
    for (const row of rows) {
      try {
        this.unwrapRow(row);
      } catch (error) {
        if (!(error instanceof DataKeyUnreadableError)) throw error;
        throw new ConfigError([`MASTER_KEYS does not open the stored candidate keys: ${error.message}; ${recover}`]);
      }
    }
  }

  private unwrapRow(row: KeyRow): DataKey {
    if (row.wrapped_key === null) return { state: 'erased', erasedAt: new Date(row.erased_at!).toISOString() };
    const master = this.masterKeys.find((k) => k.id === row.master_key_id);
    if (!master) throw new DataKeyUnreadableError(`they are wrapped by master key "${row.master_key_id}", which MASTER_KEYS does not hold`);
    const [iv, tag, data] = row.wrapped_key.split('.');
    try {
      return { state: 'live', key: decrypt(master.key, wrappingContext(row.candidate_id, master.id), { iv, tag, data }) };
    } catch {
      throw new DataKeyUnreadableError(`the master key "${master.id}" configured is not the one they were wrapped with under that id`);
    }
  }

  private wrap(candidateId: string, key: Buffer, master: MasterKey): string {
    const box = encrypt(master.key, wrappingContext(candidateId, master.id), key);
    return [box.iv, box.tag, box.data].join('.');
  }
}

/**
 * A candidate's data key cannot be opened with the configured master keys: personal data is locked
 * away until the right keys are configured. Commands that need it refuse; nothing is written.
 */
export class DataKeyUnreadableError extends Error {
  readonly code = 'PRIVACY.KEY_UNREADABLE';

  constructor(reason: string) {
    super(`a candidate's data key cannot be opened: ${reason}`);
    this.name = 'DataKeyUnreadableError';
  }
}

interface KeyRow {
  candidate_id: string;
  master_key_id: string | null;
  wrapped_key: string | null;
  erased_at: Date | string | null;
}

/** A wrapped key opens only for its candidate: rows cannot be swapped between candidates. */
const wrappingContext = (candidateId: string, masterKeyId: string) => `jalon:data-key:v1:${candidateId}:${masterKeyId}`;

/**
 * For tools and test processes that open data sealed by nobody but themselves: the given
 * MASTER_KEYS value, or a throwaway key (what it wraps cannot be opened once the process is gone).
 */
export function masterKeysOrThrowaway(raw: string | undefined): MasterKey[] {
  return raw ? parseMasterKeys(raw) : [{ id: `throwaway-${randomBytes(4).toString('hex')}`, key: randomBytes(32) }];
}
