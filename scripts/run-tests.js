#!/usr/bin/env node
// Runs the type check and the lint, then every Jest test, then the console's browser tests, and ends with the one
// line CI reads: `tests: N passed, M failed, K skipped`, derived from Jest's and Playwright's JSON
// results (never written by hand).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSecondPostgres } = require('./second-postgres');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const typecheck = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.error('type check failed');
}

// ESLint (its boundaries between libraries and apps included) and Prettier's check: `npm run lint`.
const lint = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: root, stdio: 'inherit' });
if (lint.status !== 0) {
  console.error('lint failed (npm run lint; npm run format formats)');
}

// A run that hangs (a worker deadlocked in native code, where Jest's own test timeout cannot fire)
// is stopped and counted as failed, well inside CI's limit, instead of holding CI until its end.
const HANG_LIMIT_MS = 30 * 60 * 1000;

// Two suites at a time, each Jest worker on a PostgreSQL server of its own (scripts/second-postgres.js);
// one at a time on the machine's server when a second cannot be started.
const second = startSecondPostgres();
const resultFile = path.join(os.tmpdir(), `jalon-jest-${process.pid}.json`);
let jest;
try {
  jest = spawnSync(
    bin('jest'),
    // --forceExit: a handle left open by a failing test must not hang CI past its time limit.
    ['--json', `--outputFile=${resultFile}`, '--forceExit', `--maxWorkers=${second ? 2 : 1}`, ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
      timeout: HANG_LIMIT_MS,
      killSignal: 'SIGKILL',
      env: {
        ...process.env,
        // PGlite loads its WebAssembly with dynamic import(), which Jest's module sandbox allows only with this flag.
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(),
        // The first worker on the machine's server (TEST_DATABASE_URL or its default), the second on its own.
        ...(second ? { TEST_EXTRA_DATABASE_URLS: second.url } : {}),
      },
    },
  );
} finally {
  second?.stop();
}

if (jest.error) console.error(`Jest did not end: ${jest.error.message}`);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  passed = result.numPassedTests;
  // A suite that fails to load has no failed test of its own: count it as one failure.
  failed = result.numFailedTests + result.numRuntimeErrorTestSuites;
  // Suites that cannot run here (EventStoreDB without a server) say so instead of passing silently.
  skipped = result.numPendingTests + result.numTodoTests;
  // Where the run's time goes, to keep CI's time in view.
  const slowest = result.testResults
    .map((suite) => ({ name: path.relative(root, suite.name), seconds: (suite.endTime - suite.startTime) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 8);
  console.log(`slowest suites: ${slowest.map((suite) => `${suite.name} ${suite.seconds.toFixed(0)} s`).join(', ')}`);
  fs.unlinkSync(resultFile);
} catch (error) {
  console.error(`could not read Jest's JSON result: ${error.message}`);
  failed += 1;
}
if (typecheck.status !== 0) failed += 1;
if (lint.status !== 0) failed += 1;

// The console: its own type check, then its browser tests (Playwright, Debian's Chromium).
const webTypecheck = spawnSync(bin('tsc'), ['-p', 'apps/web/tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
if (webTypecheck.status !== 0) {
  console.error('type check of the console failed');
  failed += 1;
}
const browserResultFile = path.join(os.tmpdir(), `jalon-playwright-${process.pid}.json`);
const browser = spawnSync(bin('playwright'), ['test', '--reporter=list,json'], {
  cwd: root,
  stdio: 'inherit',
  timeout: HANG_LIMIT_MS,
  killSignal: 'SIGKILL',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: browserResultFile },
});
try {
  const { stats } = JSON.parse(fs.readFileSync(browserResultFile, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
  // Nothing ran (the web server did not start, Chromium is missing): that is a failure too.
  if (stats.expected + stats.flaky + stats.unexpected === 0) failed += 1;
  fs.unlinkSync(browserResultFile);
} catch (error) {
  console.error(`could not read Playwright's JSON result: ${error.message}`);
  failed += 1;
}

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(jest.status === 0 && typecheck.status === 0 && lint.status === 0 && browser.status === 0 && failed === 0 ? 0 : 1);
