import { expect, request, test } from '@playwright/test';
import { checkScreen, criteriaOf, person, Referential, signIn } from './console-support';

/**
 * An auditor's read side: any enrollment across organisations, a bloc's provenance as a timeline
 * with event ids and positions, a path as it stood before the jury's decision, the R11 findings.
 */

const REFERENTIAL = 'data-ia-quatre-blocs';
const SCHOOL = `ecole-audit-${process.pid}-${Date.now()}`;
let validatedId = '';
let findingId = '';
let beforeDecision = '';

test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  const [admin, assessor, jury, referent] = await Promise.all(['admin', 'assessor', 'jury', 'referent'].map((role) => person(api, SCHOOL, role)));
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  const enroll = async (n: number) => {
    const candidate = await admin.post('/candidates', {
      birthName: `Durand${n}`,
      firstNames: ['Inès'],
      birthDate: '2000-01-02',
      sex: 'F',
      birthPlace: 'Nantes (44)',
      email: `ines${n}@example.org`,
    });
    return (
      await admin.post('/enrollments', {
        candidateId: candidate.id,
        referentialId: REFERENTIAL,
        version: '1',
        cohort: '2026-B',
        accessRoute: 'formation-continue',
      })
    ).id as string;
  };
  const sit = async (enrollmentId: string, epreuveCode: string, options: { assess: boolean }) => {
    const epreuve = referential.blocs.flatMap((b) => b.epreuves).find((e) => e.code === epreuveCode)!;
    const sitting = await admin.post(`/enrollments/${enrollmentId}/sittings`, {
      epreuveCode,
      scheduledAt: '2026-06-15T09:00:00Z',
      assessorIds: [assessor.subject],
    });
    await admin.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/held`, {
      heldAt: '2026-06-15T09:00:00Z',
      timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
      accommodationsApplied: [],
    });
    if (options.assess)
      await assessor.post(`/enrollments/${enrollmentId}/sittings/${sitting.id}/assessments`, {
        results: criteriaOf(referential, epreuve).map((criterion) => ({ criterion, met: true })),
      });
  };

  validatedId = await enroll(1);
  for (const epreuve of referential.blocs.find((b) => b.code === 'BC01')!.epreuves) await sit(validatedId, epreuve.code, { assess: true });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  beforeDecision = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await jury.post(`/enrollments/${validatedId}/blocs/BC01/validation`);

  // A tiers-temps granted, then a sitting held without it: a finding (R11).
  findingId = await enroll(2);
  await referent.post(`/enrollments/${findingId}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' });
  const last = await admin.post(`/enrollments/${findingId}/sittings`, {
    epreuveCode: 'BC02-E1',
    scheduledAt: '2026-06-16T09:00:00Z',
    assessorIds: [assessor.subject],
  });
  const epreuve = referential.blocs.flatMap((b) => b.epreuves).find((e) => e.code === 'BC02-E1')!;
  const held = await admin.post(`/enrollments/${findingId}/sittings/${last.id}/held`, {
    heldAt: '2026-06-16T09:00:00Z',
    timedParts: (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
    accommodationsApplied: [],
  });
  await admin.get(`/enrollments?pageSize=1&consistentWith=${held.position}`);
  await api.dispose();
});

test('an auditor finds a path in any organisation, traces a bloc, and looks back before the decision', async ({ page }) => {
  await signIn(page, 'cnc', 'auditor', /Audit/);
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
  await page.getByRole('link', { name: 'Inscriptions' }).click();
  await page.getByRole('textbox', { name: 'Organisme' }).fill(SCHOOL);
  await page.getByRole('textbox', { name: 'Organisme' }).press('Enter');
  await expect(page.getByText('2 inscriptions correspondantes')).toBeVisible();
  await checkScreen(page, 'auditor-enrollments');

  await page.goto(`/parcours/${validatedId}`);
  await page.getByRole('link', { name: 'Provenance BC01' }).click();
  await expect(page).toHaveURL(new RegExp(`/parcours/${validatedId}/blocs/BC01/provenance$`));
  await expect(page.getByText('Bloc validé', { exact: true })).toBeVisible();
  await expect(page.getByText('Évaluation enregistrée', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/jury-1 \(Jury\)/).first()).toBeVisible();
  // Every fact carries its event id and position, each with a copy button.
  await expect(page.getByRole('button', { name: /Copier Événement [0-9a-f-]{36}/ }).first()).toBeVisible();
  await checkScreen(page, 'auditor-provenance');

  await page.goto(`/parcours/${validatedId}?asOf=${encodeURIComponent(beforeDecision)}`);
  await expect(page.getByText('Tel qu’il était le', { exact: true })).toBeVisible();
  await expect(page.getByText(/Parcours tel qu’il était le/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^BC01/ })).toContainText('Validable');
  await checkScreen(page, 'auditor-path-as-of');
  await page.getByRole('button', { name: 'Revenir à aujourd’hui' }).click();
  await expect(page.getByRole('button', { name: /^BC01/ })).toContainText('Validé');
});

test('an auditor reads the accommodations granted but not applied, with their trace', async ({ page }) => {
  await signIn(page, 'cnc', 'auditor', /Audit/);
  await page.goto(`/constats?organisationId=${SCHOOL}`);
  await expect(page.getByRole('link', { name: findingId.slice(0, 8) })).toBeVisible();
  await expect(page.getByText('BC02-E1')).toBeVisible();
  await checkScreen(page, 'auditor-findings');
});
