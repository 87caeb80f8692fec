import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, expect, Page } from '@playwright/test';
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
  const headers = { authorization: `Bearer ${(await signedIn.json()).accessToken}` };
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
