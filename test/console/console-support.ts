import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, Browser, expect, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where every screen a browser test visits is photographed, for people to look at. */
const SCREENS = join(__dirname, '../../test-results/console-screens');
mkdirSync(SCREENS, { recursive: true });

interface Criterion {
  code: string;
}
export interface Epreuve {
  code: string;
  covers: string[];
  criteria?: Criterion[];
  timedParts?: { code: string; baseDurationMinutes: number }[];
}
export interface Referential {
  blocs: { code: string; competencies: { code: string; criteria?: Criterion[] }[]; epreuves: Epreuve[] }[];
}

/** A person of the school, signed in through the development sign-in, acting through the api. */
export async function person(api: APIRequestContext, organisationId: string, role: string, subject = `${role}-1`) {
  const signedIn = await api.post('/auth/dev-sign-in', { data: { role, organisationId, subject } });
  expect(signedIn.status()).toBe(200);
  return acting(api, (await signedIn.json()).accessToken, subject);
}

/** The person signed in to the console on `page`, acting through the api with the token their console holds (the provider's, after a provider sign-in; the tab's `jalon.session`, apps/web/src/auth/session.ts). */
export async function personOf(api: APIRequestContext, page: Page) {
  const session = await page.evaluate(() =>
    (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('jalon.session'),
  );
  const { token, subject } = JSON.parse(session!) as { token: string; subject: string };
  return acting(api, token, subject);
}

function acting(api: APIRequestContext, token: string, subject: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    subject,
    async post(path: string, data: object = {}) {
      const answer = await api.post(path, { data, headers });
      expect(answer.ok(), `${path}: ${answer.status()} ${await answer.text()}`).toBe(true);
      return answer.json();
    },
    async get(path: string) {
      const answer = await api.get(path, { headers });
      expect(answer.ok(), `${path}: ${answer.status()}`).toBe(true);
      return answer.json();
    },
  };
}

/** Someone acting through the api (person, personOf). */
export type Acting = Awaited<ReturnType<typeof person>>;

/** Every épreuve of `bloc` scheduled, held on site and passed (every criterion met), then the bloc validated by the jury (set-up over the api). */
export async function passBloc(
  admin: Acting,
  assessor: Acting,
  jury: Acting,
  referential: Referential,
  enrollmentId: string,
  bloc: Referential['blocs'][number],
) {
  for (const epreuve of bloc.epreuves) {
    const sitting = await admin.post(`/enrollments/${enrollmentId}/sittings`, {
      epreuveCode: epreuve.code,
      scheduledAt: '2026-01-15T09:00:00+01:00',
      assessorIds: [assessor.subject],
    });
    await admin.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/held`, {
      heldAt: '2026-01-15T09:00:00+01:00',
      timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
      accommodationsApplied: [],
      mode: 'on-site',
    });
    await assessor.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/assessments`, {
      results: criteriaOf(referential, epreuve).map((criterion) => ({ criterion, met: true })),
    });
  }
  await jury.post(`/enrollments/${enrollmentId}/blocs/${bloc.code}/validation`);
}

/** Criteria ids an assessment of the épreuve answers: the covered competencies' own, then the épreuve's. */
export function criteriaOf(referential: Referential, epreuve: Epreuve): string[] {
  const competencies = new Map(referential.blocs.flatMap((b) => b.competencies).map((c) => [c.code, c]));
  return [
    ...epreuve.covers.flatMap((code) => (competencies.get(code)?.criteria ?? []).map((c) => `${code}/${c.code}`)),
    ...(epreuve.criteria ?? []).map((c) => `${epreuve.code}/${c.code}`),
  ];
}

/** No serious or critical accessibility violation on the screen (WCAG 2.1 AA, which RGAA follows), then its photograph. */
export async function checkScreen(page: Page, name: string) {
  // A popover still fading in has translucent text, which axe measures as too little contrast: wait for the screen to be still.
  // (A spinner turns for ever: only the animations that end are waited for.)
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as {
          document: { getAnimations(): { playState: string; effect: { getTiming(): { iterations: number } } | null }[] };
        }
      ).document
        .getAnimations()
        .every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout: 5_000 },
  );
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${JSON.stringify(n.any[0]?.data ?? '')}`).join(', ')})`);
  expect(serious, `${name}: accessibility`).toEqual([]);
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

/** The screen from its top (a field given focus scrolled it: the photograph then shows the header where it belongs), checked and photographed. */
export async function checkFromTop(page: Page, name: string) {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await checkScreen(page, name);
}

/** A day `offset` days from today on Paris clocks: as the api takes it, and as a French reader types it. */
export function parisDay(offset: number): { iso: string; typed: string } {
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(Date.now() + offset * 86_400_000);
  const [year, month, day] = iso.split('-');
  return { iso, typed: `${day}/${month}/${year}` };
}

/** A candidate's identity, typed into the enrollment form as a French admin would. */
export async function fillIdentity(page: Page, email: string) {
  await page.getByLabel('Nom de naissance').fill('Martin');
  await page.getByLabel('Nom d’usage').fill('Durand');
  await page.getByLabel('Prénoms').fill('Léa, Marie');
  await page.getByRole('radio', { name: 'Féminin' }).check();
  await page.getByLabel('Date de naissance').fill('14/03/2001');
  await page.getByLabel('Lieu de naissance').fill('Lyon (69)');
  await page.getByLabel('Adresse électronique').fill(email);
}

/** An option of a select, chosen. */
export async function pick(page: Page, select: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: select }).click();
  await page.getByRole('option', { name: option }).click();
}

/** Through the console's development sign-in page, as a person of `organisationId`. */
export async function signIn(page: Page, organisationId: string, role = 'admin', roleLabel?: RegExp, subject?: string) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(page.getByText('Connexion de développement')).toBeVisible();
  if (role === 'admin') await checkScreen(page, 'sign-in');
  else {
    await page.getByRole('combobox', { name: 'Rôle' }).click();
    await page.getByRole('option', { name: roleLabel ?? new RegExp(role, 'i') }).click();
  }
  await page.getByRole('textbox', { name: 'Organisme' }).fill(organisationId);
  if (subject) await page.getByRole('textbox', { name: 'Identifiant de la personne' }).fill(subject);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Signed in once the console has left the sign-in page: a navigation before that would cancel it.
  await expect(page).not.toHaveURL(/\/connexion$/);
}

/** At the provider's own login form (its development interactions: any password), then its consent, asked the first time this person signs in to the console only. */
export async function signInAtTheProvider(page: Page, login: string) {
  await expect(page.locator('input[name=login]')).toBeVisible();
  const provider = new URL(page.url()).origin;
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('mot-de-passe');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  // Either the consent, or back at the console already.
  await expect.poll(async () => new URL(page.url()).origin !== provider || (await consent.isVisible())).toBe(true);
  if (await consent.isVisible()) await consent.click();
}

/**
 * A person of the school signed in to the console through the school's identity provider, in a
 * browser of their own (the provider's session is the browser's): from the console's sign-in page,
 * through the provider's login form, back on the console's home page for their role.
 */
export async function signInThroughTheProvider(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext();
  // The provider's development pages pull a web font; this machine's network is closed.
  await context.route('https://fonts.googleapis.com/**', (route) => route.abort());
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await page.getByRole('button', { name: 'Se connecter avec le compte de l’école' }).click();
  await signInAtTheProvider(page, login);
  await expect(page.getByText(new RegExp(`^${login} · `))).toBeVisible();
  return page;
}
