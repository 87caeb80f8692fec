import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig, ConfigError, legacyIssuerSigningKey } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import {
  DeliveryQueue,
  describeSmtpUrl,
  DocumentDelivery,
  DocumentStorage,
  Issuance,
  IssuanceQueue,
  IssuerKeyRing,
  reconcileDelivery,
  reconcileIssuance,
  startDeliveryWorker,
  startIssuanceWorker,
} from '@jalon/issuance';
import { DataKeys } from '@jalon/privacy';
import { ProjectionRunner } from '@jalon/projections';
import { TransferCompletion } from './transfer-completion';
import { APP_CONFIG, DOCUMENT_STORAGE, STORAGE } from './runtime.tokens';

const RECONCILE_EVERY_MS = 60_000;

/**
 * Starts what this process is configured to run — projections, issuance jobs and their periodic
 * reconciliation — and stops everything on shutdown, in order.
 */
@Injectable()
export class RuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Runtime');
  private worker?: Worker;
  private deliveryWorker?: Worker;
  private reconciler?: NodeJS.Timeout;
  private transfers?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly runner: ProjectionRunner,
    private readonly queue: IssuanceQueue,
    private readonly issuance: Issuance,
    private readonly redis: Redis,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
    private readonly transferCompletion: TransferCompletion,
    private readonly dataKeys: DataKeys,
    private readonly issuerKeys: IssuerKeyRing,
    private readonly deliveryQueue: DeliveryQueue,
    @Optional() private readonly delivery?: DocumentDelivery,
  ) {}

  /**
   * Keys that changed under existing data stop start-up in one line saying how to recover, rather
   * than showing later as failed reads (personal data) or as valid documents verified invalid.
   */
  private async assertKeysFitStoredData(): Promise<void> {
    await this.dataKeys.assertMasterKeysOpenStoredKeys();
    const slug = this.config.issuerSlug;
    // The Ed25519 key of the documents issued before the key ring stays published (it signs nothing more).
    const legacy = legacyIssuerSigningKey(this.config);
    if (legacy && (await this.issuerKeys.importLegacyKey(slug, legacy)))
      this.logger.log(
        `the Ed25519 key of the documents issued before is published under issuer "${slug}"; new documents are signed RS256 with the issuer's keys`,
      );
    await this.issuerKeys.assertMasterKeysOpenStoredKeys();
    const credential = await this.documents.anyCredential?.();
    if (!credential) return;
    let kid: unknown;
    try {
      kid = (JSON.parse(Buffer.from(credential.toString('utf8').split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown }).kid;
    } catch {
      return;
    }
    if (typeof kid !== 'string') return;
    // A key URI names its issuer (…/issuers/<slug>/keys/<thumbprint>): a certifier's documents are checked against its keys.
    const issuer = /\/issuers\/([a-z0-9-]+)\/keys\/[^/]+$/.exec(kid)?.[1] ?? slug;
    if ((await this.issuerKeys.keys(issuer)).some((key) => key.jwk.kid === kid)) return;
    throw new ConfigError([
      kid.includes('/')
        ? `the stored documents were signed with the key ${kid}, which issuer "${issuer}" does not publish: every one of them would verify as invalid; start with the database holding its keys (table issuer_keys) and the PUBLIC_BASE_URL and ISSUER_SLUG (or CERTIFIERS) they were issued under`
        : `the stored documents were signed with the Ed25519 key ${kid}, which issuer "${slug}" does not publish: every one of them would verify as invalid; start once with that key (ISSUER_SIGNING_KEY, or issuer-ed25519.pem in DATA_DIR) so that it is published`,
    ]);
  }

  /** When Redis last got a warning line: an outage is told once a minute, not at each reconnection attempt. */
  private redisWarnedAt = 0;

  private warnRedis(error: Error): void {
    if (Date.now() - this.redisWarnedAt < RECONCILE_EVERY_MS) return;
    this.redisWarnedAt = Date.now();
    this.logger.warn(`Redis at ${this.config.redisUrl} is unavailable (${error.message}): issuance waits for it, the rest goes on`);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.assertKeysFitStoredData();
    // ioredis and BullMQ report every failed reconnection: without listeners, each one is a multi-line print.
    this.redis.on('error', (error: Error) => this.warnRedis(error));
    this.queue.onError((error) => this.warnRedis(error));
    this.deliveryQueue.onError((error) => this.warnRedis(error));
    // Said once, at start-up, by every process: whether the documents' holders are e-mailed.
    if (!this.config.delivery)
      this.logger.log('document delivery by e-mail is off (SMTP_URL is not set): the documents issued meanwhile will not be e-mailed to their holders');
    else if (this.config.runIssuance)
      this.logger.log(
        `documents are delivered to their holders by e-mail through ${describeSmtpUrl(this.config.delivery.smtpUrl)}, from ${this.config.delivery.from}`,
      );
    await this.runner.prepare();
    if (this.config.runProjections) {
      this.runner.start();
      this.logger.log(`projections running: ${this.runner.projections.map((p) => p.name).join(', ')}`);
      // Where the read models are kept up to date, the transfers left half-done are found and completed.
      this.transfers = setInterval(() => void this.completeTransfers(), RECONCILE_EVERY_MS);
    }
    if (this.config.runIssuance) {
      this.worker = startIssuanceWorker(
        (data) => (data.type === 'issue' ? this.issuance.issue(data.job) : this.issuance.revoke(data.job)),
        this.redis,
        { url: this.config.redisUrl, prefix: this.config.redisPrefix },
        // Several workers share the queue: each job says which process ran it (host and pid: a container's id and its process).
        { name: `${hostname()}:${process.pid}` },
      );
      this.worker.on('failed', (job, error) => this.logger.warn(`issuance job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
      this.worker.on('error', (error) => this.warnRedis(error));
      if (this.delivery) {
        const delivery = this.delivery;
        this.deliveryWorker = startDeliveryWorker((job) => delivery.deliver(job), this.redis, { url: this.config.redisUrl, prefix: this.config.redisPrefix });
        this.deliveryWorker.on('failed', (job, error) =>
          this.logger.warn(`delivery job ${job?.id} failed (attempt ${job?.attemptsMade}), retried later: ${error.message}`),
        );
        this.deliveryWorker.on('error', (error) => this.warnRedis(error));
      }
      void this.checkRedis();
      this.reconciler = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
      void this.reconcile();
    }
  }

  /** Warns, without stopping, when Redis could evict BullMQ's keys or cannot be reached. */
  private async checkRedis(): Promise<void> {
    try {
      const policy = await this.queue.evictionPolicy();
      if (policy !== 'noeviction')
        this.logger.warn(
          `Redis maxmemory-policy is ${policy}: set it to noeviction, or queued certificates may be evicted (the reconciler would re-issue them)`,
        );
    } catch (error) {
      this.logger.warn(`Redis at ${this.config.redisUrl} cannot be checked: ${(error as Error).message}`);
    }
  }

  /**
   * Re-enqueues what Redis lost and removes the partial files of writers that died mid-write (at
   * start-up and every minute: files of a crash just before this start are too young to sweep at
   * once, since another process may be writing them).
   */
  private async reconcile(): Promise<void> {
    try {
      const swept = (await this.documents.sweep?.()) ?? [];
      if (swept.length > 0) this.logger.log(`removed ${swept.length} partial document file(s) left by a writer that stopped mid-write`);
    } catch (error) {
      this.logger.warn(`sweeping partial document files failed: ${(error as Error).message}`);
    }
    try {
      const { issue, revoke } = await reconcileIssuance(this.storage.sql.db, (jobs) => this.queue.enqueueAll(jobs));
      if (issue + revoke > 0) this.logger.log(`reconciler re-enqueued ${issue} issuance and ${revoke} revocation job(s)`);
    } catch (error) {
      this.logger.warn(`issuance reconciliation failed: ${(error as Error).message}`);
    }
    if (!this.delivery) return;
    try {
      const delivered = await reconcileDelivery(this.storage.sql.db, (jobs) => this.deliveryQueue.enqueueAll(jobs));
      if (delivered > 0) this.logger.log(`reconciler re-enqueued ${delivered} document e-mail(s) not sent yet`);
    } catch (error) {
      this.logger.warn(`delivery reconciliation failed: ${(error as Error).message}`);
    }
  }

  /** Completes the transfers whose new enrollment was never written (see TransferCompletion). */
  private async completeTransfers(): Promise<void> {
    try {
      const completed = await this.transferCompletion.completeUnfinished();
      if (completed.length > 0) this.logger.log(`completed ${completed.length} transfer(s) whose new enrollment was missing: ${completed.join(', ')}`);
    } catch (error) {
      this.logger.warn(`completing unfinished transfers failed: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.transfers);
    clearInterval(this.reconciler);
    // With Redis gone, closing the worker and the queue would wait for it for ever: a stop is bounded.
    await this.bounded('the issuance worker', this.worker?.close());
    await this.bounded('the delivery worker', this.deliveryWorker?.close());
    await this.runner.stop();
    await this.bounded('the issuance queue', this.queue.close());
    await this.bounded('the delivery queue', this.deliveryQueue.close());
    this.delivery?.close();
    if (this.redis.status === 'ready') await this.bounded('Redis', this.redis.quit());
    this.redis.disconnect();
    await this.storage.close();
  }

  private async bounded(what: string, closing: Promise<unknown> | undefined, ms = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>(
      (resolve) => (timer = setTimeout(() => (this.logger.warn(`${what} did not close within ${ms} ms: left behind`), resolve()), ms)),
    );
    await Promise.race([closing?.catch((error: Error) => this.logger.warn(`closing ${what}: ${error.message}`)), late]);
    clearTimeout(timer);
  }
}
