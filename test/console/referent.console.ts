import { expect, request, test } from '@playwright/test';
import { checkFromTop as checkScreen, parisDay, person, signIn } from './console-support';

/**
 * The disability referent's acts in the console (issue 17, R9, R10, R14): on a path with a
 * soutenance scheduled, the referent grants a tiers-temps for every épreuve with its validity and
 * details (a first try with an end before the start is refused beside the field, the rest kept),
 * sees the soutenance it applies to lengthened to 40 min, amends it with a reason, ends another
 * measure, records the candidate's consent for the jury. The assessor is told the duration, never
 * the details.
 */

const SCHOOL = `ecole-referent-${process.pid}-${Date.now()}`;
const REFERENTIAL = 'expert-ingenierie-science-donnees';
/** The tiers-temps' details: the referent's and the candidate's, never the assessor's. */
const DETAILS = 'Salle isolée au rez-de-chaussée, pauses autorisées';
const EPREUVE = 'BC02-E3';
let enrollmentId = '';

const FROM = parisDay(-90);
const UNTIL = parisDay(200);
const LATER = parisDay(400);
/** Before the start: the api refuses it. */
const BEFORE_FROM = parisDay(-120);

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  const [admin, referent] = [await person(api, SCHOOL, 'admin'), await person(api, SCHOOL, 'referent')];
  const candidate = await admin.post('/candidates', {
    birthName: 'Lefèvre',
    firstNames: ['Jade'],
    birthDate: '2000-10-02',
    sex: 'F',
    birthPlace: 'Rennes (35)',
    email: 'jade.lefevre@example.org',
  });
  enrollmentId = (
    await admin.post('/enrollments', {
      candidateId: candidate.id,
      referentialId: REFERENTIAL,
      version: '1',
      cohort: '2026-R',
      accessRoute: 'apprentissage',
      optionBlocs: ['BC05'],
    })
  ).id;
  // A measure granted earlier, which the referent will end.
  await referent.post(`/enrollments/${enrollmentId}/accommodations`, { kind: 'adapted-supports', validFrom: FROM.iso, details: 'Sujets en gros caractères' });
  // The soutenance (30 min), in a month, with its assessor.
  const sitting = await admin.post(`/enrollments/${enrollmentId}/sittings`, {
    epreuveCode: EPREUVE,
    scheduledAt: `${parisDay(30).iso}T09:00:00+01:00`,
    assessorIds: ['assessor-1'],
  });
  await admin.get(`/enrollments?pageSize=1&consistentWith=${sitting.position}`);
  await api.dispose();
});

test('the referent grants, amends and ends accommodations and records the candidate’s consent', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, SCHOOL, 'referent', /Référent handicap/);
  await page.goto(`/parcours/${enrollmentId}`);
  await page.getByRole('link', { name: 'Gérer les aménagements et le consentement' }).click();
  await expect(page).toHaveURL(new RegExp(`/parcours/${enrollmentId}/amenagements$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Aménagements et consentement' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Aménagements en cours (1)' })).toBeVisible();
  await checkScreen(page, 'referent-accommodations');

  // A tiers-temps for every épreuve, its end typed before its start: refused beside the field, the rest kept.
  const grant = page.getByRole('region', { name: 'Accorder un aménagement' });
  await grant.getByRole('combobox', { name: 'Type d’aménagement' }).click();
  await page.getByRole('option', { name: 'Tiers-temps', exact: true }).click();
  await expect(grant.getByRole('radio', { name: 'Toutes les épreuves' })).toBeChecked();
  await grant.getByLabel('En vigueur à partir du').fill(FROM.typed);
  await grant.getByLabel('Jusqu’au (inclus)').fill(BEFORE_FROM.typed);
  await grant.getByLabel('Précisions pratiques (facultatif)').fill(DETAILS);
  await grant.getByRole('button', { name: 'Accorder l’aménagement' }).click();
  const until = grant.getByLabel('Jusqu’au (inclus)');
  await expect(until).toHaveAccessibleDescription(/La fin de validité précède son début/);
  await expect(until).toBeFocused();
  await expect(grant.getByLabel('En vigueur à partir du')).toHaveValue(FROM.typed);
  await expect(grant.getByLabel('Précisions pratiques (facultatif)')).toHaveValue(DETAILS);
  await expect(grant.getByRole('combobox', { name: 'Type d’aménagement' })).toHaveValue('Tiers-temps');
  await checkScreen(page, 'referent-grant-refused');

  await until.fill(UNTIL.typed);
  await grant.getByRole('button', { name: 'Accorder l’aménagement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Aménagement accordé' })).toContainText(
    `Tiers-temps, toutes les épreuves, du ${FROM.typed} au ${UNTIL.typed} inclus`,
  );
  // Listed, with the soutenance it applies to, lengthened by the api.
  const tiersTemps = page.getByRole('region', { name: 'Tiers-temps' });
  await expect(tiersTemps).toContainText(DETAILS);
  await expect(tiersTemps).toContainText('En vigueur');
  await expect(tiersTemps).toContainText('Passages concernés (1)');
  await expect(tiersTemps.getByRole('listitem')).toContainText(`${EPREUVE} — Projet professionnalisant`);
  await expect(tiersTemps.getByRole('listitem')).toContainText('Soutenance distancielle : 40 min (30 min de base)');
  await expect(page.getByRole('heading', { name: 'Aménagements en cours (2)' })).toBeVisible();
  await checkScreen(page, 'referent-granted');

  // Amended with its reason: valid for longer.
  await page.getByRole('button', { name: 'Modifier : Tiers-temps' }).click();
  await expect(page.getByRole('heading', { name: 'Modifier : Tiers-temps' })).toBeFocused();
  const amend = page.getByRole('region', { name: 'Modifier : Tiers-temps' });
  await expect(amend.getByLabel('Précisions pratiques (facultatif)')).toHaveValue(DETAILS);
  await amend.getByLabel('Jusqu’au (inclus)').fill(LATER.typed);
  await amend.getByLabel('Motif de la modification').fill('Prolongation demandée par le candidat : son contrat court une année de plus.');
  await checkScreen(page, 'referent-amend-form');
  await amend.getByRole('button', { name: 'Enregistrer la modification' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Modification enregistrée' })).toBeVisible();
  await expect(tiersTemps).toContainText(`du ${FROM.typed} au ${LATER.typed} inclus`);

  // The other measure ended, with its reason.
  await page.getByRole('button', { name: 'Terminer : Supports adaptés' }).click();
  const end = page.getByRole('region', { name: 'Terminer : Supports adaptés' });
  await end.getByLabel('Motif de la fin').fill('Le candidat n’en a plus besoin (entretien du jour).');
  await checkScreen(page, 'referent-end-form');
  await end.getByRole('button', { name: 'Terminer l’aménagement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Aménagement terminé' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Aménagements terminés (1)' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Supports adaptés' })).toContainText('Terminé');
  // The soutenance keeps its 40 min: the measure ended was not a timed one.
  await expect(tiersTemps.getByRole('listitem')).toContainText('40 min (30 min de base)');
  await expect(page.getByRole('button', { name: 'Terminer : Supports adaptés' })).toHaveCount(0);

  // The candidate's consent, recorded by the referent (the api takes it from them or the candidate).
  const consent = page.getByRole('region', { name: 'Consentement à informer le jury' });
  await expect(consent).toContainText('Pas de consentement');
  await consent.getByLabel('Note (facultatif)').fill('Accord écrit du candidat, entretien du jour.');
  await consent.getByRole('button', { name: 'Enregistrer le consentement du candidat' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Consentement enregistré' })).toBeVisible();
  await expect(consent).toContainText('Consentement donné');
  await expect(consent.getByRole('button', { name: 'Retirer le consentement' })).toBeVisible();
  await checkScreen(page, 'referent-consent-recorded');
});

test('the assessor is told the duration and the instruction, never the measure’s details', async ({ page }) => {
  await signIn(page, SCHOOL, 'assessor', /Évaluation/);
  await expect(page).toHaveURL(/\/mes-epreuves$/);
  const card = page.getByRole('region', { name: new RegExp(`^${EPREUVE} — `) });
  await expect(card).toContainText('Soutenance distancielle : 40 min');
  await expect(page.getByText(DETAILS)).toHaveCount(0);
});
