import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, expect, Page, request, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A school admin's read side of the console, in Debian's Chromium against the real api: sign in,
 * the dashboard, the list with its filters and pages, a candidate's path. Every screen is checked
 * with axe-core (no serious or critical WCAG 2.1 AA violation) and photographed for people to look at.
 */

const SCREENS = join(__dirname, '../../test-results/console-screens');
mkdirSync(SCREENS, { recursive: true });

const REFERENTIAL = 'data-ia-quatre-blocs';
/** A school of its own for each worker's data: a worker restarted after a failure starts afresh. */
const ORGANISATION = `ecole-${process.pid}-${Date.now()}`;
const COHORT = '2026-A';

interface Criterion {
  code: string;
}
interface Epreuve {
  code: string;
  covers: string[];
  criteria?: Criterion[];
  timedParts?: { code: string; baseDurationMinutes: number }[];
}
interface Referential {
  blocs: { code: string; competencies: { code: string; criteria?: Criterion[] }[]; epreuves: Epreuve[] }[];
}

/** A person of the school, signed in through the development sign-in, acting through the api. */
async function person(api: APIRequestContext, role: string, subject = `${role}-1`) {
  const signedIn = await api.post('/auth/dev-sign-in', { data: { role, organisationId: ORGANISATION, subject } });
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
function criteriaOf(referential: Referential, epreuve: Epreuve): string[] {
  const competencies = new Map(referential.blocs.flatMap((b) => b.competencies).map((c) => [c.code, c]));
  return [...epreuve.covers.flatMap((code) => (competencies.get(code)?.criteria ?? []).map((c) => `${code}/${c.code}`)), ...(epreuve.criteria ?? []).map((c) => `${epreuve.code}/${c.code}`)];
}

let withdrawnId = '';
let validatedId = '';
let enrolled = 0;

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  const [admin, assessor, jury] = [await person(api, 'admin'), await person(api, 'assessor'), await person(api, 'jury')];
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  const enroll = async (n: number) => {
    const candidate = await admin.post('/candidates', { birthName: `Martin${n}`, firstNames: ['Léa'], birthDate: '2001-03-14', sex: 'F', birthPlace: 'Lyon (69)', email: `lea${n}@example.org` });
    enrolled += 1;
    return (await admin.post('/enrollments', { candidateId: candidate.id, referentialId: REFERENTIAL, version: '1', cohort: COHORT, accessRoute: n % 2 ? 'vae' : 'apprentissage' })).id as string;
  };
  for (let n = 1; n <= 4; n++) await enroll(n);
  withdrawnId = await enroll(5);
  await admin.post(`/enrollments/${withdrawnId}/withdrawal`, { reason: 'départ à l’étranger' });
  validatedId = await enroll(6);
  // BC01 passed épreuve by épreuve, one failed attempt first, then validated by the jury.
  const bc01 = referential.blocs.find((b) => b.code === 'BC01')!;
  for (const [i, epreuve] of bc01.epreuves.entries()) {
    const attempts = i === 0 ? [false, true] : [true];
    for (const passed of attempts) {
      const sitting = await admin.post(`/enrollments/${validatedId}/sittings`, { epreuveCode: epreuve.code, scheduledAt: '2026-06-15T09:00:00Z', assessorIds: [assessor.subject] });
      await admin.post(`/enrollments/${validatedId}/sittings/${sitting.id}/held`, { heldAt: '2026-06-15T09:00:00Z', timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })), accommodationsApplied: [] });
      await assessor.post(`/enrollments/${validatedId}/sittings/${sitting.id}/assessments`, { results: criteriaOf(referential, epreuve).map((criterion, k) => ({ criterion, met: passed || k > 0 })) });
    }
  }
  const validated = await jury.post(`/enrollments/${validatedId}/blocs/BC01/validation`);
  // The screens read the list once the read models reached the last act.
  await admin.get(`/enrollments?pageSize=1&consistentWith=${validated.position}`);
  await api.dispose();
});

/** No serious or critical accessibility violation on the screen, then its photograph. */
async function checkScreen(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(" ")} ${JSON.stringify(n.any[0]?.data ?? "")}`).join(", ")})`);
  expect(serious, `${name}: accessibility`).toEqual([]);
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, role = 'admin') {
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(page.getByText('Connexion de développement')).toBeVisible();
  await checkScreen(page, 'sign-in');
  if (role !== 'admin') {
    await page.getByRole('combobox', { name: 'Rôle' }).click();
    await page.getByRole('option', { name: new RegExp(role, 'i') }).click();
  }
  await page.getByRole('textbox', { name: 'Organisme' }).fill(ORGANISATION);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('an admin reads the dashboard, narrows the list and opens a path', async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
  await page.getByRole('combobox', { name: 'Certification et version' }).click();
  await page.getByRole('option', { name: /4 blocs/ }).click();
  await expect(page.getByText('Abandon : 1')).toBeVisible();
  await expect(page.getByText(`En cours : ${enrolled - 1}`)).toBeVisible();
  await checkScreen(page, 'admin-dashboard');

  await page.getByRole('link', { name: 'Inscriptions' }).click();
  await expect(page.getByText(`${enrolled} inscriptions correspondantes`)).toBeVisible();
  await checkScreen(page, 'admin-enrollments');

  await page.getByRole('combobox', { name: 'Statut', exact: true }).click();
  await page.getByRole('option', { name: 'Abandon' }).click();
  await expect(page.getByText('1 inscription correspondante')).toBeVisible();
  await expect(page).toHaveURL(/status=withdrawn/);
  await page.getByRole('button', { name: 'Effacer les filtres' }).click();
  await expect(page.getByText(`${enrolled} inscriptions correspondantes`)).toBeVisible();

  await page.getByLabel('Bloc', { exact: true }).fill('BC01');
  await page.getByLabel('Bloc', { exact: true }).press('Enter');
  await page.getByRole('combobox', { name: 'Statut du bloc' }).click();
  await page.getByRole('option', { name: 'Validé' }).click();
  await expect(page.getByText('1 inscription correspondante')).toBeVisible();
  await page.getByRole('link', { name: /Ouvrir le parcours/ }).click();

  await expect(page).toHaveURL(new RegExp(`/parcours/${validatedId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const bc01 = page.getByRole('button', { name: /^BC01/ });
  await expect(bc01).toContainText('Validé');
  // The failed first attempt shows as failed, the second as passed.
  await expect(page.getByText(/tentative 1 .*échouée/).first()).toBeVisible();
  await expect(page.getByText(/tentative 2 .*réussie/).first()).toBeVisible();
  await checkScreen(page, 'admin-path');
});

test('the list can be used with the keyboard alone', async ({ page }) => {
  await signIn(page);
  await page.goto('/inscriptions');
  await expect(page.getByText(`${enrolled} inscriptions correspondantes`)).toBeVisible();
  // From the status filter: open it, pick "Abandon", and reach the one candidate's path.
  await page.getByRole('combobox', { name: 'Statut', exact: true }).focus();
  // ArrowDown opens the list on its first status; three more reach the fourth, "Abandon".
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('option', { name: 'Abandon' })).toHaveAttribute('data-combobox-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByText('1 inscription correspondante')).toBeVisible();
  await expect(page).toHaveURL(/status=withdrawn/);
  const link = page.getByRole('link', { name: /Ouvrir le parcours/ });
  for (let i = 0; i < 30 && !(await link.evaluate((element) => element === (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)); i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/parcours/${withdrawnId}$`));
  await expect(page.getByText('Abandon').first()).toBeVisible();
});

test('an unknown page and a lost session lead somewhere sensible', async ({ page }) => {
  await signIn(page);
  await page.goto('/nulle-part');
  await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
  await checkScreen(page, 'not-found');
  await page.getByRole('link', { name: 'Retour à l’accueil' }).click();
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
  // The token is lost (expired, revoked): the next screen asks to sign in again, then comes back.
  await page.evaluate(() => (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear());
  await page.goto('/inscriptions?status=eligible');
  await expect(page).toHaveURL(/\/connexion$/);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/inscriptions\?status=eligible$/);
});
