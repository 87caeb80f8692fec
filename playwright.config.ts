import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './test/console/chromium';

/**
 * The console's browser tests: Debian's Chromium (no browser download) against the real api on
 * PostgreSQL and Redis (test/console/console-server.ts), on data the tests create through the api.
 * Screenshots of every screen go to test-results/console-screens/ for people to look at.
 */
// Chosen once, in the runner: its workers inherit it with the environment.
process.env.CONSOLE_TEST_PORT ??= String(43_900 + (process.pid % 50));
export const CONSOLE_TEST_PORT = Number(process.env.CONSOLE_TEST_PORT);
/** The api behind a real identity provider (test/console/console-server.ts starts both). */
export const CONSOLE_TEST_OIDC_PORT = CONSOLE_TEST_PORT + 50;

export default defineConfig({
  testDir: 'test/console',
  testMatch: '*.console.ts',
  workers: 1,
  timeout: 60_000,
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://127.0.0.1:${CONSOLE_TEST_PORT}`,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1400, height: 900 },
    launchOptions: CHROMIUM,
  },
  webServer: {
    command: 'node scripts/build-web.js && node -r ts-node/register/transpile-only -r tsconfig-paths/register test/console/console-server.ts',
    url: `http://127.0.0.1:${CONSOLE_TEST_PORT}/health`,
    env: { CONSOLE_TEST_PORT: String(CONSOLE_TEST_PORT), CONSOLE_TEST_OIDC_PORT: String(CONSOLE_TEST_OIDC_PORT) },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
