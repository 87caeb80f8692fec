import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM } from '../test/console/chromium';
import { chromium, Page } from 'playwright-core';
import { BenchApi, ORGANISATION } from './deployed-api';

const REPO_ROOT = resolve(__dirname, '..');

// What the functions run in the page see (the bench is type-checked without the DOM library).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const sessionStorage: { setItem(key: string, value: string): void };

export interface ConsoleResult {
  /** Gzip-compressed bytes of the JS and CSS the first screen (an admin's dashboard) downloads. */
  readonly firstLoadBytes: number;
  readonly firstLoadFiles: number;
  /** Milliseconds from a filter changed in the list to the list rendered with its new total, each change. */
  readonly listMs: readonly number[];
}

const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
export const p95 = (values: readonly number[]) => percentile(values, 95);

/**
 * Builds the console if its sources changed, before any api starts: a running api keeps the page it
 * read at start-up, which names the assets of that build.
 */
export function buildConsole(): void {
  execFileSync(process.execPath, [resolve(REPO_ROOT, 'scripts/build-web.js')], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** The console as a person meets it, in headless Chromium (Debian's), against the bench's api and its data. */
export async function measureConsole(api: BenchApi, options: { changes: number }, log: (line: string) => void): Promise<ConsoleResult> {
  const browser = await chromium.launch(CHROMIUM);
  try {
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${api.port}`, viewport: { width: 1400, height: 900 }, locale: 'fr-FR' });
    // Signed in as the console signs in: its session in sessionStorage, with the api's own token.
    const session = {
      token: api.token('admin', 'admin-bench'),
      role: 'admin',
      organisationId: ORGANISATION,
      subject: 'admin-bench',
      expiresAt: Date.now() + 3_600_000,
    };
    await context.addInitScript((value) => sessionStorage.setItem('jalon.session', value), JSON.stringify(session));
    const page = await context.newPage();

    // First load: every script and style sheet of the first screen, compressed as a server would send them.
    const assets = new Map<string, number>();
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      void response
        .body()
        .then((body) => assets.set(response.url(), gzipSync(body, { level: 9 }).length))
        .catch(() => undefined);
    });
    await page.goto('/tableau-de-bord');
    try {
      await page.getByText('Candidats par statut').waitFor({ timeout: 60_000 });
    } catch (error) {
      await page.screenshot({ path: 'bench-console-failure.png', fullPage: true });
      throw new Error(`the dashboard did not show (screenshot: bench-console-failure.png): ${(error as Error).message}`);
    }
    await page.waitForLoadState('networkidle');
    const firstLoadBytes = [...assets.values()].reduce((a, b) => a + b, 0);
    const firstLoadFiles = assets.size;
    log(`  first screen: ${firstLoadFiles} JS/CSS files, ${(firstLoadBytes / 1024).toFixed(1)} KB compressed`);

    // The list: each change of the status filter, from the click on the option to the new total
    // shown and the rows rendered. Each round starts on a freshly opened list, so the answer is
    // fetched, never taken from the console's cache of an earlier round.
    const statuses = ['En cours', 'Certifié', 'Abandon', 'Prêt pour le jury'];
    const listMs: number[] = [];
    for (let i = 0; i < options.changes; i++) {
      await page.goto('/inscriptions');
      await page.getByText(/inscriptions? correspondantes?/).waitFor();
      listMs.push(await changeStatus(page, statuses[i % statuses.length]));
    }
    return { firstLoadBytes, firstLoadFiles, listMs };
  } finally {
    await browser.close();
  }
}

async function changeStatus(page: Page, label: string): Promise<number> {
  await page.getByRole('combobox', { name: 'Statut', exact: true }).click();
  const option = page.getByRole('option', { name: label, exact: true });
  await option.waitFor();
  const answered = page.waitForResponse((response) => response.url().includes('/enrollments?') && response.url().includes('status='));
  const started = await page.evaluate(() => performance.now());
  await option.click();
  const { total } = (await (await answered).json()) as { total: number };
  // Rendered: the total the api answered is the one shown, and the table's loader is gone.
  await page.waitForFunction((expected) => {
    const text = document.querySelector('[aria-live="polite"]')?.textContent ?? '';
    return text.startsWith(`${expected} inscription`) && !document.querySelector('.mantine-datatable-loader-fetching');
  }, total);
  return (await page.evaluate(() => performance.now())) - started;
}
