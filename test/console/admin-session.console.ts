import { expect, test } from '@playwright/test';
import { checkFromTop, parisDay, person, pick, Referential, signIn } from './console-support';

/**
 * Issue 20, part 2, in a school admin's hands: a session d'examen. The school has four candidates
 * in cohort 2026-S (one with a tiers-temps, one withdrawn) and one in another cohort. The admin
 * opens « Sessions d'examen », picks the version and the épreuve, narrows the list to the cohort,
 * selects its candidates (the withdrawn one is not offered), a day, a time, a place and an
 * assessor, and schedules: two « Planifié », and « Refusé » with its reason for the one whose
 * attempt at the épreuve is already under way. The session's page shows the start,
 * the base duration and the latest end (the tiers-temps's, whose never said); the admin records
 * the session held, one candidate absent: one « Tenu », one « Absent ».
 */

const SCHOOL = `ecole-session-${process.pid}`;

test('an admin schedules an épreuve for a group, sees its timetable, and records it held candidate by candidate', async ({ page, request }) => {
  test.setTimeout(60_000);
  const admin = await person(request, SCHOOL, 'admin');
  const referent = await person(request, SCHOOL, 'referent');
  const referential: Referential = await admin.get('/referentials/expert-ingenierie-science-donnees/versions/1');
  const epreuve = referential.blocs[0].epreuves.find((e) => (e as { timedParts?: unknown[] }).timedParts?.length)!;
  const enroll = async (cohort: string, n: number) => {
    const candidate = await admin.post('/candidates', {
      birthName: `Session${n}`,
      firstNames: ['Alex'],
      birthDate: '2000-01-01',
      sex: 'F',
      birthPlace: 'Lyon (69)',
      email: `session${n}.${process.pid}@exemple.fr`,
    });
    const enrolled = await admin.post('/enrollments', {
      candidateId: candidate.id,
      referentialId: 'expert-ingenierie-science-donnees',
      version: '1',
      cohort,
      accessRoute: 'formation-continue',
      optionBlocs: ['BC05'],
    });
    return { candidateId: candidate.id as string, enrollmentId: enrolled.id as string };
  };
  const group = [];
  for (let n = 1; n <= 4; n++) group.push(await enroll('2026-S', n));
  const elsewhere = await enroll('2026-T', 5);
  await referent.post(`/enrollments/${group[1].enrollmentId}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' });
  await admin.post(`/enrollments/${group[2].enrollmentId}/withdrawal`, { reason: 'abandon' });
  // The first candidate already has an attempt at the épreuve under way: their enrollment refuses a second.
  await admin.post(`/enrollments/${group[0].enrollmentId}/sittings`, {
    epreuveCode: epreuve.code,
    scheduledAt: '2026-05-04T09:00:00+02:00',
    assessorIds: ['assessor-1'],
  });

  await signIn(page, SCHOOL);
  await page.getByRole('link', { name: 'Sessions d’examen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions d’examen' })).toBeVisible();
  await checkFromTop(page, 'exam-session-empty');

  await pick(page, 'Certification', /Expert en ingénierie et/);
  await page.getByRole('combobox', { name: 'Épreuve' }).click();
  await page
    .getByRole('option', { name: new RegExp(`^${epreuve.code}`) })
    .first()
    .click();
  await page.getByRole('textbox', { name: 'Promotion' }).fill('2026-S');
  await page.getByRole('textbox', { name: 'Promotion' }).press('Enter');
  const list = page.getByRole('table').last();
  // In progress only: the withdrawn path is not offered; the other cohort is filtered out.
  await expect(list.getByRole('row').filter({ hasText: group[0].candidateId })).toBeVisible();
  await expect(list.getByRole('row').filter({ hasText: elsewhere.candidateId })).toHaveCount(0);
  await expect(list.getByRole('row').filter({ hasText: group[2].candidateId })).toHaveCount(0);
  await page.getByRole('button', { name: /Tout sélectionner/ }).click();
  await expect(page.getByText('3 candidat(s) sélectionné(s) sur 3')).toBeVisible();

  const day = parisDay(-1);
  await page.getByRole('textbox', { name: 'Jour' }).fill(day.typed);
  await page.getByRole('spinbutton', { name: 'Heure de début : heures' }).pressSequentially('0900');
  await page.getByRole('textbox', { name: 'Lieu' }).fill('Campus de Lyon, salle 204');
  await page.getByRole('textbox', { name: 'Évaluateurs' }).fill('assessor-1');
  await checkFromTop(page, 'exam-session-form');

  await page.getByRole('button', { name: 'Planifier la session (3 candidat(s))' }).click();
  await expect(page.getByRole('heading', { name: 'Session planifiée : 2 passage(s) sur 3' })).toBeVisible();
  const report = page.getByRole('table').first();
  await expect(report.getByRole('row').filter({ hasText: group[0].candidateId })).toContainText('Refusé');
  await expect(report.getByRole('row').filter({ hasText: group[0].candidateId })).toContainText('tentative');
  await expect(report.getByRole('row').filter({ hasText: group[1].candidateId })).toContainText('Planifié');
  await expect(report.getByRole('row').filter({ hasText: group[3].candidateId })).toContainText('Planifié');
  await checkFromTop(page, 'exam-session-scheduled');

  await page.getByRole('link', { name: 'Ouvrir la session' }).click();
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: /Session d’examen/ })).toBeVisible();
  await expect(page.getByText('Campus de Lyon, salle 204')).toBeVisible();
  await expect(page.getByRole('row', { name: /Fin au plus tard/ })).toBeVisible();
  // Nothing on the page says who has extra time.
  await expect(page.getByText(/tiers-temps/i)).toHaveCount(0);
  await checkFromTop(page, 'exam-session-page');

  await page.getByRole('checkbox', { name: `${group[3].candidateId} présent` }).uncheck();
  await page.getByRole('button', { name: 'Enregistrer la tenue de la session' }).click();
  const candidates = page.getByRole('table').nth(1);
  await expect(candidates.getByRole('row').filter({ hasText: group[0].candidateId })).toContainText('Non planifié');
  await expect(candidates.getByRole('row').filter({ hasText: group[1].candidateId })).toContainText('Tenu');
  await expect(candidates.getByRole('row').filter({ hasText: group[3].candidateId })).toContainText('Absent');
  await checkFromTop(page, 'exam-session-held');
});
