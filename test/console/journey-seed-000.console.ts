import { Browser, expect, Page, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_TEST_OIDC_PORT } from '../../playwright.config';
import { checkFromTop, criteriaOf, fillIdentity, parisDay, personOf, pick, Referential, signInThroughTheProvider } from './console-support';
import { OIDC_TEST_SCHOOL } from './provider-accounts';

/**
 * Journey 1 of issue 17: seed 000 (Expert en ingénierie et science des données) from the
 * registration to the certificate, each role signed in as itself in its own tab, every act of the
 * soutenance's path through the console. The admin registers a candidate and enrolls them with the
 * Data Science option; the disability referent grants a tiers-temps; the admin schedules the
 * soutenance of the option bloc (30 min in the référentiel) and its étude de cas, with their
 * assessor; the assessor finds the soutenance in « Mes épreuves » at 40 min, records it held and
 * assesses it failed; the admin schedules the retake, which the assessor holds and assesses passed.
 * The other blocs are brought to validatable over the api. The jury validates the four blocs and
 * awards the certification; the candidate downloads their certificate and opens its verification
 * page: « valide ». The jury then annuls a bloc for plagiarism: the page says « révoqué ».
 * Each role signs in as itself through the school's real OpenID Connect provider (started by
 * test/console/console-server.ts, its people in provider-accounts.ts), in a browser of its own: the
 * admin, the referent, the assessor and the jury with their accounts at the school, the candidate
 * with their candidate id as login, which is the `sub` the api takes for them.
 */
test.use({ baseURL: `http://127.0.0.1:${CONSOLE_TEST_OIDC_PORT}` });

const REFERENTIAL = 'expert-ingenierie-science-donnees';
const COHORT = '2026-P1';
/** The option bloc's soutenance (30 min in the référentiel, 40 with the tiers-temps) and its étude de cas (untimed). */
const SOUTENANCE = 'BC05-E1';
const CASE_STUDY = 'BC05-E2';
/** The soutenance's first attempt two days ago, its retake yesterday; the étude de cas three days ago (sittings are recorded held once over). */
const FIRST = parisDay(-2);
const RETAKE = parisDay(-1);
const CASE_STUDY_DAY = parisDay(-3);
/** The people of the school's identity provider: their login is the id the api knows them by. */
const ADMIN = 'helene.garnier';
const REFERENT = 'nadia.haddad';
const ASSESSOR = 'sophie.bernard';
const JURY = 'marc.lefevre';
/** The public verification page is the api's, not the console's: photographed beside the console's screens. */
const SCREENS = join(__dirname, '../../test-results/console-screens');

/** A person signed in through the school's provider, in a browser of their own: the console names them, with the role and the school the provider's claims give. */
async function signedIn(browser: Browser, login: string, role: string): Promise<Page> {
  const page = await signInThroughTheProvider(browser, login);
  await expect(page.getByText(`${login} · ${role} · ${OIDC_TEST_SCHOOL}`)).toBeVisible();
  return page;
}

/** The admin, on the path: a sitting of `epreuve` on `day` at 09:00 (Paris), with its assessor. */
async function schedule(admin: Page, epreuve: string, day: { typed: string }) {
  await pick(admin, 'Épreuve', new RegExp(`^${epreuve} — `));
  await admin.getByLabel('Jour du passage').fill(day.typed);
  await admin.getByRole('spinbutton', { name: 'Heure : heures' }).pressSequentially('0900');
  await admin.getByLabel('Évaluateurs').fill(ASSESSOR);
  await admin.getByRole('button', { name: 'Programmer le passage' }).click();
  const scheduled = admin.getByRole('status').filter({ hasText: 'Passage programmé' });
  await expect(scheduled).toContainText(`${epreuve} — `);
  return scheduled;
}

/** The assessor, in « Mes épreuves »: the sitting to hold, recorded held as scheduled (each instruction given). */
async function hold(assessor: Page, epreuve: string, attempt: number, screen?: string) {
  await assessor.goto('/mes-epreuves');
  const card = assessor.getByRole('region', { name: /^À tenir/ }).getByRole('region', { name: new RegExp(`^${epreuve} — `) });
  await card.getByRole('button', { name: `Enregistrer la tenue de ${epreuve}, tentative ${attempt}` }).click();
  await expect(card.getByRole('heading', { name: new RegExp(`^Tenue du passage : ${epreuve} — .*, tentative ${attempt}$`) })).toBeFocused();
  for (const instruction of await card.getByRole('radiogroup', { name: /^Consigne \d sur \d : / }).all())
    await instruction.getByRole('radio', { name: 'Appliquée', exact: true }).check();
  if (screen) await checkFromTop(assessor, screen);
  await card.getByRole('button', { name: 'Enregistrer la tenue', exact: true }).click();
  await expect(assessor.getByRole('status').filter({ hasText: 'Tenue du passage enregistrée' })).toContainText(`${epreuve} — `);
}

/** The assessor grades the held sitting: every criterion met, or all but the last one (C5.1.4's, which the soutenance alone rules on). */
async function assess(assessor: Page, epreuve: string, passed: boolean, screen?: string) {
  await assessor.goto('/mes-epreuves');
  await assessor
    .getByRole('region', { name: /^À évaluer/ })
    .getByRole('region', { name: new RegExp(`^${epreuve} — `) })
    .getByRole('link', { name: 'Évaluer' })
    .click();
  await expect(assessor.getByRole('heading', { level: 1, name: new RegExp(`^Évaluer : ${epreuve}`) })).toBeVisible();
  for (const met of await assessor.getByRole('radio', { name: 'Satisfait', exact: true }).all()) await met.check();
  if (!passed) await assessor.getByRole('radio', { name: 'Non satisfait', exact: true }).last().check();
  await expect(assessor.getByText(passed ? /non satisfait\(s\) : l’épreuve est réussie/ : /l’épreuve n’est pas réussie/)).toBeVisible();
  if (screen) await checkFromTop(assessor, screen);
  await assessor.getByRole('button', { name: 'Enregistrer l’évaluation' }).click();
  await expect(assessor.getByRole('status').filter({ hasText: 'Évaluation enregistrée.' })).toBeVisible();
}

test('seed 000 from registration to the certificate through the console: tiers-temps, a failed soutenance and its retake, the jury, the award, then an annulment', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const api = await request.newContext({ baseURL });

  // The admin registers the candidate and enrolls them, choosing the Data Science option.
  const admin = await signedIn(browser, ADMIN, 'Administration de l’école');
  await admin.goto('/inscriptions/nouvelle');
  await fillIdentity(admin, `lea.durand.${process.pid}@exemple.fr`);
  await pick(admin, 'Certification et version', 'Expert en ingénierie et science des données (v1)');
  await pick(admin, 'Voie d’accès', 'Formation continue');
  await admin.getByRole('radio', { name: /^BC05 — Data Science/ }).check();
  await admin.getByLabel('Promotion').fill(COHORT);
  await checkFromTop(admin, 'journey-000-enroll');
  await admin.getByRole('button', { name: 'Enregistrer le candidat et l’inscrire' }).click();
  await expect(admin).toHaveURL(/\/parcours\/[0-9a-f-]{36}$/);
  const enrollmentId = admin.url().split('/').at(-1)!;
  await expect(admin.getByText(`Promotion ${COHORT} · Formation continue · Candidat Léa Marie Durand`)).toBeVisible();
  await expect(admin.getByRole('button', { name: /^BC04/ })).toContainText('hors option choisie');

  // The disability referent grants a tiers-temps for every épreuve, from a month ago.
  const referent = await signedIn(browser, REFERENT, 'Référent handicap');
  await referent.goto(`/parcours/${enrollmentId}`);
  await referent.getByRole('link', { name: 'Gérer les aménagements et le consentement' }).click();
  const grant = referent.getByRole('region', { name: 'Accorder un aménagement' });
  await grant.getByRole('combobox', { name: 'Type d’aménagement' }).click();
  await referent.getByRole('option', { name: 'Tiers-temps', exact: true }).click();
  await expect(grant.getByRole('radio', { name: 'Toutes les épreuves' })).toBeChecked();
  await grant.getByLabel('En vigueur à partir du').fill(parisDay(-30).typed);
  await grant.getByLabel('Précisions pratiques (facultatif)').fill('Salle calme, pauses autorisées');
  await grant.getByRole('button', { name: 'Accorder l’aménagement' }).click();
  await expect(referent.getByRole('status').filter({ hasText: 'Aménagement accordé' })).toContainText('Tiers-temps, toutes les épreuves');
  await checkFromTop(referent, 'journey-000-referent-granted');
  const apiReferent = await personOf(api, referent);
  await referent.context().close();

  // The admin schedules the étude de cas and the soutenance: 40 min for this candidate.
  await admin.reload();
  await schedule(admin, CASE_STUDY, CASE_STUDY_DAY);
  const scheduled = await schedule(admin, SOUTENANCE, FIRST);
  await expect(scheduled).toContainText('Soutenance distancielle : 40 min (30 min de base)');
  await checkFromTop(admin, 'journey-000-admin-scheduled');

  // The assessor's « Mes épreuves »: the soutenance at 40 min, the duration to apply and nothing more.
  const assessor = await signedIn(browser, ASSESSOR, 'Évaluation');
  await expect(assessor).toHaveURL(/\/mes-epreuves$/);
  const toHold = assessor.getByRole('region', { name: 'À tenir (2)' });
  const soutenance = toHold.getByRole('region', { name: new RegExp(`^${SOUTENANCE} — `) });
  await expect(soutenance.getByRole('row', { name: /^Durée/ })).toHaveText(/Soutenance distancielle : 40 min$/);
  await expect(soutenance).not.toContainText('30 min');
  await expect(soutenance.getByRole('row', { name: /^Consignes/ })).toContainText('Temps majoré d’un tiers : appliquer les durées indiquées');
  await expect(assessor.getByText('Salle calme')).toHaveCount(0);
  await checkFromTop(assessor, 'journey-000-assessor-to-hold');

  // The assessor records the soutenance held (40 minutes, the tiers-temps given), then assesses it: a criterion not met.
  await hold(assessor, CASE_STUDY, 1);
  await assessor
    .getByRole('region', { name: /^À tenir/ })
    .getByRole('button', { name: `Enregistrer la tenue de ${SOUTENANCE}, tentative 1` })
    .click();
  await expect(assessor.getByLabel('Soutenance distancielle : durée réelle')).toHaveValue('40');
  await expect(assessor.getByText('Prévue : 40 min', { exact: true })).toBeVisible();
  await checkFromTop(assessor, 'journey-000-assessor-record-held');
  await assessor.getByRole('button', { name: 'Annuler' }).click();
  await hold(assessor, SOUTENANCE, 1);
  await expect(assessor.getByRole('heading', { name: 'À évaluer (2)' })).toBeVisible();
  await checkFromTop(assessor, 'journey-000-assessor-held');
  await assess(assessor, CASE_STUDY, true);
  await assess(assessor, SOUTENANCE, false, 'journey-000-assessor-grading-failed');
  await expect(assessor.getByRole('row', { name: /^C5\.1\.4/ })).toContainText('échouée');
  await expect(assessor.getByRole('button', { name: /^BC05/ })).toContainText('En cours');
  await checkFromTop(assessor, 'journey-000-assessor-path-failed');

  // The retake: scheduled by the admin, held and passed.
  await admin.reload();
  await expect(admin.getByRole('row', { name: new RegExp(`^${SOUTENANCE} \\(BC05\\), tentative 1`) })).toContainText('Évalué');
  await schedule(admin, SOUTENANCE, RETAKE);
  await expect(admin.getByRole('row', { name: new RegExp(`^${SOUTENANCE} \\(BC05\\), tentative 2`) })).toContainText(ASSESSOR);
  await hold(assessor, SOUTENANCE, 2);
  await assess(assessor, SOUTENANCE, true);
  const c514 = assessor.getByRole('row', { name: /^C5\.1\.4/ });
  await expect(c514).toContainText(`${SOUTENANCE}, tentative 2`);
  await expect(c514).toContainText('réussie');
  await expect(assessor.getByRole('button', { name: /^BC05/ })).toContainText('Validable');
  await checkFromTop(assessor, 'journey-000-assessor-path-retaken');

  // Blocs 1 to 3, brought to validatable over the api (this journey's subject is the option bloc's path):
  // each épreuve scheduled and held by the admin with the tiers-temps given, then assessed by the assessor,
  // each with the token the provider handed their console.
  const [apiAdmin, apiAssessor] = [await personOf(api, admin), await personOf(api, assessor)];
  const referential: Referential = await apiAdmin.get(`/referentials/${REFERENTIAL}/versions/1`);
  const { accommodations } = await apiReferent.get(`/enrollments/${enrollmentId}`);
  const tiersTemps: string = accommodations.accommodations[0].accommodationId;
  const past = `${parisDay(-5).iso}T09:00:00+02:00`;
  for (const bloc of ['BC01', 'BC02', 'BC03'])
    for (const epreuve of referential.blocs.find((b) => b.code === bloc)!.epreuves) {
      const sitting = await apiAdmin.post(`/enrollments/${enrollmentId}/sittings`, { epreuveCode: epreuve.code, scheduledAt: past, assessorIds: [ASSESSOR] });
      await apiAdmin.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/held`, {
        heldAt: past,
        timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: Math.ceil((p.baseDurationMinutes * 4) / 3) })),
        accommodationsApplied: [tiersTemps],
      });
      await apiAssessor.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/assessments`, {
        results: criteriaOf(referential, epreuve).map((criterion) => ({ criterion, met: true })),
      });
    }
  const { candidateId } = await apiAdmin.get(`/enrollments/${enrollmentId}`);
  await api.dispose();
  await assessor.context().close();

  // The jury: the path in « Prêts pour le jury », its four blocs validated one by one, then the award.
  const jury = await signedIn(browser, JURY, 'Jury');
  const candidateLabel = `Candidat ${candidateId.slice(0, 8)}`;
  const ready = jury.getByRole('row').filter({ hasText: candidateLabel });
  await expect(ready).toContainText('Bloc(s) validable(s) : BC01, BC02, BC03, BC05');
  await checkFromTop(jury, 'journey-000-jury-ready');
  await ready.getByRole('link', { name: candidateLabel }).click();
  await expect(jury.getByRole('heading', { level: 1, name: `Délibération — ${candidateLabel}` })).toBeVisible();
  for (const bloc of ['BC01', 'BC02', 'BC03', 'BC05']) {
    await jury
      .getByRole('region', { name: new RegExp(`^${bloc} — `) })
      .getByRole('button', { name: `Valider le bloc ${bloc}` })
      .click();
    await expect(jury.getByRole('status').filter({ hasText: `Bloc ${bloc} validé` })).toBeVisible();
  }
  // The failed attempt stays in the evidence beside the retake.
  const bc05 = jury.getByRole('region', { name: /^BC05 — / });
  await expect(bc05).toContainText('Validé le');
  const evidence = bc05.getByRole('table', { name: 'Compétences du bloc BC05 et évaluations' });
  await expect(evidence.getByRole('row', { name: /^C5\.1\.4/ })).toContainText(
    `${SOUTENANCE} — Projet professionnalisant : mise en situation professionnelle reconstituée, tentative 1`,
  );
  await expect(evidence.getByRole('row', { name: /^C5\.1\.4/ })).toContainText('2 critère(s) sur 3 satisfait(s) échouée');
  // Each competency's own outcome: the soutenance failed on C5.1.4, not on C5.1.1, whose criteria were all met.
  await expect(evidence.getByRole('row', { name: /^C5\.1\.1/ })).not.toContainText('échouée');
  await expect(jury.getByText('Tous les blocs requis et toutes les exigences sont validés')).toBeVisible();
  await jury.getByRole('radio', { name: 'Délivrer la certification' }).check();
  await jury.getByLabel('Lieu de la délibération').fill('Lyon');
  await checkFromTop(jury, 'journey-000-jury-award');
  await jury.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await expect(jury.getByRole('status').filter({ hasText: 'Décision finale enregistrée : Certification délivrée — Lyon.' })).toBeVisible();
  await expect(jury.getByText('Certifié', { exact: true })).toBeVisible();

  // The candidate: their documents, the certificate downloaded, its verification page « valide ».
  const candidate = await signedIn(browser, candidateId, 'Candidat');
  await candidate.getByRole('link', { name: /Ouvrir le parcours/ }).click();
  await expect(candidate.getByRole('heading', { level: 1, name: 'Expert en ingénierie et science des données' })).toBeVisible();
  const documents = candidate.getByRole('region', { name: 'Mes documents' });
  const certificate = documents.getByRole('article', { name: 'Certificat — Expert en ingénierie et science des données' });
  await expect(certificate).toContainText('Valide', { timeout: 30_000 });
  await expect(documents.getByRole('article', { name: /^Attestation de réussite — BC05 : / })).toContainText('Valide');
  await checkFromTop(candidate, 'journey-000-candidate-documents');
  const [pdf] = await Promise.all([candidate.waitForEvent('download'), certificate.getByRole('button', { name: 'Télécharger le PDF' }).click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(
    readFileSync(await pdf.path())
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');
  const verifyUrl = (await certificate.getByRole('link', { name: 'Ouvrir la page de vérification' }).getAttribute('href'))!;
  expect(verifyUrl).toMatch(new RegExp(`^${baseURL}/verify/`));
  const verification = await candidate.context().newPage();
  await verification.goto(verifyUrl);
  await expect(verification.locator('#verdict')).toHaveText('Document authentique et valide');
  await expect(verification.getByText('Léa Marie MARTIN')).toBeVisible();
  await verification.screenshot({ path: join(SCREENS, 'journey-000-verification-valid.png'), fullPage: true });

  // Fraud found late: the jury annuls BC02 for plagiarism; the certificate is revoked and its page says so.
  const bc02 = jury.getByRole('region', { name: /^BC02 — / });
  await bc02.getByRole('button', { name: 'Annuler le bloc BC02…' }).click();
  await bc02.getByRole('radio', { name: 'Plagiat' }).check();
  await bc02.getByLabel('Précisions').fill('Rapport du projet repris d’une promotion précédente (rapport de similarité du 3 juin).');
  await checkFromTop(jury, 'journey-000-jury-annul');
  await bc02.getByRole('button', { name: 'Annuler le bloc BC02', exact: true }).click();
  await expect(jury.getByRole('status').filter({ hasText: 'Bloc BC02 annulé' })).toBeVisible();
  await expect(bc02).toContainText('Motif : plagiat');
  await expect(async () => {
    await verification.reload();
    await expect(verification.locator('#verdict')).toHaveText('Document révoqué', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await verification.screenshot({ path: join(SCREENS, 'journey-000-verification-revoked.png'), fullPage: true });
  await candidate.reload();
  await expect(certificate).toContainText('Révoqué');
  await checkFromTop(candidate, 'journey-000-candidate-revoked');
  for (const page of [admin, jury, candidate]) await page.context().close();
});
