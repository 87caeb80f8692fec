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
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${JSON.stringify(n.any[0]?.data ?? '')}`).join(', ')})`);
  expect(serious, `${name}: accessibility`).toEqual([]);
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
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
