import { expect, request, test } from '@playwright/test';
import { checkScreen, criteriaOf, person, Referential, signIn } from './console-support';

/**
 * Seed 000 (Expert en ingénierie et science des données, niveau 7) as a school lives it: blocs 1–3
 * common and the Data Science option, soutenances with a tiers-temps, a bloc validated by the jury,
 * its attestation issued, then the bloc annulled for plagiarism and the attestation revoked. The
 * admin reads the path; the auditor traces the annulled bloc.
 */

const REFERENTIAL = 'expert-ingenierie-science-donnees';
const SCHOOL = `ecole-seed-000-${process.pid}-${Date.now()}`;
let enrollmentId = '';
let candidateId = '';
let attestation = '';

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(90_000);
  const api = await request.newContext({ baseURL });
  const [admin, assessor, jury, referent] = await Promise.all(['admin', 'assessor', 'jury', 'referent'].map((role) => person(api, SCHOOL, role)));
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  const candidate = await admin.post('/candidates', {
    birthName: 'Lefèvre',
    firstNames: ['Camille'],
    birthDate: '1998-11-03',
    sex: 'F',
    birthPlace: 'Rennes (35)',
    email: 'camille.lefevre@example.org',
  });
  candidateId = candidate.id;
  enrollmentId = (
    await admin.post('/enrollments', {
      candidateId: candidate.id,
      referentialId: REFERENTIAL,
      version: '1',
      cohort: '2026-M2',
      accessRoute: 'apprentissage',
      optionBlocs: ['BC05'],
    })
  ).id;
  // A tiers-temps for the soutenances (the référentiel names it), applied at each sitting.
  const tiersTemps = await referent.post(`/enrollments/${enrollmentId}/accommodations`, {
    kind: 'tiers-temps',
    validFrom: '2026-01-01',
    details: 'soutenances',
  });

  for (const epreuve of referential.blocs.find((b) => b.code === 'BC01')!.epreuves) {
    const sitting = await admin.post(`/enrollments/${enrollmentId}/sittings`, {
      epreuveCode: epreuve.code,
      scheduledAt: '2026-05-12T08:00:00Z',
      assessorIds: [assessor.subject],
    });
    await admin.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/held`, {
      heldAt: '2026-05-12T08:00:00Z',
      timedParts: (epreuve.timedParts ?? []).map((part) => ({ code: part.code, actualDurationMinutes: Math.ceil((part.baseDurationMinutes * 4) / 3) })),
      accommodationsApplied: [tiersTemps.id],
    });
    await assessor.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/assessments`, {
      results: criteriaOf(referential, epreuve).map((criterion) => ({ criterion, met: true })),
    });
  }
  await jury.post(`/enrollments/${enrollmentId}/blocs/BC01/validation`);
  // The attestation is issued by the issuance jobs; the annulment then revokes it.
  await expect
    .poll(async () => (await admin.get(`/enrollments/${enrollmentId}/documents`)).find((d: { blocCode?: string }) => d.blocCode === 'BC01')?.number ?? '', {
      timeout: 30_000,
    })
    .not.toBe('');
  attestation = (await admin.get(`/enrollments/${enrollmentId}/documents`))[0].number;
  const annulled = await jury.post(`/enrollments/${enrollmentId}/blocs/BC01/annulment`, {
    reason: 'plagiarism',
    details: 'rapport de projet repris d’une promotion précédente',
  });
  await expect.poll(async () => (await admin.get(`/enrollments/${enrollmentId}/documents`))[0].status, { timeout: 30_000 }).toBe('revoked');
  await admin.get(`/enrollments?pageSize=1&consistentWith=${annulled.position}`);
  await api.dispose();
});

test('an admin reads a seed 000 path: the option chosen, the annulled bloc, its attestation revoked', async ({ page }) => {
  await signIn(page, SCHOOL);
  await page.goto(`/parcours/${enrollmentId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Expert en ingénierie et science des données' })).toBeVisible();
  // Their school's admin sees the candidate's name (a read the api records, R14).
  await expect(page.getByText(/Candidat Camille Lefèvre/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^BC01/ })).toContainText('Annulé');
  await checkScreen(page, 'admin-path-seed-000-annulled');
  await expect(page.getByRole('button', { name: /^BC05/ })).toBeVisible();
  // The option not chosen is shown as such, and not owed.
  await expect(page.getByRole('button', { name: /^BC04/ })).toContainText('hors option choisie');
  // What was assessed in the annulled bloc stays in sight, marked as no longer counting.
  await expect(page.getByText('annulée avec le bloc').first()).toBeVisible();
  await expect(page.getByText(/Blocs à valider : BC01, BC02, BC03, BC05/)).toBeVisible();
  const document = page.getByRole('article', { name: /^Attestation de réussite — BC01/ });
  await expect(document).toContainText('Révoqué');
  await expect(document).toContainText(`N° ${attestation}`);
  await expect(document.getByRole('link', { name: 'Ouvrir la page de vérification' })).toHaveAttribute('href', new RegExp(`/verify/${attestation}$`));
  // The public verification page the link opens says the same.
  const verification = await page.context().newPage();
  await verification.goto(`/verify/${attestation}`);
  await expect(verification.getByText(/révoqué/i).first()).toBeVisible();
  await verification.close();
});

test('an auditor traces the annulled bloc: the sittings with their tiers-temps, the validation, the annulment and the revoked attestation', async ({
  page,
}) => {
  await signIn(page, 'cnc', 'auditor', /Audit/);
  await page.goto(`/parcours/${enrollmentId}/blocs/BC01/provenance`);
  await expect(page.getByText('Bloc validé', { exact: true })).toBeVisible();
  await expect(page.getByText('Bloc annulé', { exact: true })).toBeVisible();
  await checkScreen(page, 'auditor-provenance-seed-000-annulled');
  await expect(page.getByText(/Aménagement accordé : Tiers-temps · par referent-1/)).toBeVisible();
  await expect(page.getByText('aménagements appliqués : Tiers-temps')).toHaveCount(2);
  await expect(page.getByText('motif : plagiat — rapport de projet repris d’une promotion précédente')).toBeVisible();
  await expect(page.getByText('Attestation révoquée', { exact: true })).toBeVisible();
  // Each competency the annulment withdrew is named.
  await expect(page.getByText(/^C1\.1\.1 · par jury-1 \(Jury\)/)).toBeVisible();
  await expect(page.getByText(attestation).first()).toBeVisible();
});

test('the DPO finds who read the candidate’s personal data; an auditor reaches the same log from the path', async ({ page }) => {
  await signIn(page, SCHOOL, 'dpo', /Délégué/);
  // The DPO answers for personal data: no paths to read, a screen for the read log.
  await expect(page.getByRole('link', { name: 'Inscriptions' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Données personnelles' }).click();
  await page.getByRole('textbox', { name: 'Identifiant du candidat' }).fill('pas-un-id');
  await page.getByRole('textbox', { name: 'Identifiant du candidat' }).press('Enter');
  await expect(page.getByText('Ce n’est pas un identifiant de candidat (uuid).')).toBeVisible();
  await page.getByRole('textbox', { name: 'Identifiant du candidat' }).fill(candidateId);
  await page.getByRole('textbox', { name: 'Identifiant du candidat' }).press('Enter');
  // The admin's read of the name on the path, and the referent's of the tiers-temps they granted.
  const identityRead = page.getByRole('row').filter({ hasText: 'admin-1 (Administration de l’école)' }).filter({ hasText: 'Identité' });
  await expect(identityRead.first()).toBeVisible();
  await expect(identityRead.first()).toContainText('nom de naissance, prénoms, date de naissance');
  await expect(page.getByRole('row').filter({ hasText: 'Aménagements, dans une provenance — natures seulement' }).first()).toContainText(
    /aménagement [0-9a-f]{8}/,
  );
  await checkScreen(page, 'dpo-personal-data-reads');

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await signIn(page, 'cnc', 'auditor', /Audit/);
  await page.goto(`/parcours/${enrollmentId}`);
  await page.getByRole('link', { name: 'Qui a lu les données personnelles de ce candidat' }).click();
  await expect(page).toHaveURL(new RegExp(`/donnees-personnelles\\?candidat=${candidateId}$`));
  await expect(identityRead.first()).toBeVisible();
});
