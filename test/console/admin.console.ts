import { expect, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScreen, criteriaOf, person, Referential, signIn } from './console-support';

/**
 * A school admin's read side of the console, in Debian's Chromium against the real api: sign in,
 * the dashboard, the list with its filters and pages, a candidate's path. Every screen is checked
 * with axe-core (no serious or critical WCAG 2.1 AA violation) and photographed for people to look at.
 */

const REFERENTIAL = 'data-ia-quatre-blocs';
const COHORT = '2026-A';
/** A school of its own for each worker's data: a worker restarted after a failure starts afresh. */
const ORGANISATION = `ecole-${process.pid}-${Date.now()}`;

let withdrawnId = '';
let validatedId = '';
let enrolled = 0;

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  const [admin, assessor, jury] = [
    await person(api, ORGANISATION, 'admin'),
    await person(api, ORGANISATION, 'assessor'),
    await person(api, ORGANISATION, 'jury'),
  ];
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  const enroll = async (n: number) => {
    const candidate = await admin.post('/candidates', {
      birthName: `Martin${n}`,
      firstNames: ['Léa'],
      birthDate: '2001-03-14',
      sex: 'F',
      birthPlace: 'Lyon (69)',
      email: `lea${n}@example.org`,
    });
    enrolled += 1;
    return (
      await admin.post('/enrollments', {
        candidateId: candidate.id,
        referentialId: REFERENTIAL,
        version: '1',
        cohort: COHORT,
        accessRoute: n % 2 ? 'vae' : 'apprentissage',
      })
    ).id as string;
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
      const sitting = await admin.post(`/enrollments/${validatedId}/sittings`, {
        epreuveCode: epreuve.code,
        scheduledAt: '2026-06-15T09:00:00Z',
        assessorIds: [assessor.subject],
      });
      await admin.post(`/enrollments/${validatedId}/sittings/${sitting.id}/held`, {
        heldAt: '2026-06-15T09:00:00Z',
        timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
        accommodationsApplied: [],
      });
      await assessor.post(`/enrollments/${validatedId}/sittings/${sitting.id}/assessments`, {
        results: criteriaOf(referential, epreuve).map((criterion, k) => ({ criterion, met: passed || k > 0 })),
      });
    }
  }
  const validated = await jury.post(`/enrollments/${validatedId}/blocs/BC01/validation`);
  // The screens read the list once the read models reached the last act.
  await admin.get(`/enrollments?pageSize=1&consistentWith=${validated.position}`);
  await api.dispose();
});

test('an admin reads the dashboard, narrows the list and opens a path', async ({ page }) => {
  await signIn(page, ORGANISATION);
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
  await page.getByRole('combobox', { name: 'Certification et version' }).click();
  await page.getByRole('option', { name: /4 blocs.*\(v1\)/ }).click();
  await expect(page.getByText('Abandon : 1')).toBeVisible();
  await expect(page.getByText(`En cours : ${enrolled - 1}`)).toBeVisible();
  await checkScreen(page, 'admin-dashboard');
  // English, second language: downloaded when chosen, kept for the next visit.
  await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();

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
  await signIn(page, ORGANISATION);
  await page.goto('/inscriptions');
  await expect(page.getByText(`${enrolled} inscriptions correspondantes`)).toBeVisible();
  // From the status filter: open it, pick "Abandon", and reach the one candidate's path.
  await page.getByRole('combobox', { name: 'Statut', exact: true }).focus();
  // ArrowDown opens the list on its first status; more go down it to "Abandon".
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('listbox')).toBeVisible();
  const withdrawn = page.getByRole('option', { name: 'Abandon' });
  for (let i = 0; i < 8 && (await withdrawn.getAttribute('data-combobox-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await expect(withdrawn).toHaveAttribute('data-combobox-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByText('1 inscription correspondante')).toBeVisible();
  await expect(page).toHaveURL(/status=withdrawn/);
  const link = page.getByRole('link', { name: /Ouvrir le parcours/ });
  for (
    let i = 0;
    i < 30 &&
    !(await link.evaluate((element) => element === (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement));
    i++
  )
    await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/parcours/${withdrawnId}$`));
  await expect(page.getByText('Abandon').first()).toBeVisible();
});

test('an unknown page and a lost session lead somewhere sensible', async ({ page }) => {
  await signIn(page, ORGANISATION);
  // An error of the api is said in plain French, its code beside it.
  await page.goto('/parcours/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('alert')).toContainText('Cette inscription n’existe pas, ou vous n’y avez pas accès.');
  await expect(page.getByRole('alert')).toContainText('ENROLLMENT.NOT_FOUND');
  await checkScreen(page, 'error-not-found-enrollment');
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

test('an admin browses a référentiel and imports a version, seeing each problem beside its line', async ({ page }) => {
  await signIn(page, ORGANISATION);
  await page.getByRole('link', { name: 'Référentiels' }).click();
  await page.getByRole('link', { name: `Parcourir ${REFERENTIAL} v1` }).click();
  await page.getByRole('button', { name: /^BC01/ }).click();
  await expect(page.getByText(/BC01-E1 — /)).toBeVisible();
  await checkScreen(page, 'referential-version');

  await page.goto('/referentiels');
  const shipped = readFileSync(join(__dirname, `../../referentials/${REFERENTIAL}@1.yaml`), 'utf8');
  // A version with a bloc title missing and a competency code twice: refused, each problem on its line.
  const broken = shipped
    .replace(/^version: .*$/m, 'version: "broken"')
    .replace(/^(\s+)title: Analyse exploratoire.*$/m, '$1titre: oublié')
    .replace('code: C2\n', 'code: C1\n');
  await page.locator('input[type=file]').setInputFiles({ name: 'casse.yaml', mimeType: 'application/yaml', buffer: Buffer.from(broken) });
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByText(/problèmes? à corriger/)).toBeVisible();
  await expect(page.getByRole('cell', { name: 'REFERENTIAL.SCHEMA' }).first()).toBeVisible();
  await expect(page.getByText(/↳ REFERENTIAL\.SCHEMA/).first()).toBeVisible();
  await checkScreen(page, 'referential-import-problems');

  await page
    .locator('input[type=file]')
    .setInputFiles({ name: 'v2.yaml', mimeType: 'application/yaml', buffer: Buffer.from(shipped.replace(/^version: .*$/m, `version: "${ORGANISATION}"`)) });
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByText(/Version publiée dans le flux/)).toBeVisible();
  await expect(page.getByRole('link', { name: `Parcourir ${REFERENTIAL} v${ORGANISATION}` })).toBeVisible();
});
