import { expect, Page, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFromTop as checkScreen, fillIdentity, person, pick } from './console-support';

/**
 * An admin registers a candidate and enrolls them through the console's form, the first act of
 * issue 17 and the behaviour every form shares: refusals said in French beside their field with
 * the rest kept, one Idempotency-Key per act (a retry after a lost answer and a double click record
 * once), the draft kept across an expired session, the path read as far as the act.
 */

const SCHOOL = `ecole-inscription-${process.pid}-${Date.now()}`;
const APPRENTICESHIP = 'ingenieur-informatique-apprentissage';

test.beforeAll(async ({ baseURL }) => {
  // A diplôme by apprenticeship whose company sequences the maître d'apprentissage assesses.
  const api = await request.newContext({ baseURL });
  const admin = await person(api, SCHOOL, 'admin');
  await admin.post('/referentials', { content: readFileSync(join(__dirname, `../fixtures/referentials/${APPRENTICESHIP}@1.yaml`), 'utf8') });
  await api.dispose();
});

async function signInAt(page: Page, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/connexion$/);
  await page.getByRole('textbox', { name: 'Organisme' }).fill(SCHOOL);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
}

test('an admin registers a candidate and enrolls them in seed 000 with the Data Science option, once', async ({ page, baseURL }) => {
  await signInAt(page, '/inscriptions');
  await page.getByRole('link', { name: 'Nouvelle inscription' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle inscription' })).toBeVisible();
  await checkScreen(page, 'enroll-form');
  // The date picker, in French.
  await page.getByLabel('Date de naissance').click();
  await expect(page.locator('[data-dates-dropdown]')).toBeVisible();
  await checkScreen(page, 'enroll-date-picker');
  await page.keyboard.press('Escape');

  // A mistyped address and no cohort: each refusal beside its field, in French, the rest kept.
  await fillIdentity(page, 'lea.durand@exemple');
  await pick(page, 'Certification et version', 'Expert en ingénierie et science des données (v1)');
  await pick(page, 'Voie d’accès', 'Apprentissage');
  await page.getByRole('radio', { name: /^BC05 — Data Science/ }).check();
  await page.getByLabel('Début de la formation ou du contrat').fill('01/09/2025');
  await page.getByRole('button', { name: 'Enregistrer le candidat et l’inscrire' }).click();
  await expect(page.getByLabel('Adresse électronique')).toHaveAccessibleDescription(/Adresse électronique non valide/);
  await expect(page.getByLabel('Adresse électronique')).toBeFocused();
  await expect(page.getByLabel('Nom de naissance')).toHaveValue('Martin');
  await expect(page.getByLabel('Date de naissance')).toHaveValue('14/03/2001');
  await checkScreen(page, 'enroll-refused-email');

  await page.getByLabel('Adresse électronique').fill('lea.durand@exemple.fr');
  await page.getByRole('button', { name: 'Enregistrer le candidat et l’inscrire' }).click();
  await expect(page.getByText('Candidat enregistré')).toBeVisible();
  await expect(page.getByLabel('Promotion')).toHaveAccessibleDescription('À renseigner.');
  await expect(page.getByRole('radio', { name: /^BC05 — Data Science/ })).toBeChecked();
  await expect(page.getByLabel('Début de la formation ou du contrat')).toHaveValue('01/09/2025');
  await checkScreen(page, 'enroll-refused-cohort');

  // The answer is lost on the way back: the enrollment is recorded, the form does not know it.
  await page.getByLabel('Promotion').fill('2026-M2');
  const keys: string[] = [];
  await page.route('**/enrollments', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push((await route.request().headerValue('idempotency-key')) ?? '');
    if (keys.length > 1) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: 'Inscrire le candidat' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Pas de réponse du service' })).toBeVisible();
  await checkScreen(page, 'enroll-lost-answer');

  // Sent again, with a double click: the same key, the first answer replayed, one enrollment.
  const replayed = page.waitForResponse((r) => r.url().endsWith('/enrollments') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Inscrire le candidat' }).dblclick();
  expect((await replayed).headers()['idempotent-replayed']).toBe('true');
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);

  await expect(page).toHaveURL(/\/parcours\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('status').filter({ hasText: 'Inscription enregistrée' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Expert en ingénierie et science des données' })).toBeVisible();
  await expect(page.getByText('Promotion 2026-M2 · Apprentissage · Candidat Léa Marie Durand')).toBeVisible();
  await expect(page.getByRole('button', { name: /^BC05/ })).not.toContainText('hors option choisie');
  await expect(page.getByRole('button', { name: /^BC04/ })).toContainText('hors option choisie');
  await checkScreen(page, 'enroll-path');

  const api = await request.newContext({ baseURL });
  const admin = await person(api, SCHOOL, 'admin');
  const list = await admin.get(`/enrollments?pageSize=10&cohort=2026-M2`);
  expect(list.total).toBe(1);
  expect(list.items[0]).toMatchObject({ referentialId: 'expert-ingenierie-science-donnees', version: '1', accessRoute: 'apprentissage' });
  await api.dispose();
});

test('an apprenticeship names its maître d’apprentissage, and an expired session loses nothing typed', async ({ page }) => {
  await signInAt(page, '/inscriptions/nouvelle');
  await fillIdentity(page, 'lea.durand@exemple.fr');
  await pick(page, 'Certification et version', /^Ingénieur diplômé, spécialité informatique.*\(v1\)$/);
  // The routes the version is open to, and the maître d'apprentissage only where the route owes their épreuves.
  await page.getByRole('combobox', { name: 'Voie d’accès' }).click();
  await expect(page.getByRole('listbox').getByRole('option')).toHaveText(['Apprentissage', 'VAE']);
  await page.getByRole('option', { name: 'VAE' }).click();
  await expect(page.getByLabel('Identifiant du maître d’apprentissage')).toHaveCount(0);
  await pick(page, 'Voie d’accès', 'Apprentissage');
  await page.getByLabel('Promotion').fill('FISA-2026');

  // The api no longer takes the session: sign in again, and the form is there as it was left.
  await page.evaluate(() => {
    const storage = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } }).sessionStorage;
    storage.setItem('jalon.session', JSON.stringify({ ...JSON.parse(storage.getItem('jalon.session')!), token: 'expired' }));
  });
  await page.getByRole('button', { name: 'Enregistrer le candidat et l’inscrire' }).click();
  await expect(page.getByText('Votre session a expiré : reconnectez-vous.')).toBeVisible();
  await page.getByRole('textbox', { name: 'Organisme' }).fill(SCHOOL);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/inscriptions\/nouvelle$/);
  await expect(page.getByLabel('Prénoms')).toHaveValue('Léa, Marie');
  await expect(page.getByLabel('Promotion')).toHaveValue('FISA-2026');

  // Without the maître d'apprentissage, the api refuses: said beside the field.
  await page.getByRole('button', { name: 'Enregistrer le candidat et l’inscrire' }).click();
  const masterId = page.getByLabel('Identifiant du maître d’apprentissage');
  await expect(masterId).toHaveAccessibleDescription(/indiquez son identifiant et son entreprise/);
  await checkScreen(page, 'enroll-refused-master');
  await masterId.fill('maitre-dupont');
  await page.getByLabel('Entreprise').fill('Acme SAS');
  await page.getByRole('button', { name: 'Inscrire le candidat' }).click();
  await expect(page.getByText('Promotion FISA-2026 · Apprentissage · Candidat Léa Marie Durand')).toBeVisible();
});
