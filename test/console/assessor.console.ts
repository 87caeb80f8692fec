import { expect, request, test } from '@playwright/test';
import { join } from 'node:path';
import { criterionIds, epreuveToAssess } from '../../apps/web/src/pages/criteria';
import { indexReferential } from '../../libs/domain/src/referential/referential-index';
import type { Referential } from '../../libs/domain/src/referential/referential.model';
import { checkFromTop as checkScreen, person, signIn } from './console-support';

/**
 * An épreuve of seed 000 from its scheduling to its grading (issue 17): the admin schedules a
 * soutenance for a candidate with a tiers-temps and assigns its assessor; the assessor finds it in
 * « Mes épreuves » with the duration to apply (40 min for 30) and the instruction, never the
 * measure's details (R14); the admin records it held; the assessor grades it with the keyboard
 * alone, the form sending nothing until every criterion is ruled; the path shows the assessment;
 * the assessor corrects it, with the reason.
 */

const REFERENTIAL = 'expert-ingenierie-science-donnees';
const SCHOOL = `ecole-evaluation-${process.pid}-${Date.now()}`;
/** The measure's details: the referent's, never the assessor's. */
const DETAILS = 'salle isolée, pauses autorisées';
/** A soutenance of 30 min ruling on 5 criteria of two competencies (C2.3.1, C2.3.2). */
const EPREUVE = 'BC02-E3';
const CRITERIA = ['C2.3.1/CE1', 'C2.3.1/CE2', 'C2.3.1/CE3', 'C2.3.2/CE1', 'C2.3.2/CE2'];
let enrollmentId = '';

/** Yesterday on Paris clocks, as a French reader types it: the sitting is over when it is recorded held. */
const [YEAR, MONTH, DAY] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(Date.now() - 86_400_000).split('-');

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  const [admin, referent] = [await person(api, SCHOOL, 'admin'), await person(api, SCHOOL, 'referent')];
  const candidate = await admin.post('/candidates', {
    birthName: 'Moreau',
    firstNames: ['Inès'],
    birthDate: '1999-02-11',
    sex: 'F',
    birthPlace: 'Nantes (44)',
    email: 'ines.moreau@example.org',
  });
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
  // The disability referent grants a tiers-temps for every épreuve, with details only they read.
  const granted = await referent.post(`/enrollments/${enrollmentId}/accommodations`, {
    kind: 'tiers-temps',
    validFrom: `${Number(YEAR) - 1}-01-01`,
    details: DETAILS,
  });
  await admin.get(`/enrollments?pageSize=1&consistentWith=${granted.position}`);
  await api.dispose();
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The sittings table's row of the soutenance. */
const SITTING_ROW = new RegExp(`^${EPREUVE} \\(BC02\\), tentative 1`);

test('the console names every criterion of an épreuve as the api rules on them', async ({ baseURL }) => {
  // The console may not import libs/domain (it talks to the api only): its own derivation must agree with the domain's index.
  const api = await request.newContext({ baseURL });
  const published = (await (await api.get('/referentials')).json()) as { referential: string; version: string }[];
  expect(published.length).toBeGreaterThan(0);
  for (const { referential, version } of published) {
    const view = await (await api.get(`/referentials/${referential}/versions/${version}`)).json();
    const index = indexReferential(view as Referential);
    for (const [code, indexed] of index.epreuves)
      expect(criterionIds(epreuveToAssess(view, code)!.groups), `${referential}@${version} ${code}`).toEqual(indexed.criteria);
  }
  await api.dispose();
});

test('an admin schedules a soutenance, its assessor holds it to 40 min, grades it with the keyboard alone, then corrects it', async ({ page }) => {
  test.setTimeout(60_000);
  // The admin, on the candidate's path: schedule the soutenance, yesterday at 09:00 (Paris), with its assessor.
  await signIn(page, SCHOOL);
  await page.goto(`/parcours/${enrollmentId}`);
  await expect(page.getByRole('heading', { name: 'Programmer un passage' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Épreuve' }).click();
  await page.getByRole('option', { name: new RegExp(`^${EPREUVE} — `) }).click();
  await expect(page.getByText('Durée de base : Soutenance distancielle : 30 min')).toBeVisible();
  await page.getByLabel('Jour du passage').fill(`${DAY}/${MONTH}/${YEAR}`);
  // The time in French format whatever the browser's language: hours, then minutes.
  await page.getByRole('spinbutton', { name: 'Heure : heures' }).pressSequentially('0900');
  await expect(page.getByRole('spinbutton', { name: 'Heure : minutes' })).toHaveValue('00');
  await page.getByLabel('Évaluateurs').fill('assessor-1');
  await checkScreen(page, 'admin-schedule-sitting');
  await page.getByRole('button', { name: 'Programmer le passage' }).click();
  // The effective duration the api computed from the tiers-temps, shown once scheduled.
  const scheduled = page.getByRole('status').filter({ hasText: 'Passage programmé' });
  await expect(scheduled).toContainText(`${EPREUVE} — Projet professionnalisant`);
  await expect(scheduled).toContainText('09:00');
  await expect(scheduled).toContainText('Soutenance distancielle : 40 min (30 min de base)');
  await expect(page.getByRole('row', { name: SITTING_ROW })).toContainText('assessor-1');
  await checkScreen(page, 'admin-sitting-scheduled');

  // The assessor, in another tab: « Mes épreuves » is their first screen.
  const assessor = await page.context().newPage();
  await signIn(assessor, SCHOOL, 'assessor', /Évaluation/);
  await expect(assessor).toHaveURL(/\/mes-epreuves$/);
  const card = assessor.getByRole('region', { name: new RegExp(`^${EPREUVE} — `) });
  await expect(assessor.getByRole('heading', { name: 'À tenir (1)' })).toBeVisible();
  await expect(card.getByRole('row', { name: /^Durée/ })).toContainText('Soutenance distancielle : 40 min');
  await expect(card.getByRole('row', { name: /^Consignes/ })).toContainText('Temps majoré d’un tiers : appliquer les durées indiquées');
  // The duration to apply and the instruction, nothing more: neither the measure's details nor its base duration (R14).
  await expect(card).not.toContainText('30 min');
  await expect(assessor.getByText(DETAILS)).toHaveCount(0);
  await expect(card.getByRole('link', { name: 'Évaluer' })).toHaveCount(0);
  await checkScreen(assessor, 'assessor-my-sittings-to-hold');

  // The admin records it held (the assessor may too, from « Mes épreuves »: journey-seed-000): 40 minutes given, the measure given.
  await page.getByRole('button', { name: `Enregistrer la tenue de ${EPREUVE}, tentative 1` }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`^Tenue du passage : ${EPREUVE}`) })).toBeFocused();
  await expect(page.getByLabel('Soutenance distancielle : durée réelle')).toHaveValue('40');
  await page
    .getByRole('radiogroup', { name: /Aménagement prévu à ce passage/ })
    .getByRole('radio', { name: 'Donné', exact: true })
    .check();
  await checkScreen(page, 'admin-record-held');
  await page.getByRole('button', { name: 'Enregistrer la tenue', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tenue du passage enregistrée' })).toBeVisible();
  await expect(page.getByRole('row', { name: SITTING_ROW })).toContainText('Tenu le');

  // The assessor grades it, with the keyboard alone.
  await assessor.reload();
  await expect(assessor.getByRole('heading', { name: 'À évaluer (1)' })).toBeVisible();
  await card.getByRole('link', { name: 'Évaluer' }).click();
  await expect(assessor.getByRole('heading', { level: 1, name: new RegExp(`^Évaluer : ${EPREUVE}`) })).toBeVisible();
  await expect(assessor.getByRole('group', { name: /^C2\.3\.1 — / })).toBeVisible();
  await expect(assessor.getByRole('group', { name: /^C2\.3\.2 — / })).toBeVisible();
  const submit = assessor.getByRole('button', { name: 'Enregistrer l’évaluation' });
  await expect(submit).toBeDisabled();
  await checkScreen(assessor, 'assessor-grading-form');
  const sent: string[] = [];
  assessor.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/assessments')) sent.push(r.url());
  });
  await assessor.getByRole('link', { name: /Retour à mes épreuves/ }).focus();
  for (const [i, criterion] of CRITERIA.entries()) {
    const [competency, code] = criterion.split('/');
    const group = assessor.getByRole('group', { name: new RegExp(`^${escaped(competency)} — `) }).getByRole('radiogroup', { name: new RegExp(`^${code} — `) });
    await assessor.keyboard.press('Tab');
    const met = group.getByRole('radio', { name: 'Satisfait', exact: true });
    await expect(met).toBeFocused();
    // The focus is visible where it is.
    await expect(met).toHaveCSS('outline-style', 'solid');
    if (i === 0) {
      // The focused radio and its criterion, photographed for people to see the focus.
      const box = (await group.boundingBox())!;
      const clip = { x: 0, y: Math.max(0, box.y - 140), width: 900, height: box.height + 160 };
      await assessor.screenshot({ path: join(__dirname, '../../test-results/console-screens/assessor-grading-keyboard-focus.png'), clip });
    }
    if (i === CRITERIA.length - 1) {
      await expect(submit).toBeDisabled();
      await expect(assessor.getByText('Critères évalués : 4 sur 5 — encore 1 avant l’envoi')).toBeVisible();
      expect(sent).toEqual([]);
    }
    await assessor.keyboard.press('Space');
    if (criterion === 'C2.3.1/CE2') {
      // Mistaken on purpose: the arrow moves the choice to « Non satisfait », the correction will set it right.
      await assessor.keyboard.press('ArrowRight');
      await expect(group.getByRole('radio', { name: 'Non satisfait' })).toBeChecked();
    } else await expect(met).toBeChecked();
    await assessor.keyboard.press('Tab');
    await expect(assessor.getByRole('textbox', { name: `Commentaire (facultatif) sur ${criterion}` })).toBeFocused();
    if (i === 0) await assessor.keyboard.type('Modélisation claire, schéma commenté.');
  }
  await expect(assessor.getByText('Critères évalués : 5 sur 5 — 4 satisfait(s), 1 non satisfait(s) : l’épreuve n’est pas réussie.')).toBeVisible();
  await checkScreen(assessor, 'assessor-grading-form-ruled');
  await assessor.keyboard.press('Tab');
  await expect(submit).toBeFocused();
  await assessor.keyboard.press('Enter');

  // The path, read as far as the assessment, shows it under each competency it rules on.
  await expect(assessor).toHaveURL(new RegExp(`/parcours/${enrollmentId}$`));
  await expect(assessor.getByRole('status').filter({ hasText: 'Évaluation enregistrée.' })).toBeVisible();
  expect(sent).toHaveLength(1);
  const c231 = assessor.getByRole('row', { name: /^C2\.3\.1/ });
  await expect(c231).toContainText(`${EPREUVE}, tentative 1 : 2 critère(s) sur 3 satisfait(s)`);
  await expect(c231).toContainText('échouée');
  await expect(assessor.getByRole('row', { name: /^C2\.3\.2/ })).toContainText('2 critère(s) sur 2 satisfait(s)');
  // The durations to apply, not the base one, on the path too.
  await expect(assessor.getByRole('row', { name: SITTING_ROW })).toContainText('Soutenance distancielle : 40 min');
  await expect(assessor.getByRole('row', { name: SITTING_ROW })).not.toContainText('30 min');
  await checkScreen(assessor, 'assessor-path-assessed');

  // The correction, with its reason: every criterion ruled again.
  await assessor.goto('/mes-epreuves');
  await expect(assessor.getByRole('heading', { name: 'Évalués (1)' })).toBeVisible();
  await expect(card).toContainText('Évalué : échouée');
  await checkScreen(assessor, 'assessor-my-sittings-assessed');
  await card.getByRole('link', { name: 'Corriger l’évaluation' }).click();
  await expect(assessor.getByRole('heading', { level: 1, name: new RegExp(`^Corriger l’évaluation : ${EPREUVE}`) })).toBeVisible();
  await expect(assessor.getByText('Évaluation en vigueur :')).toContainText('échouée');
  for (const radio of await assessor.getByRole('radio', { name: 'Satisfait', exact: true }).all()) await radio.check();
  const correct = assessor.getByRole('button', { name: 'Enregistrer la correction' });
  await expect(correct).toBeDisabled();
  await assessor.getByLabel('Motif de la correction').fill('Erreur de saisie sur C2.3.1 CE2 : le critère est satisfait (grille signée).');
  await expect(correct).toBeEnabled();
  await checkScreen(assessor, 'assessor-correction-form');
  await correct.click();
  await expect(assessor.getByRole('status').filter({ hasText: 'Correction enregistrée' })).toBeVisible();
  await expect(c231).toContainText('3 critère(s) sur 3 satisfait(s)');
  await expect(c231).toContainText('réussie');
  await expect(c231).toContainText('corrigée');
  await checkScreen(assessor, 'assessor-path-corrected');

  // The admin's path shows the sitting assessed.
  await page.reload();
  await expect(page.getByRole('row', { name: SITTING_ROW })).toContainText('Évalué');
});
