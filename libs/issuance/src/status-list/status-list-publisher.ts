import { createHash } from 'node:crypto';
import { bitstringOf, encodeList } from './bitstring';
import { statusListCredential } from './status-list-credential';
import { StatusListSigner } from './status-list-signer';
import { StatusLists } from './status-lists';

/** A list as served: its signed credential and the entity tag of those bytes. */
export interface PublishedStatusList {
  readonly jwt: string;
  /** A strong entity tag, quoted: a hash of the JWT. */
  readonly etag: string;
  /** A hash of what the list holds (its revoked indices, its validFrom): changes exactly when its content does. */
  readonly revision: string;
}

/** How long a signed list is served again as it is: a new key signs within this (and the HTTP max-age). */
export const STATUS_LIST_RESIGN_AFTER_MS = 60_000;

/**
 * The status lists as published: each read from SQL at every request (one indexed query: the
 * revoked entries of the list), and encoded and signed again only when that content changed (or
 * the signature is older than `resignAfterMs`), so a 304 or a repeated 200 costs the query alone
 * and a revocation shows at the first request after the projection applied it.
 */
export class StatusListPublisher {
  private readonly signed = new Map<string, PublishedStatusList & { readonly signedAt: number }>();

  constructor(
    private readonly lists: StatusLists,
    /** The lists' signer: one issuer's, or each issuer's by its slug (undefined: that issuer's lists are not served). */
    private readonly signer: StatusListSigner | ((issuerSlug: string) => StatusListSigner | undefined),
    private readonly options: { readonly resignAfterMs?: number; readonly now?: () => number } = {},
  ) {}

  /** The list of `issuerSlug` numbered `listNumber`, or undefined when there is none. */
  async publish(issuerSlug: string, listNumber: number): Promise<PublishedStatusList | undefined> {
    const signer = typeof this.signer === 'function' ? this.signer(issuerSlug) : this.signer;
    const content = signer && (await this.lists.content(issuerSlug, listNumber));
    if (!signer || !content) return undefined;
    const revision = createHash('sha256')
      .update(JSON.stringify([content.validFrom, content.revokedIndices]))
      .digest('base64url');
    const now = (this.options.now ?? Date.now)();
    const key = `${issuerSlug}/${listNumber}`;
    const kept = this.signed.get(key);
    if (kept && kept.revision === revision && now - kept.signedAt < (this.options.resignAfterMs ?? STATUS_LIST_RESIGN_AFTER_MS)) return kept;
    const credential = statusListCredential({
      listUrl: content.listUrl,
      issuer: signer.issuer,
      validFrom: content.validFrom,
      encodedList: encodeList(bitstringOf(content.revokedIndices)),
    });
    const jwt = await signer.sign(credential as unknown as Record<string, unknown>);
    const published = { jwt, etag: `"${createHash('sha256').update(jwt).digest('base64url').slice(0, 32)}"`, revision, signedAt: now };
    this.signed.set(key, published);
    return published;
  }
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 asks of If-None-Match), or is `*`. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
