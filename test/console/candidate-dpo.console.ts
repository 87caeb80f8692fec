import { expect, Page, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CONSOLE_TEST_OIDC_PORT } from '../../playwright.config';
import { checkFromTop, criteriaOf, personOf, Referential, signInThroughTheProvider } from './console-support';

/**
 * The candidate's documents and the DPO's erasure (issue 17): the candidate reads their path — their
 * next sitting with their own extra time — and their attestation of BC01: downloads its PDF and its
 * credential, copies its verification link, opens the page, which says « valide », and finds
 * LinkedIn's « add a certification » link prefilled. Then the DPO erases their personal data after
 * a confirmation saying what goes and what stays; the admin's path and the verification page show
 * the erasure where the data was.
 * Each person signs in as themselves through the school's real OpenID Connect provider
 * (provider-accounts.ts), in a browser of their own: the candidate with their candidate id as login;
 * the path is set up over the api with the tokens the provider handed the admin's, the assessor's,
 * the jury's and the referent's consoles.
 */
test.use({ baseURL: `http://127.0.0.1:${CONSOLE_TEST_OIDC_PORT}` });

const REFERENTIAL = 'expert-en-data-science';
/** An assessor of their own: the seed-000 journey counts the sittings of its assessor, in the same school. */
const [ADMIN, ASSESSOR, JURY, REFERENT, DPO] = ['helene.garnier', 'luc.moreau', 'marc.lefevre', 'nadia.haddad', 'julie.roux'];
const DAY = 24 * 3_600_000;
let enrollmentId = '';
let candidateId = '';
let attestation = '';
let validatedAt = '';
/** The admin's console, signed in for the setup, looked at again after the erasure. */
let adminPage: Page;

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const api = await request.newContext({ baseURL });
  const pages = await Promise.all([ADMIN, ASSESSOR, JURY, REFERENT].map((login) => signInThroughTheProvider(browser, login)));
  adminPage = pages[0];
  const [admin, assessor, jury, referent] = await Promise.all(pages.map((page) => personOf(api, page)));
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  candidateId = (
    await admin.post('/candidates', {
      birthName: 'Rousseau',
      firstNames: ['Inès'],
      birthDate: '1999-02-11',
      sex: 'F',
      birthPlace: 'Nantes (44)',
      email: 'ines.rousseau@example.org',
    })
  ).id;
  enrollmentId = (
    await admin.post('/enrollments', { candidateId, referentialId: REFERENTIAL, version: '1', cohort: '2026-D', accessRoute: 'formation-continue' })
  ).id;
  // BC01 sat a month ago, every criterion met, validated by the jury: its attestation is issued.
  const epreuve = referential.blocs.find((b) => b.code === 'BC01')!.epreuves[0];
  const past = new Date(Date.now() - 30 * DAY).toISOString();
  const sitting = await admin.post(`/enrollments/${enrollmentId}/sittings`, { epreuveCode: epreuve.code, scheduledAt: past, assessorIds: [assessor.subject] });
  await admin.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/held`, {
    heldAt: past,
    timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
    accommodationsApplied: [],
  });
  await assessor.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/assessments`, {
    results: criteriaOf(referential, epreuve).map((criterion) => ({ criterion, met: true })),
  });
  await jury.post(`/enrollments/${enrollmentId}/blocs/BC01/validation`);
  // Then a tiers-temps, and BC02's soutenance in a month: 40 min for this candidate instead of 30.
  await referent.post(`/enrollments/${enrollmentId}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01', details: 'salle calme' });
  const next = await admin.post(`/enrollments/${enrollmentId}/sittings`, {
    epreuveCode: 'BC02-E1',
    scheduledAt: new Date(Date.now() + 30 * DAY).toISOString(),
    assessorIds: [assessor.subject],
  });
  await expect
    .poll(async () => (await admin.get(`/enrollments/${enrollmentId}/documents`)).find((d: { blocCode?: string }) => d.blocCode === 'BC01')?.number ?? '', {
      timeout: 30_000,
    })
    .not.toBe('');
  attestation = (await admin.get(`/enrollments/${enrollmentId}/documents`))[0].number;
  const path = await admin.get(`/enrollments/${enrollmentId}?consistentWith=${next.position}`);
  validatedAt = path.blocs.find((b: { code: string }) => b.code === 'BC01').validatedAt;
  await api.dispose();
  for (const page of pages.slice(1)) await page.context().close();
});

test.afterAll(async () => {
  await adminPage?.context().close();
});

test('the candidate takes their attestation: PDF, credential, verification link, LinkedIn; the DPO erases them, and every screen says so', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const verifyUrl = `${baseURL}/verify/${attestation}`;

  // The candidate's own path: their next sitting, with their own duration.
  let page = await signInThroughTheProvider(browser, candidateId);
  const candidateContext = page.context();
  await candidateContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await expect(page.getByText(`${candidateId} · Candidat · `)).toBeVisible();
  await page.getByRole('link', { name: /Ouvrir le parcours/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Expert en data science' })).toBeVisible();
  await expect(page.getByText(/Candidat Inès Rousseau/)).toBeVisible();
  const upcoming = page.getByRole('region', { name: 'Mes prochaines épreuves' });
  await expect(upcoming).toContainText('BC02-E1');
  await expect(upcoming).toContainText('Durée prévue pour vous : Soutenance à un évaluateur (expert technique) : 40 min (30 min de base)');

  // Their attestation, valid.
  const documents = page.getByRole('region', { name: 'Mes documents' });
  const document = documents.getByRole('article', { name: /^Attestation de réussite — BC01 : Collecter, pré-traiter/ });
  await expect(document).toContainText(`N° ${attestation}, délivrée le`);
  await expect(document).toContainText('Valide');
  await checkFromTop(page, 'candidate-path-documents');

  // The PDF and the credential, downloaded with the candidate's session.
  const [pdf] = await Promise.all([page.waitForEvent('download'), document.getByRole('button', { name: 'Télécharger le PDF' }).click()]);
  expect(pdf.suggestedFilename()).toBe(`${attestation}.pdf`);
  expect(
    readFileSync(await pdf.path())
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');
  const [credential] = await Promise.all([page.waitForEvent('download'), document.getByRole('button', { name: 'Télécharger le badge numérique' }).click()]);
  expect(credential.suggestedFilename()).toBe(`${attestation}.vc.jwt`);
  expect(readFileSync(await credential.path(), 'utf8')).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);

  // The verification link, copied, and the page it opens.
  await document.getByRole('button', { name: 'Copier le lien de vérification' }).click();
  await expect(document.getByRole('button', { name: 'Lien copié' })).toBeVisible();
  await expect(document.getByText(`Lien de vérification copié : ${verifyUrl}`)).toBeVisible();
  expect(
    await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()),
  ).toBe(verifyUrl);
  const verificationLink = document.getByRole('link', { name: 'Ouvrir la page de vérification' });
  await expect(verificationLink).toHaveAttribute('href', verifyUrl);
  const verification = await candidateContext.newPage();
  await verification.goto(verifyUrl);
  await expect(verification.locator('#verdict')).toHaveText('Document authentique et valide');
  await expect(verification.getByText('Inès ROUSSEAU')).toBeVisible();

  // LinkedIn's « add a certification » form, prefilled: the bloc of the certification, its certifier, the month of the decision, the page and the number.
  const linkedIn = document.getByRole('link', { name: 'Ajouter à mon profil LinkedIn' });
  await expect(linkedIn).toHaveAttribute('target', '_blank');
  const added = new URL((await linkedIn.getAttribute('href'))!);
  expect(`${added.origin}${added.pathname}`).toBe('https://www.linkedin.com/profile/add');
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: 'numeric' })
    .formatToParts(new Date(validatedAt))
    .filter((p) => p.type !== 'literal')
    .map((p) => p.value);
  expect(Object.fromEntries(added.searchParams)).toEqual({
    startTask: 'CERTIFICATION_NAME',
    name: expect.stringMatching(/^Expert en data science — bloc de compétences BC01 : Collecter, pré-traiter/),
    organizationName: 'OpenClassrooms',
    issueYear: year,
    issueMonth: month,
    certUrl: verifyUrl,
    certId: attestation,
  });

  // The DPO erases the candidate's personal data, once told what goes and what stays.
  page = await signInThroughTheProvider(browser, DPO);
  await page.getByRole('textbox', { name: 'Identifiant du candidat' }).fill(candidateId);
  await page.getByRole('textbox', { name: 'Identifiant du candidat' }).press('Enter');
  await expect(page.getByRole('row').filter({ hasText: 'Identité' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Effacer les données personnelles de ce candidat…' }).click();
  await expect(page.getByRole('heading', { name: `Confirmer l’effacement des données personnelles du candidat ${candidateId.slice(0, 8)}` })).toBeFocused();
  await expect(page.getByRole('list', { name: 'Effacé définitivement, pour tout le monde :' })).toContainText('son identité');
  await expect(page.getByRole('list', { name: 'Effacé définitivement, pour tout le monde :' })).toContainText('les fichiers de ses documents');
  await expect(page.getByRole('list', { name: 'Demeure :' })).toContainText('l’existence de ses documents et leur statut');
  await checkFromTop(page, 'dpo-erasure-confirm');
  await page.getByRole('button', { name: 'Effacer définitivement' }).click();
  const done = page.getByRole('status').filter({ hasText: 'effacées' });
  await expect(done).toContainText(`Données personnelles du candidat ${candidateId.slice(0, 8)} effacées`);
  await expect(done).toContainText('1 parcours concerné ; 1 fichier de document supprimé.');
  await checkFromTop(page, 'dpo-erasure-done');
  await page.context().close();

  // The admin's path: the name, the files and the measure's details are gone; the bloc, the decision and the document stand.
  page = adminPage;
  await page.goto(`/parcours/${enrollmentId}`);
  await expect(page.getByText('Candidat (données personnelles effacées)', { exact: false })).toBeVisible();
  await expect(page.getByText(/^Données personnelles effacées le /)).toBeVisible();
  await expect(page.getByRole('button', { name: /^BC01/ })).toContainText('Validé');
  const erased = page.getByRole('article', { name: /^Attestation de réussite — BC01/ });
  await expect(erased).toContainText('Valide');
  await expect(erased).toContainText('Fichiers effacés le');
  await expect(erased.getByRole('button', { name: 'Télécharger le PDF' })).toHaveCount(0);
  await checkFromTop(page, 'admin-path-erased');

  // The verification page: still valid, its holder erased.
  await verification.reload();
  await expect(verification.locator('#verdict')).toHaveText('Document authentique et valide');
  await expect(verification.getByText('Données personnelles effacées à la demande du titulaire')).toBeVisible();
  await expect(verification.getByText('Inès ROUSSEAU')).toHaveCount(0);
  await candidateContext.close();
});
