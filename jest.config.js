/** One Jest run for unit specs (*.spec.ts), integration specs (*.int-spec.ts) and end-to-end specs (test/). */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // Type checking is done once by `tsc --noEmit` in scripts/run-tests.js; per-file transpiling keeps Jest fast.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: {
    '^@jalon/domain$': '<rootDir>/libs/domain/src',
    '^@jalon/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@jalon/event-store$': '<rootDir>/libs/event-store/src',
    '^@jalon/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@jalon/runtime$': '<rootDir>/libs/runtime/src',
    '^@jalon/privacy$': '<rootDir>/libs/privacy/src',
    '^@jalon/issuance$': '<rootDir>/libs/issuance/src',
    '^@jalon/accrochage$': '<rootDir>/libs/accrochage/src',
    '^@jalon/accrochage/(.*)$': '<rootDir>/libs/accrochage/src/$1',
    '^@jalon/issuance/(.*)$': '<rootDir>/libs/issuance/src/$1',
    '^@jalon/projections$': '<rootDir>/libs/projections/src',
    '^@jalon/read-models$': '<rootDir>/libs/read-models/src',
    '^@jalon/read-models/(.*)$': '<rootDir>/libs/read-models/src/$1',
    '^@jalon/config$': '<rootDir>/libs/config/src',
    '^@jalon/catalogue$': '<rootDir>/libs/catalogue/src',
    '^@jalon/catalogue/(.*)$': '<rootDir>/libs/catalogue/src/$1',
  },
  testTimeout: 30000,
  // One suite at a time when Jest is run by hand: the suites share one PostgreSQL server, whose log reads wait
  // for every older transaction on the server (transaction ids are the cluster's), so one suite's open
  // transactions would hold back another's reads and catch-ups, which their assertions do not wait for.
  // `npm test` runs two at a time, each worker on a server of its own (scripts/second-postgres.js).
  maxWorkers: 1,
};
