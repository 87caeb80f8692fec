import { expect, Page, request, test } from '@playwright/test';
import { CONSOLE_TEST_OIDC_PORT } from '../../playwright.config';
import { checkFromTop as checkScreen, criteriaOf, personOf, Referential, signInThroughTheProvider } from './console-support';

/**
 * The jury's work in the console (issue 17): « Prêts pour le jury » lists the paths with a bloc to
 * validate; the deliberation of a cohort validates five candidates' blocs in one go, each its own
 * act under its own Idempotency-Key — one of them, no longer validatable by the time the jury
 * decides (its assessment was just corrected), is refused and said so in French while the four
 * others stand; the jury annuls a bloc with its reason and sees it annulled; it records the final
 * decision, with its place, on the path that has every bloc.
 * Each person signs in as themselves through the school's real OpenID Connect provider
 * (provider-accounts.ts, a school of this journey's own), in a browser of their own; the paths are
 * set up over the api with the tokens the provider handed the admin's, the assessor's, the jury's
 * and the referent's consoles.
 */
test.use({ baseURL: `http://127.0.0.1:${CONSOLE_TEST_OIDC_PORT}` });

const REFERENTIAL = 'data-ia-quatre-blocs';
const COHORT = '2026-J';
const [ADMIN, ASSESSOR, JURY, REFERENT] = ['anne.petit', 'yves.girard', 'ines.fabre', 'omar.benali'];
/** The measure's details: the referent's and the candidate's, never the jury's (R10). */
const DETAILS = 'salle au calme, pauses autorisées';

/** Six candidates: five with BC01 validatable (the first with every other bloc validated), the sixth with BC01 failed. */
const paths: { enrollmentId: string; candidateId: string; bc01Assessment: string }[] = [];
let referential: Referential;
/** The assessor's and the jury's consoles, signed in for the setup: the assessor corrects an assessment during the deliberation. */
let assessorPage: Page;
let juryPage: Page;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const api = await request.newContext({ baseURL });
  const pages = await Promise.all([ADMIN, ASSESSOR, JURY, REFERENT].map((login) => signInThroughTheProvider(browser, login)));
  [, assessorPage, juryPage] = pages;
  const [admin, assessor, jury, referent] = await Promise.all(pages.map((page) => personOf(api, page)));
  referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  /** An épreuve of the bloc scheduled, held and assessed: every criterion met, or the first one not. */
  const sit = async (enrollmentId: string, blocCode: string, passed: boolean) => {
    const epreuve = referential.blocs.find((b) => b.code === blocCode)!.epreuves[0];
    const sitting = await admin.post(`/enrollments/${enrollmentId}/sittings`, {
      epreuveCode: epreuve.code,
      scheduledAt: '2026-06-15T09:00:00Z',
      assessorIds: [assessor.subject],
    });
    await admin.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/held`, {
      heldAt: '2026-06-15T09:00:00Z',
      timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
      accommodationsApplied: [],
    });
    return assessor.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/assessments`, {
      results: criteriaOf(referential, epreuve).map((criterion, k) => ({ criterion, met: passed || k > 0 })),
    });
  };
  let last = '';
  for (let n = 1; n <= 6; n++) {
    const candidate = await admin.post('/candidates', {
      birthName: `Durand${n}`,
      firstNames: ['Camille'],
      birthDate: '2000-04-02',
      sex: 'F',
      birthPlace: 'Rennes (35)',
      email: `camille${n}@example.org`,
    });
    const { id } = await admin.post('/enrollments', {
      candidateId: candidate.id,
      referentialId: REFERENTIAL,
      version: '1',
      cohort: COHORT,
      accessRoute: 'formation-continue',
    });
    if (n === 1)
      for (const bloc of ['BC02', 'BC03', 'BC04']) {
        await sit(id, bloc, true);
        await jury.post(`/enrollments/${id}/blocs/${bloc}/validation`);
      }
    const assessed = await sit(id, 'BC01', n !== 6);
    last = assessed.position;
    paths.push({ enrollmentId: id, candidateId: candidate.id, bc01Assessment: assessed.id });
  }
  // The first candidate has a tiers-temps and consented to the jury being told: the jury sees the measure, not its details.
  await referent.post(`/enrollments/${paths[0].enrollmentId}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01', details: DETAILS });
  last = (await referent.post(`/enrollments/${paths[0].enrollmentId}/jury-consent`, {})).position;
  await admin.get(`/enrollments?pageSize=1&consistentWith=${last}`);
  await api.dispose();
  for (const page of [pages[0], pages[3]]) await page.context().close();
});

test.afterAll(async () => {
  for (const page of [assessorPage, juryPage]) await page?.context().close();
});

const label = (n: number) => `Candidat ${paths[n].candidateId.slice(0, 8)}`;

test('the jury deliberates on a cohort, annuls a bloc with its reason, and awards the certification', async ({ baseURL }) => {
  test.setTimeout(90_000);
  // « Prêts pour le jury » is the jury's first screen: the five paths with BC01 validatable, not the sixth.
  const page = juryPage;
  await page.goto('/');
  await expect(page.getByText(`${JURY} · Jury · `)).toBeVisible();
  await expect(page).toHaveURL(/\/jury$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Prêts pour le jury' })).toBeVisible();
  await expect(page.getByText('5 parcours attendent le jury')).toBeVisible();
  const group = page.getByRole('region', { name: new RegExp(`promotion ${COHORT}$`) });
  for (let n = 0; n < 5; n++) await expect(group.getByRole('row').filter({ hasText: label(n) })).toContainText('Bloc(s) validable(s) : BC01');
  await expect(page.getByText(label(5))).toHaveCount(0);
  await checkScreen(page, 'jury-ready');

  // The cohort's deliberation: the sixth candidate is shown, with nothing to validate.
  await group.getByRole('link', { name: `Délibérer sur la promotion ${COHORT}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Délibération de la promotion ${COHORT}` })).toBeVisible();
  await expect(page.getByText('6 parcours en cours dans la promotion, dont 5 avec au moins un bloc validable.')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: `${label(5)} : aucun bloc validable` })).toBeDisabled();
  await page.getByRole('checkbox', { name: 'Sélectionner les 5 candidats ayant un bloc validable' }).check();
  await expect(page.getByText('5 candidat(s) sélectionné(s) : 5 blocs à valider.')).toBeVisible();
  await checkScreen(page, 'jury-deliberation-selected');

  // Meanwhile, the fifth candidate's assessor corrects their BC01 assessment: one criterion not met after all.
  const api = await request.newContext({ baseURL });
  const assessor = await personOf(api, assessorPage);
  const epreuve = referential.blocs.find((b) => b.code === 'BC01')!.epreuves[0];
  await assessor.post(`/enrollments/${paths[4].enrollmentId}/assessments/${paths[4].bc01Assessment}/corrections`, {
    results: criteriaOf(referential, epreuve).map((criterion, k) => ({ criterion, met: k > 0 })),
    reason: 'CR1 non satisfait : grille relue avec le second évaluateur.',
  });
  await api.dispose();

  // The jury confirms: five validations, each its own request under its own Idempotency-Key.
  const keys: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/blocs\/BC01\/validation$/.test(r.url())) keys.push(r.headers()['idempotency-key']);
  });
  await page.getByRole('button', { name: 'Valider les blocs validables des candidats sélectionnés' }).click();
  await expect(page.getByRole('heading', { name: 'Confirmer la validation de 5 blocs' })).toBeFocused();
  await checkScreen(page, 'jury-deliberation-confirm');
  await page.getByRole('button', { name: 'Valider 5 blocs' }).click();
  const results = page.getByRole('alert').filter({ hasText: 'Délibération :' });
  await expect(results).toContainText('Délibération : 4 décisions enregistrées, 1 refusée');
  // The refusal, in French, says which candidate and why; the four others stand.
  await expect(results.getByRole('listitem')).toHaveText(
    new RegExp(`^${label(4)} — BC01 : Ce bloc n’est pas validable : compétences non acquises : C1, C2, C3, C4 ; épreuves encore dues : BC01-E1\\.`),
  );
  await expect(results).toContainText('Les autres décisions restent enregistrées.');
  expect(keys).toHaveLength(5);
  expect(new Set(keys).size).toBe(5);
  const table = page.getByRole('table', { name: `Candidats de la promotion ${COHORT}, bloc par bloc` });
  for (let n = 0; n < 4; n++) await expect(table.getByRole('row').filter({ hasText: label(n) })).toContainText('BC01 validé');
  const refused = table.getByRole('row').filter({ hasText: label(4) });
  await expect(refused).toContainText('BC01 non validé');
  await expect(refused).toContainText('Ce bloc n’est pas validable');
  // The list read again as far as the last decision: the refused candidate has nothing left to validate.
  await expect(page.getByRole('checkbox', { name: `${label(4)} : aucun bloc validable` })).toBeDisabled();
  await checkScreen(page, 'jury-deliberation-results');

  // On the second candidate's path, the jury annuls BC01: a reason is required, then recorded and shown.
  await table.getByRole('link', { name: label(1) }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Délibération — ${label(1)}` })).toBeVisible();
  const bc01 = page.getByRole('region', { name: /^BC01 — / });
  await expect(bc01).toContainText('Validé le');
  await expect(bc01.getByRole('table', { name: 'Compétences du bloc BC01 et évaluations' })).toContainText('6 critère(s) sur 6 satisfait(s)');
  // Without the candidate's consent, the jury is not told of any measure.
  await expect(page.getByRole('heading', { name: 'Aménagements' })).toHaveCount(0);
  await bc01.getByRole('button', { name: 'Annuler le bloc BC01…' }).click();
  await bc01.getByRole('button', { name: 'Annuler le bloc BC01', exact: true }).click();
  await expect(bc01.getByRole('radiogroup', { name: 'Motif' })).toHaveAccessibleDescription('À renseigner.');
  await expect(bc01.getByLabel('Précisions')).toHaveAccessibleDescription(/À renseigner\./);
  await bc01.getByRole('radio', { name: 'Plagiat' }).check();
  await bc01.getByLabel('Précisions').fill('Notebook repris d’un autre candidat (rapport de similarité du 12/06).');
  // Corrected, the fields and the form no longer say they were refused.
  await expect(bc01.getByText('À renseigner.')).toHaveCount(0);
  await expect(bc01.getByText('Corrigez les champs signalés')).toHaveCount(0);
  await checkScreen(page, 'jury-annul-form');
  await bc01.getByRole('button', { name: 'Annuler le bloc BC01', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Bloc BC01 annulé' })).toBeVisible();
  await expect(bc01).toContainText('Annulé le');
  await expect(bc01).toContainText('Motif : plagiat');
  await expect(bc01).toContainText('Notebook repris d’un autre candidat');
  await checkScreen(page, 'jury-path-annulled');

  // The first candidate has every bloc: the jury reads the measure they consented to show, then awards, at Lyon.
  await page.goto(`/jury/parcours/${paths[0].enrollmentId}`);
  await expect(page.getByRole('heading', { level: 1, name: `Délibération — ${label(0)}` })).toBeVisible();
  await expect(page.getByText(/Tiers-temps/)).toBeVisible();
  await expect(page.getByText(DETAILS)).toHaveCount(0);
  await expect(page.getByText('Tous les blocs requis et toutes les exigences sont validés')).toBeVisible();
  await page.getByRole('radio', { name: 'Délivrer la certification' }).check();
  await page.getByLabel('Lieu de la délibération').fill('Lyon');
  await checkScreen(page, 'jury-final-decision');
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Décision finale enregistrée : Certification délivrée — Lyon.' })).toBeVisible();
  await expect(page.getByText(/^Dernière décision : Certification délivrée — Lyon, le /)).toBeVisible();
  await expect(page.getByText('Certifié', { exact: true })).toBeVisible();
  // Certified, the path takes no more decisions but an annulment (fraud found late revokes the certificate).
  await expect(page.getByText('La certification est délivrée : le jury ne peut plus qu’annuler un bloc')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Annuler le bloc BC01…' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enregistrer la décision' })).toHaveCount(0);
  await checkScreen(page, 'jury-path-certified');
});
