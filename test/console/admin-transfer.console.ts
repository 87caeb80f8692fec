import { expect, Page, request, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFromTop as checkScreen, criteriaOf, person, Referential } from './console-support';

/**
 * An admin closes or moves a path on (R13, issue 17): transfers a path to version 2 of its
 * référentiel after a preview of the blocs that carry over, and lands on the new path with the
 * carried bloc validated, the old one transferred; records a candidate's withdrawal with its
 * reason, a refused one said in French beside the field with what was typed kept.
 */

const REFERENTIAL = 'data-ia-quatre-blocs';
const SCHOOL = `ecole-transfert-${process.pid}-${Date.now()}`;
const REASON = 'Réorientation vers un BTS SIO, annoncée par courriel le 2 juin';

/** One path with BC01 validated by the jury (to transfer); one with a sitting scheduled (to withdraw from). */
let transferred = '';
let withdrawn = '';

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  const [admin, assessor, jury] = [await person(api, SCHOOL, 'admin'), await person(api, SCHOOL, 'assessor'), await person(api, SCHOOL, 'jury')];
  // Version 2: the shipped file, renumbered (published once whatever the number of runs: the same content).
  const v1 = readFileSync(join(__dirname, `../../referentials/${REFERENTIAL}@1.yaml`), 'utf8');
  await admin.post('/referentials', { content: v1.replace(/^version: .*$/m, 'version: "2"') });
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  const enroll = async (birthName: string) => {
    const candidate = await admin.post('/candidates', {
      birthName,
      firstNames: ['Inès'],
      birthDate: '2000-05-09',
      sex: 'F',
      birthPlace: 'Nantes (44)',
      email: `ines.${birthName.toLowerCase()}@example.org`,
    });
    const enrolled = await admin.post('/enrollments', {
      candidateId: candidate.id,
      referentialId: REFERENTIAL,
      version: '1',
      cohort: '2026-T',
      accessRoute: 'vae',
    });
    return enrolled.id as string;
  };
  transferred = await enroll('Lefèvre');
  const epreuve = referential.blocs.find((b) => b.code === 'BC01')!.epreuves[0];
  const sitting = await admin.post(`/enrollments/${transferred}/sittings`, {
    epreuveCode: epreuve.code,
    scheduledAt: '2026-06-15T09:00:00Z',
    assessorIds: [assessor.subject],
  });
  await admin.post(`/enrollments/${transferred}/sittings/${sitting.id}/held`, {
    heldAt: '2026-06-15T09:00:00Z',
    timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
    accommodationsApplied: [],
  });
  await assessor.post(`/enrollments/${transferred}/sittings/${sitting.id}/assessments`, {
    results: criteriaOf(referential, epreuve).map((criterion) => ({ criterion, met: true })),
  });
  await jury.post(`/enrollments/${transferred}/blocs/BC01/validation`);

  withdrawn = await enroll('Moreau');
  const scheduled = await admin.post(`/enrollments/${withdrawn}/sittings`, {
    epreuveCode: epreuve.code,
    scheduledAt: '2026-09-15T09:00:00Z',
    assessorIds: [assessor.subject],
  });
  await admin.get(`/enrollments?pageSize=1&consistentWith=${scheduled.position}`);
  await api.dispose();
});

async function signInAt(page: Page, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/connexion$/);
  await page.getByRole('textbox', { name: 'Organisme' }).fill(SCHOOL);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
}

test('an admin previews the blocs a transfer carries to version 2, confirms, and lands on the new path', async ({ page }) => {
  await signInAt(page, `/parcours/${transferred}`);
  await page.getByRole('link', { name: 'Transférer vers une autre version' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Transférer le parcours vers une autre version' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Confirmer le transfert' })).toBeDisabled();
  await checkScreen(page, 'transfer-form');

  await page.getByRole('combobox', { name: 'Version de destination' }).click();
  await page.getByRole('option', { name: /4 blocs.*\(v2\)$/ }).click();
  // The correspondence: the validated bloc to the bloc of the same code, the others not carried.
  await expect(page.getByRole('combobox', { name: 'Bloc de la nouvelle version sur lequel reporter BC01' })).toHaveValue(/^BC01 — /);
  const correspondence = page.getByRole('region', { name: 'Correspondance des blocs' });
  await expect(correspondence.getByRole('row').filter({ hasText: /^BC02/ })).toContainText('Non reportable');
  // The preview, before anything is sent: BC01 validated by carry-over, the three others to pass.
  const preview = page.getByRole('region', { name: 'Aperçu du transfert' });
  await expect(preview).toContainText('1 bloc reporté, déjà validé. 3 blocs à passer.');
  await expect(preview.getByRole('row').filter({ hasText: /^BC01/ })).toContainText(/Validé par report\s*depuis BC01, validé le \d{2}\/\d{2}\/\d{4}/);
  for (const bloc of ['BC02', 'BC03', 'BC04']) await expect(preview.getByRole('row').filter({ hasText: new RegExp(`^${bloc}`) })).toContainText('À passer');
  await checkScreen(page, 'transfer-preview');

  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/enrollments/${transferred}/transfer`));
  await page.getByRole('button', { name: 'Confirmer le transfert' }).click();
  expect((await sent).postDataJSON()).toEqual({
    toReferentialId: REFERENTIAL,
    toVersion: '2',
    carriedBlocs: [{ fromBloc: 'BC01', toBloc: 'BC01' }],
    optionBlocs: [],
  });

  // The new path, read as far as the transfer: BC01 validated by carry-over.
  await expect(page).toHaveURL(/\/parcours\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toContain(transferred);
  await expect(page.getByRole('status').filter({ hasText: 'Transfert enregistré' })).toContainText('(v2) : 1 bloc reporté, validé.');
  await expect(page.getByRole('button', { name: /^BC01/ })).toContainText(/Validé le .* par report lors d’un transfert\s*Validé$/);
  await expect(page.getByRole('button', { name: /^BC02/ })).toContainText('Non commencé');
  await expect(page.getByText('En cours', { exact: true })).toBeVisible();
  await checkScreen(page, 'transfer-new-path');

  // The old one: transferred, closed, with the way to the new one.
  const next = page.url();
  await page.getByRole('link', { name: 'Voir l’ancien parcours, désormais clos' }).click();
  await expect(page).toHaveURL(new RegExp(`/parcours/${transferred}$`));
  await expect(page.getByText('Transféré', { exact: true })).toBeVisible();
  await expect(page.getByText(/^Ce parcours a été transféré vers .* \(v2\) : il est clos/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Transférer vers une autre version' })).toHaveCount(0);
  await checkScreen(page, 'transfer-old-path');
  await page.getByRole('link', { name: 'Ouvrir le nouveau parcours' }).click();
  await expect(page).toHaveURL(next);
});

test('an admin records a withdrawal with its reason; a refused one is said beside the field, what was typed kept', async ({ page }) => {
  await signInAt(page, `/parcours/${withdrawn}`);
  await page.getByRole('link', { name: 'Enregistrer un abandon' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enregistrer l’abandon du candidat' })).toBeVisible();
  await expect(page.getByText('Le passage programmé ne pourra pas être tenu : BC01-E1, 15 sept. 2026, 11:00.')).toBeVisible();
  await checkScreen(page, 'withdrawal-form');

  // No reason: refused, said beside the field.
  const reason = page.getByRole('textbox', { name: 'Motif de l’abandon' });
  await page.getByRole('button', { name: 'Enregistrer l’abandon' }).click();
  await expect(reason).toHaveAccessibleDescription(/À renseigner\./);
  await expect(reason).toBeFocused();
  // Too long: refused, the reason typed kept as it was.
  const long = `${REASON}. ${'Détails de l’échange avec le candidat. '.repeat(14)}`;
  await reason.fill(long);
  await page.getByRole('button', { name: 'Enregistrer l’abandon' }).click();
  await expect(reason).toHaveAccessibleDescription(/500 caractères au plus\./);
  await expect(reason).toHaveValue(long);
  await expect(page.getByRole('alert').filter({ hasText: 'Refusé' })).toContainText('REQUEST.INVALID');
  await checkScreen(page, 'withdrawal-refused');

  await reason.fill(REASON);
  await page.getByRole('button', { name: 'Enregistrer l’abandon' }).click();
  await expect(page).toHaveURL(new RegExp(`/parcours/${withdrawn}$`));
  const notice = page.getByRole('status').filter({ hasText: 'Abandon enregistré' });
  await expect(notice).toContainText('ses blocs validés restent acquis');
  await expect(notice).toContainText(`Motif : ${REASON}`);
  await expect(page.getByText('Abandon', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enregistrer un abandon' })).toHaveCount(0);
  await checkScreen(page, 'withdrawal-recorded');
});
