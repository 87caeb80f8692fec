/**
 * The Redis database of each test suite that does not share database 0. Jest runs suites in
 * parallel on one Redis: a suite that empties its database (FLUSHDB) or searches all of it must
 * have that database to itself, or it wipes or finds another suite's jobs. The suites that only
 * touch keys under a prefix of their own may share one.
 */
export const REDIS_TEST_DATABASES = {
  /**
   * Suites whose every key is under a prefix of their own, deleted afterwards; no FLUSHDB: issuance-queue.int-spec,
   * issuance-crash.int-spec, test/exactly-once-crash, the api's rate-limit storage, test/scaled-out.
   */
  issuancePrefixed: 9,
  /** test/issuance.e2e-spec, the api issuing documents: FLUSHDB before and after. */
  issuanceE2e: 7,
  /** test/issuance.e2e-spec, Redis losing its data: FLUSHDB in the middle of the test. */
  issuanceAfterRedisLoss: 8,
  /** test/personal-data.e2e-spec: searches every key for planted personal data; FLUSHDB before and after. */
  personalData: 10,
} as const;

/** The suites that empty or search their whole database: each must be alone in it. */
export const REDIS_DATABASES_OWNED_WHOLE: readonly (keyof typeof REDIS_TEST_DATABASES)[] = ['issuanceE2e', 'issuanceAfterRedisLoss', 'personalData'];

export const redisTestUrl = (database: number) => `redis://127.0.0.1:6379/${database}`;
