import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { JobKind, JobQueue, JobWorkerOptions, RedisSettings, startJobWorker } from '../issuance-queue';
import { DeliveryJob, isAddressCompletedJob } from './document-delivery.projection';

export const DELIVERY_QUEUE = 'jalon-delivery';

/**
 * One job per document event, and per address completed, under the event's id: enqueued twice (a
 * replay, the reconciler), it is one job.
 */
export const DELIVERY_JOBS: JobKind<DeliveryJob> = {
  queue: DELIVERY_QUEUE,
  idOf: (job) => `deliver-${job.eventId}`,
  nameOf: (job) => (isAddressCompletedJob(job) ? 'address-completed' : 'deliver'),
};

/** The queue of document e-mails: apart from the issuance jobs, so a mail server down holds back no document. */
export class DeliveryQueue extends JobQueue<DeliveryJob> {
  constructor(connection: Redis, settings: RedisSettings) {
    super(connection, settings, DELIVERY_JOBS);
  }
}

export function startDeliveryWorker(
  process: (job: DeliveryJob) => Promise<string>,
  connection: Redis,
  settings: RedisSettings,
  options: JobWorkerOptions = {},
): Worker<DeliveryJob, string> {
  return startJobWorker(DELIVERY_JOBS, process, connection, settings, options);
}
