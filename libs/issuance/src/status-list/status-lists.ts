import { SqlDb } from '@jalon/event-store';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { positionInList, STATUS_LIST_LENGTH } from './bitstring';
import { DocumentStatusEntry, statusListUrl } from './status-list-credential';
import { STATUS_LIST_REVOCATIONS } from './status-list.projection';

/** Gives each document its place in a status list, once; what Issuance needs of StatusLists. */
export interface StatusListAllocator {
  allocate(documentNumber: string): Promise<DocumentStatusEntry>;
}

/** A document's entry and what its list says of it now. */
export interface DocumentStatus extends DocumentStatusEntry {
  /** The issuer whose list it is. */
  readonly issuer: string;
  readonly listNumber: number;
  readonly revoked: boolean;
}

/** What a list holds now: the indices set to 1, and since when it holds them. */
export interface StatusListContent {
  readonly listUrl: string;
  /** Sorted. */
  readonly revokedIndices: readonly number[];
  /** When its content last changed: the latest revocation in it, else when the list was opened. */
  readonly validFrom: string;
}

class AlreadyAllocated extends Error {}

interface EntryRow {
  issuer: string;
  list_number: number;
  list_index: number;
}

/**
 * The issuer's status lists in SQL (PostgreSQL and PGlite alike, migration 0007):
 *
 * - `status_list_counters`: per issuer, the next ordinal to give out. The n-th document issued goes
 *   to list ⌊n / 131072⌋, at `positionInList(n mod 131072, salt)`; updating the counter row
 *   serialises allocations of one issuer, for the instant of one short transaction.
 * - `status_lists`: each list opened, with the secret salt of its permutation (never published).
 * - `status_list_entries`: each document's list and index, given once per issuer and kept for
 *   ever: its credential carries them, so issuing the same document again (a job run twice) must
 *   find them. A document reissued by another issuer (its certifier, configured since) gets an
 *   entry in that issuer's lists too; a revocation sets every bit of the document.
 *
 * Each issuer has its own lists (`<base>/issuers/<slug>/status/<n>`): `issuerSlug` is the default
 * one, `issuers` every issuer whose lists are served (a certifier's documents are allocated with
 * `forIssuer`).
 * The bits themselves come from the `status-list` projection (the documents revoked).
 */
export class StatusLists implements StatusListAllocator {
  constructor(
    private readonly db: SqlDb,
    private readonly options: { readonly issuerSlug: string; readonly publicBaseUrl: string; readonly issuers?: readonly string[] },
  ) {}

  get issuerSlug(): string {
    return this.options.issuerSlug;
  }

  listUrl(listNumber: number, issuer = this.options.issuerSlug): string {
    return statusListUrl(this.options.publicBaseUrl, issuer, listNumber);
  }

  /** The entries of one issuer's lists, for the documents it issues. */
  forIssuer(issuer: string): StatusListAllocator {
    return { allocate: (documentNumber) => this.allocate(documentNumber, issuer) };
  }

  /**
   * The document's entry: the one it was given, else a new one. Concurrent calls for one document
   * agree: the entry is inserted once (its number is the key); a call that loses the race rolls
   * back, so its ordinal is not spent, and reads the winner's.
   */
  async allocate(documentNumber: string, issuer = this.options.issuerSlug): Promise<DocumentStatusEntry> {
    const given = await this.entryRow(this.db, documentNumber, issuer);
    if (given) return this.entry(given);
    try {
      await this.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ ordinal: string }>`
          INSERT INTO status_list_counters (issuer, next_ordinal) VALUES (${issuer}, 1)
          ON CONFLICT (issuer) DO UPDATE SET next_ordinal = status_list_counters.next_ordinal + 1
          RETURNING (next_ordinal - 1)::text AS ordinal`.execute(trx);
        const ordinal = Number(rows[0].ordinal);
        const listNumber = Math.floor(ordinal / STATUS_LIST_LENGTH);
        await sql`INSERT INTO status_lists (issuer, list_number, salt) VALUES (${issuer}, ${listNumber}, ${randomBytes(32).toString('base64url')})
          ON CONFLICT (issuer, list_number) DO NOTHING`.execute(trx);
        const list = await sql<{ salt: string }>`SELECT salt FROM status_lists WHERE issuer = ${issuer} AND list_number = ${listNumber}`.execute(trx);
        const index = positionInList(ordinal % STATUS_LIST_LENGTH, list.rows[0].salt);
        const inserted = await sql`INSERT INTO status_list_entries (document_number, issuer, list_number, list_index)
          VALUES (${documentNumber}, ${issuer}, ${listNumber}, ${index})
          ON CONFLICT (document_number, issuer) DO NOTHING RETURNING document_number`.execute(trx);
        if (inserted.rows.length === 0) throw new AlreadyAllocated();
      });
    } catch (error) {
      if (!(error instanceof AlreadyAllocated)) throw error;
    }
    const entry = await this.entryRow(this.db, documentNumber, issuer);
    if (!entry) throw new Error(`no status list entry for ${documentNumber} after allocating one`);
    return this.entry(entry);
  }

  /**
   * The document's entry in the lists of `issuer` (else its latest entry) and whether its list has
   * its bit set; undefined for a document given none (issued before status lists).
   */
  async statusOf(documentNumber: string, issuer?: string): Promise<DocumentStatus | undefined> {
    const { rows } = await sql<EntryRow & { revoked: boolean }>`
      SELECT e.issuer, e.list_number, e.list_index, (r.document_number IS NOT NULL) AS revoked
      FROM status_list_entries e LEFT JOIN ${sql.table(STATUS_LIST_REVOCATIONS)} r ON r.document_number = e.document_number
      WHERE e.document_number = ${documentNumber} ${issuer === undefined ? sql`` : sql`AND e.issuer = ${issuer}`}
      ORDER BY e.allocated_at DESC LIMIT 1`.execute(this.db);
    return rows[0] ? { ...this.entry(rows[0]), issuer: rows[0].issuer, listNumber: rows[0].list_number, revoked: rows[0].revoked } : undefined;
  }

  /** What the list holds now; undefined when the issuer has no such list (another issuer's slug, a list not opened yet). */
  async content(issuerSlug: string, listNumber: number): Promise<StatusListContent | undefined> {
    if (
      !(this.options.issuers ?? [this.options.issuerSlug]).includes(issuerSlug) ||
      !Number.isSafeInteger(listNumber) ||
      listNumber < 0 ||
      listNumber > 2 ** 31 - 1
    )
      return undefined;
    const list = await sql<{ created_at: Date | string }>`
      SELECT created_at FROM status_lists WHERE issuer = ${issuerSlug} AND list_number = ${listNumber}`.execute(this.db);
    if (list.rows.length === 0) return undefined;
    const { rows } = await sql<{ list_index: number; revoked_at: Date | string }>`
      SELECT e.list_index, r.revoked_at
      FROM status_list_entries e JOIN ${sql.table(STATUS_LIST_REVOCATIONS)} r ON r.document_number = e.document_number
      WHERE e.issuer = ${issuerSlug} AND e.list_number = ${listNumber}
      ORDER BY e.list_index`.execute(this.db);
    const changedAt = rows.reduce((latest, row) => Math.max(latest, new Date(row.revoked_at).getTime()), new Date(list.rows[0].created_at).getTime());
    return {
      listUrl: this.listUrl(listNumber, issuerSlug),
      revokedIndices: rows.map((row) => row.list_index),
      validFrom: new Date(changedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  private entry(row: EntryRow): DocumentStatusEntry {
    return { listUrl: this.listUrl(row.list_number, row.issuer), index: row.list_index };
  }

  private async entryRow(db: SqlDb, documentNumber: string, issuer: string): Promise<EntryRow | undefined> {
    const { rows } = await sql<EntryRow>`SELECT issuer, list_number, list_index FROM status_list_entries
      WHERE document_number = ${documentNumber} AND issuer = ${issuer}`.execute(db);
    return rows[0];
  }
}
