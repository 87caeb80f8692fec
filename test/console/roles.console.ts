import { expect, request, test } from '@playwright/test';
import { checkScreen, person, signIn } from './console-support';

/**
 * Each role reads a candidate's path as the api answers that role, nothing more: the referent
 * and the candidate the accommodation's terms, the assessor what to apply at their sitting, the
 * jury without the candidate's consent not even that there is a measure (R10, R14).
 */

const SCHOOL = `ecole-roles-${process.pid}-${Date.now()}`;
const DETAILS = 'salle au rez-de-chaussée, pauses autorisées';
let enrollmentId = '';
let candidateId = '';

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  const [admin, referent] = [await person(api, SCHOOL, 'admin'), await person(api, SCHOOL, 'referent')];
  candidateId = (
    await admin.post('/candidates', {
      birthName: 'Petit',
      firstNames: ['Noé'],
      birthDate: '2002-05-20',
      sex: 'M',
      birthPlace: 'Lille (59)',
      email: 'noe@example.org',
    })
  ).id;
  enrollmentId = (
    await admin.post('/enrollments', { candidateId, referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-C', accessRoute: 'apprentissage' })
  ).id;
  await referent.post(`/enrollments/${enrollmentId}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01', details: DETAILS });
  const sitting = await admin.post(`/enrollments/${enrollmentId}/sittings`, {
    epreuveCode: 'BC01-E1',
    scheduledAt: '2026-06-15T09:00:00Z',
    assessorIds: ['assessor-1'],
  });
  await admin.get(`/enrollments?pageSize=1&consistentWith=${sitting.position}`);
  await api.dispose();
});

async function openThePath(page: import('@playwright/test').Page) {
  await page.getByRole('link', { name: 'Inscriptions' }).click();
  await expect(page.getByText('1 inscription correspondante')).toBeVisible();
  await page.getByRole('link', { name: /Ouvrir le parcours/ }).click();
  await expect(page).toHaveURL(new RegExp(`/parcours/${enrollmentId}$`));
}

test('the disability referent reads the measure and its details', async ({ page }) => {
  await signIn(page, SCHOOL, 'referent', /Référent handicap/);
  await openThePath(page);
  await expect(page.getByRole('heading', { name: 'Aménagements' })).toBeVisible();
  await expect(page.getByText(new RegExp(`Tiers-temps.*${DETAILS}`))).toBeVisible();
  await checkScreen(page, 'referent-path');
});

test('the assessor reads what to apply at their sitting, not the details', async ({ page }) => {
  await signIn(page, SCHOOL, 'assessor', /Évaluation/);
  await openThePath(page);
  await expect(page.getByRole('heading', { name: 'À appliquer à vos passages' })).toBeVisible();
  await expect(page.getByText(DETAILS)).toHaveCount(0);
  await checkScreen(page, 'assessor-path');
});

test('the jury, without the candidate’s consent, is not told there is a measure', async ({ page }) => {
  await signIn(page, SCHOOL, 'jury', /^Jury$/);
  await openThePath(page);
  await expect(page.getByRole('heading', { name: 'Blocs de compétences' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Aménagements' })).toHaveCount(0);
  await expect(page.getByText(/Tiers-temps/)).toHaveCount(0);
  await checkScreen(page, 'jury-path');
});

test('the candidate reads their own path and their own measure', async ({ page }) => {
  await signIn(page, SCHOOL, 'candidate', /Candidat/, candidateId);
  await openThePath(page);
  await expect(page.getByText(new RegExp(`Tiers-temps.*${DETAILS}`))).toBeVisible();
  // Looking back in time and tracing a bloc are the api's for admins, juries and auditors only.
  await expect(page.getByText('Tel qu’il était le')).toHaveCount(0);
  await expect(page.getByRole('link', { name: /^Provenance/ })).toHaveCount(0);
  await checkScreen(page, 'candidate-path');
});
