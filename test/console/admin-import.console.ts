import { expect, test } from '@playwright/test';
import { checkFromTop, signIn } from './console-support';

/**
 * Issue 20, part 1, in a school admin's hands: a cohort imported from a spreadsheet. The admin
 * opens « Import de promotion », picks a CSV file of four rows (two good, one with a date that
 * does not exist, one on an unknown access route), checks it (nothing written: two « à importer »,
 * two « refusé » with their reasons under their columns), imports it, then imports it again:
 * « déjà importé ». A file whose headers are not the template's is refused whole, each column said.
 */

const SCHOOL = `ecole-import-${process.pid}`;
const HEADERS =
  'N° candidat;Nom de naissance;Nom d’usage;Prénoms;Date de naissance;Sexe;Lieu de naissance;Code INSEE de naissance;E-mail;Certification;Version;Promotion;Voie d’accès;Option';
const row = (n: string, name: string, first: string, date: string, route: string, option = 'BC05') =>
  `${n};${name};;${first};${date};F;Lyon (69);69123;${first.toLowerCase()}.${name.toLowerCase()}@exemple.fr;expert-ingenierie-science-donnees;1;2026-A;${route};${option}`;
const FILE = Buffer.from(
  [
    HEADERS,
    row('P-001', 'Martin', 'Léa', '14/03/2001', 'formation-initiale'),
    row('P-002', 'Bernard', 'Camille', '21/07/1999', 'formation-continue', 'BC04'),
    row('P-003', 'Petit', 'Inès', '31/02/2001', 'formation-initiale'),
    row('P-004', 'Moreau', 'Hugo', '02/05/2000', 'alternance'),
  ].join('\r\n') + '\r\n',
  'utf8',
);

test('an admin checks a cohort file, imports it, and importing it again creates nothing new', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, SCHOOL);
  await page.getByRole('link', { name: 'Import de promotion' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importer une promotion' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Importer', exact: true })).toBeDisabled();
  await checkFromTop(page, 'cohort-import-empty');

  await page.locator('input[type=file]').setInputFiles({ name: 'promotion-2026.csv', mimeType: 'text/csv', buffer: FILE });
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page.getByRole('heading', { name: 'Vérification : 4 lignes (rien n’est écrit)' })).toBeVisible();
  const table = page.getByRole('table');
  await expect(page.getByRole('status')).toContainText('2 à importer');
  await expect(page.getByRole('status')).toContainText('2 refusés');
  const refusedDate = table.getByRole('row').filter({ hasText: 'P-003' });
  await expect(refusedDate).toContainText('refusé');
  await expect(refusedDate).toContainText('Date de naissance : date invalide : JJ/MM/AAAA ou AAAA-MM-JJ, une date qui existe');
  await expect(table.getByRole('row').filter({ hasText: 'P-004' })).toContainText('Voie d’accès : valeur inconnue');
  await expect(table.getByRole('row').filter({ hasText: 'P-001' })).toContainText('à importer');
  await checkFromTop(page, 'cohort-import-checked');

  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import : 4 lignes' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('2 importés');
  await expect(table.getByRole('row').filter({ hasText: 'P-001' })).toContainText('importé');
  await checkFromTop(page, 'cohort-import-imported');

  // The same file again: checked, then imported, nothing new.
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page.getByRole('status')).toContainText('2 déjà importés');
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import : 4 lignes' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('2 déjà importés');
  await expect(page.getByRole('status')).not.toContainText('importés,');
  await checkFromTop(page, 'cohort-import-again');

  // An imported row opens its candidate's path.
  await table.getByRole('link', { name: 'Léa MARTIN' }).click();
  await expect(page).toHaveURL(/\/parcours\/[0-9a-f-]{36}$/);

  // A file that is not the template: refused whole, each column said.
  await page.goBack();
  await page.locator('input[type=file]').setInputFiles({
    name: 'autre.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('N° candidat;Nom;Prénoms\r\nX-1;Martin;Léa\r\n', 'utf8'),
  });
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await expect(page.getByRole('alert')).toContainText('Les en-têtes du fichier ne sont pas ceux du modèle');
  await expect(page.getByText('Nom : colonne inconnue (voir le modèle)')).toBeVisible();
  await expect(page.getByText('Nom de naissance : colonne obligatoire absente')).toBeVisible();
  await checkFromTop(page, 'cohort-import-wrong-columns');
});
