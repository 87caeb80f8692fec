import { REDIS_DATABASES_OWNED_WHOLE, REDIS_TEST_DATABASES } from './redis-test-databases';

describe('Redis databases of the test suites', () => {
  it('a suite that empties or searches its whole database shares it with no other, nor with the default one', () => {
    for (const owner of REDIS_DATABASES_OWNED_WHOLE) {
      const database = REDIS_TEST_DATABASES[owner];
      const sharers = Object.entries(REDIS_TEST_DATABASES).filter(([suite, db]) => db === database && suite !== owner);
      expect({ owner, database, sharers }).toEqual({ owner, database, sharers: [] });
      expect(database).not.toBe(0);
    }
  });
});
