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

test('an admin reads an apprenticeship diplôme stated as rows, and withdraws a version from new enrollments', async ({ page, baseURL }) => {
  const api = await request.newContext({ baseURL });
  const admin = await person(api, ORGANISATION, 'admin');
  // The fifth référentiel: a diplôme d'ingénieur by apprenticeship, rows without titles, criteria shared by a row's épreuves.
  const diploma = readFileSync(join(__dirname, '../fixtures/referentials/ingenieur-informatique-apprentissage@1.yaml'), 'utf8');
  await admin.post('/referentials', { content: diploma });
  // A copy of it under a version of this run's own, to withdraw.
  const closing = `retrait-${Date.now()}`;
  await admin.post('/referentials', { content: diploma.replace(/^version: .*$/m, `version: '${closing}'`) });
  await api.dispose();

  await signIn(page, ORGANISATION);
  await page.getByRole('link', { name: 'Référentiels' }).click();
  await expect(page.getByRole('link', { name: 'Parcourir ingenieur-informatique-apprentissage v1' })).toBeVisible();
  // Only what each référentiel states: no level, code or certifier made up, never "undefined".
  await expect(page.getByText(/undefined/)).toHaveCount(0);
  await expect(page.getByText('niveau 7 · CEC 7 · 4 blocs').first()).toBeVisible();
  await expect(page.getByText('Diplôme d’ingénieur').first()).toBeVisible();

  await page.getByRole('link', { name: 'Parcourir ingenieur-informatique-apprentissage v1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Ingénieur diplômé, spécialité informatique/ })).toBeVisible();
  const identity = page.getByRole('table');
  await expect(identity.getByRole('row', { name: /Niveau européen \(CEC\)\s*7/ })).toBeVisible();
  await expect(identity.getByRole('row', { name: /Voies d’accès/ })).toContainText('Apprentissage');
  await expect(identity.getByRole('row', { name: /Code RNCP/ })).toHaveCount(0);
  await expect(identity.getByRole('row', { name: /Certificateur/ })).toHaveCount(0);
  // A row without a title is shown by its code and its competencies.
  const row1 = page.getByRole('button', { name: /^L1/ });
  await expect(row1).toContainText('Recueillir et analyser les besoins');
  await row1.click();
  const l1 = page.getByRole('region', { name: /^L1/ });
  await expect(l1.getByText('A1 — Analyse des besoins et spécification de systèmes logiciels')).toBeVisible();
  await expect(l1.getByRole('heading', { name: 'Critères d’évaluation communs au bloc' })).toBeVisible();
  await expect(l1.getByText('À satisfaire dans chacune des épreuves qui les évaluent.')).toBeVisible();
  await expect(l1.getByText('Évaluée par : Enseignant-chercheur / équipe pédagogique')).toBeVisible();
  await expect(l1.getByText("Évaluée par : Maître d'apprentissage")).toBeVisible();
  await expect(l1.getByText('Due sur les voies :').first()).toBeVisible();
  await page.getByRole('button', { name: /^L3/ }).click();
  await expect(page.getByRole('region', { name: /^L3/ }).getByText('Contrôle continu : la dernière observation fait foi')).toBeVisible();
  await checkScreen(page, 'referential-apprenticeship-rows');

  // The copy is withdrawn by the admin, saying why; the paths already on it would go on.
  await page.goto(`/referentiels/ingenieur-informatique-apprentissage/${closing}`);
  await page.getByRole('textbox', { name: 'Motif du retrait' }).fill('Remplacée par la version 1 (nouvel arrêté)');
  await page.getByRole('button', { name: 'Retirer des nouvelles inscriptions' }).click();
  await expect(page.getByText(/^Retirée des nouvelles inscriptions le \d/)).toBeVisible();
  await expect(page.getByText('Motif : Remplacée par la version 1 (nouvel arrêté)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retirer des nouvelles inscriptions' })).toHaveCount(0);
  await checkScreen(page, 'referential-withdrawn');

  await page.getByRole('link', { name: '← Référentiels' }).click();
  const card = page.getByText(/^Retirée des nouvelles inscriptions le .*: Remplacée par la version 1 \(nouvel arrêté\)$/);
  await expect(card).toBeVisible();
  await checkScreen(page, 'referentials');
});
