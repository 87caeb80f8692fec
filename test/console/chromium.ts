import type { LaunchOptions } from '@playwright/test';

/**
 * How the browser tests and the console's benchmark launch Chromium: Debian's package (no browser
 * download), headless. This machine's network is closed: Chromium's own background connections
 * would only fail.
 */
export const CHROMIUM: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
