import { randomBytes } from 'node:crypto';

/**
 * The one master key of a bench run (MASTER_KEYS's format): every part of the run that stores or
 * opens candidates' data keys on the bench's database uses it, as one deployment does, so that an
 * api started by a later part (the import's) finds the keys an earlier part stored (the deployed
 * api's, the accrochage's) opened by what it is configured with.
 */
export const BENCH_MASTER_KEYS = `bench-1:${randomBytes(32).toString('base64')}`;
