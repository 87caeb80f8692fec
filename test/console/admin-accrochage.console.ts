import { expect, Page, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { validateFlux } from '../../libs/accrochage/src/testing/validate-flux';
import { ACCROCHAGE_TEST_CERTIFIER as CERTIFIER } from './accrochage-certifier';
import { Acting, checkFromTop, fillIdentity, passBloc, person, pick, Referential, signIn } from './console-support';

/**
 * Issue 18 in a school admin's hands: the accrochage. Two candidates are certified (blocs and the
 * award over the api): Léa, registered through the console with her birth commune's INSEE code and
 * who took the initiative of her registration, and Camille, registered without any code. The admin
 * opens « Accrochage », sees both to declare, produces the declaration: Léa is declared, Camille is
 * refused with the reason in French and a link to her identity; the admin completes the INSEE code
 * there (a wrong one first, refused beside the field), comes back, produces again: Camille alone,
 * in an XML file downloaded from the screen that validates against the CDC's schema.
 */

const SCHOOL = CERTIFIER.organisationId;
const REFERENTIAL = CERTIFIER.certifications[0].referentialId;
const HOLDERS = `/accrochage/certifiers/${CERTIFIER.id}/holders`;

type Api = Acting;
interface Holder {
  enrollmentId: string;
  candidateId: string;
  idTechnique: string;
  status: string;
}

/** Every bloc assessed passed (held on site) and validated by the jury, then the award. */
async function certify(admin: Api, assessor: Api, jury: Api, referential: Referential, enrollmentId: string) {
  for (const bloc of referential.blocs) await passBloc(admin, assessor, jury, referential, enrollmentId, bloc);
  await jury.post(`/enrollments/${enrollmentId}/final-decision`, { decision: 'awarded', place: 'Lyon' });
}

/** The admin produces the declaration; its report comes back on the screen. */
async function produce(page: Page) {
  await page.getByRole('button', { name: 'Produire la déclaration' }).click();
  const report = page.getByRole('status').filter({ has: page.getByRole('heading', { level: 3 }) });
  await expect(report).toBeVisible();
  return report;
}

test('an admin declares the holders to the Caisse des Dépôts: one refused, completed from the link, declared in a valid XML file', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const api = await request.newContext({ baseURL });
  const [admin, assessor, jury] = await Promise.all(['admin', 'assessor', 'jury'].map((role) => person(api, SCHOOL, role)));
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);

  // Camille, registered over the api without her birth place's codes, certified.
  const camille = await admin.post('/candidates', {
    birthName: 'Bernard',
    firstNames: ['Camille'],
    birthDate: '1999-07-21',
    sex: 'F',
    birthPlace: 'Marseille (13)',
    email: 'camille.bernard@exemple.fr',
  });
  const camillePath = await admin.post('/enrollments', {
    candidateId: camille.id,
    referentialId: REFERENTIAL,
    version: '1',
    cohort: '2026-A',
    accessRoute: 'formation-continue',
  });
  const certifyingCamille = certify(admin, assessor, jury, referential, camillePath.id);

  // Léa, registered through the console with her commune's INSEE code and her employer's initiative.
  await signIn(page, SCHOOL);
  await page.goto('/inscriptions/nouvelle');
  await fillIdentity(page, 'lea.durand@exemple.fr');
  await page.getByLabel('Code INSEE de la commune de naissance').fill('69123');
  await pick(page, 'Certification et version', /^Certification Data \/ IA en 4 blocs/);
  await pick(page, 'Voie d’accès', 'Formation continue');
  await page.getByLabel('Promotion').fill('2026-A');
  await pick(page, 'Initiative de l’inscription', 'L’employeur');
  await checkFromTop(page, 'accrochage-register-with-codes');
  await page.getByRole('button', { name: 'Enregistrer le candidat et l’inscrire' }).click();
  await expect(page).toHaveURL(/\/parcours\/[0-9a-f-]{36}$/);
  const leaPath = page.url().split('/').at(-1)!;
  await Promise.all([certifyingCamille, certify(admin, assessor, jury, referential, leaPath)]);
  // Both awards in the read model the screen lists.
  await expect.poll(async () => ((await admin.get(HOLDERS)) as Holder[]).length, { timeout: 15_000 }).toBe(2);

  // « Accrochage » in the admin's menu: both to declare, by name, due three months after the award.
  await page.getByRole('link', { name: 'Accrochage' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accrochage – déclarations à la Caisse des Dépôts' })).toBeVisible();
  const holders = page.getByRole('table', { name: 'Titulaires' });
  const lea = holders.getByRole('row').filter({ hasText: 'Léa Marie Durand' });
  const camilleRow = holders.getByRole('row').filter({ hasText: 'Camille Bernard' });
  await expect(lea).toContainText('À déclarer');
  await expect(camilleRow).toContainText('À déclarer');
  await expect(camilleRow).toContainText('RNCP37827');
  await checkFromTop(page, 'accrochage-holders');
  // Redeclaring is for after a correction: the box says what it does before anything is sent.
  const redeclare = page.getByRole('checkbox', { name: 'Redéclarer aussi les titulaires déjà déclarés' });
  await redeclare.check();
  await expect(page.getByRole('alert').filter({ hasText: 'Redéclaration' })).toContainText('sous le même identifiant');
  await checkFromTop(page, 'accrochage-redeclare-warning');
  await redeclare.uncheck();

  // The first declaration: Léa declared; Camille refused, the reason in French, with the way to complete her identity.
  let report = await produce(page);
  await expect(report.getByRole('heading', { name: 'Déclaration produite : 1 titulaire déclaré' })).toBeVisible();
  const refused = report.getByRole('listitem').filter({ hasText: 'Camille Bernard' }).first();
  await expect(refused).toContainText('Code INSEE de la commune de naissance (ou, à défaut, son code postal) : à renseigner.');
  await expect(lea).toContainText('Déclaré le');
  await checkFromTop(page, 'accrochage-report-refused');

  await refused.getByRole('link', { name: 'Compléter l’identité de Camille Bernard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Identité de Camille Bernard' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Commune de naissance \(code\)/ })).toContainText('Non renseigné');
  // A code of the wrong length: refused beside its field, in French.
  const insee = page.getByLabel('Code INSEE de la commune de naissance');
  await insee.fill('1305');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await expect(insee).toHaveAccessibleDescription(/Code INSEE : 5 caractères/);
  await checkFromTop(page, 'accrochage-identity-refused');
  await insee.fill('13055');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Identité mise à jour : codes du lieu de naissance.' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Commune de naissance \(code\)/ })).toContainText('13055');
  await checkFromTop(page, 'accrochage-identity-completed');
  await page.getByRole('link', { name: 'Retour à l’accrochage' }).first().click();

  // Produced again: Camille alone, Léa not declared twice; the file downloaded from the screen is valid.
  report = await produce(page);
  await expect(report.getByRole('heading', { name: 'Déclaration produite : 1 titulaire déclaré' })).toBeVisible();
  await expect(report).toContainText('1 titulaire déjà déclaré : non repris.');
  await expect(report.getByRole('listitem').filter({ hasText: 'Camille Bernard' })).toBeVisible();
  await expect(camilleRow).toContainText('Déclaré le');
  await checkFromTop(page, 'accrochage-report-declared');
  const [download] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Télécharger le fichier XML' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^JALON-[0-9A-F]+\.xml$/);
  const xml = readFileSync(await download.path(), 'utf8');
  const declared = ((await admin.get(HOLDERS)) as Holder[]).find((h) => h.enrollmentId === camillePath.id)!;
  expect(xml).toContain(`<cpf:idTechnique>${declared.idTechnique}</cpf:idTechnique>`);
  expect(xml).toContain('<cpf:codeInsee>13055</cpf:codeInsee>');
  expect(xml).not.toContain('69123');
  const checked = await validateFlux(xml);
  expect(checked.messages).toContain('validates');
  await api.dispose();

  // Another school, with no certifier configured: the screen says so, and what the operator sets.
  const other = await page.context().newPage();
  await signIn(other, `ecole-sans-accrochage-${process.pid}`);
  await other.getByRole('link', { name: 'Accrochage' }).click();
  await expect(other.getByText('L’accrochage n’est pas configuré')).toBeVisible();
  await expect(other.getByText('ACCROCHAGE_CERTIFIERS')).toBeVisible();
  await checkFromTop(other, 'accrochage-not-configured');
  await other.close();
});
