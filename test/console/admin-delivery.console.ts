import { Browser, expect, Page, request, test } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Acting, checkFromTop, passBloc, person, Referential, signIn } from './console-support';

/**
 * Issue 20, part 3, in a school admin's hands: the documents e-mailed to their holders. On an api
 * with delivery on (delivery-server.ts, started here: a real SMTP server that refuses the «
 * inconnu… » mailboxes), three holders get an attestation: Léa, whose e-mail goes; Camille, whose
 * address the mail server refuses; Noé, registered before addresses were asked, who has none. The
 * admin opens « Envois »: delivery on and its sender, what went, Camille's failure said in French
 * with the way to correct it, Noé listed with his document and the way to complete his address.
 * The admin completes Noé's address from the link, comes back: Noé has left the list, his document
 * sent late; corrects Camille's: nothing failed any more. An auditor reads the same screen without
 * the acts; on the other api (delivery off), the screen says so and what the operator sets.
 */

const SCHOOL = `ecole-envois-${process.pid}`;
const REFERENTIAL = 'data-ia-quatre-blocs';
const PORT = Number(process.env.CONSOLE_TEST_PORT) + 25;
const BASE = `http://127.0.0.1:${PORT}`;

type Api = Acting;
interface DeliveryView {
  outcomes: { sent: number; sentLate: number };
  failed: { candidateId?: string; reason: string }[];
  undelivered: { candidateId: string }[];
}

let server: ChildProcess | undefined;
let noeId = '';

/** The api with delivery on, on a database of its own: its `ready` line names the candidate without an address it registered. */
async function startDeliveryServer(): Promise<string> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', resolve(__dirname, 'delivery-server.ts')], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', DELIVERY_TEST_PORT: String(PORT), DELIVERY_TEST_SCHOOL: SCHOOL },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  server = child;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the delivery api did not start within 90 s:\n${stderr}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(out);
      if (ready) {
        clearTimeout(timer);
        done(ready[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the delivery api exited (${code}):\n${stderr}`));
    });
  });
}

/** Leaves the path's last e-mail sent as a killed worker would have (delivery-server.ts), its job run again: answers its event id once recorded unconfirmed. */
async function cutShort(enrollmentId: string): Promise<string> {
  const child = server!;
  return new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('the delivery api did not cut the e-mail short within 20 s')), 20_000);
    const listen = (chunk: Buffer) => {
      out += chunk.toString();
      const cut = /^cut-short (\S+)$/m.exec(out);
      if (!cut) return;
      clearTimeout(timer);
      child.stdout!.off('data', listen);
      done(cut[1]);
    };
    child.stdout!.on('data', listen);
    child.stdin!.write(`cut-short ${enrollmentId}\n`);
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  noeId = await startDeliveryServer();
});
test.afterAll(async () => {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((done) => server!.once('exit', done));
  server.kill('SIGTERM');
  await exited;
});

/** A page of its own on the delivery api, as the console's tests browse (French, Paris clocks). */
async function pageOnDeliveryApi(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1400, height: 900 } });
  return context.newPage();
}

/** Every épreuve of BC01 held and passed, then validated by the jury: its attestation is issued, and e-mailed. */
async function passFirstBloc(admin: Api, assessor: Api, jury: Api, referential: Referential, enrollmentId: string) {
  await passBloc(admin, assessor, jury, referential, enrollmentId, referential.blocs[0]);
}

async function enroll(admin: Api, candidateId: string): Promise<string> {
  return (await admin.post('/enrollments', { candidateId, referentialId: REFERENTIAL, version: '1', cohort: '2026-A', accessRoute: 'formation-continue' })).id;
}

test('an admin follows the documents e-mailed: a refused address and a missing one, each completed from the screen, then sent', async ({ browser }) => {
  test.setTimeout(120_000);
  const api = await request.newContext({ baseURL: BASE });
  const [admin, assessor, jury] = await Promise.all(['admin', 'assessor', 'jury'].map((role) => person(api, SCHOOL, role)));
  const referential: Referential = await admin.get(`/referentials/${REFERENTIAL}/versions/1`);
  const identity = { firstNames: ['Léa'], birthDate: '2001-03-14', sex: 'F', birthPlace: 'Lyon (69)' };
  const lea = await admin.post('/candidates', { ...identity, birthName: 'Martin', email: 'lea.martin@exemple.fr' });
  const camille = await admin.post('/candidates', { ...identity, firstNames: ['Camille'], birthName: 'Bernard', email: 'inconnu.camille@exemple.fr' });
  const paths = await Promise.all([lea.id, camille.id, noeId].map((id) => enroll(admin, id)));
  await Promise.all(paths.map((path) => passFirstBloc(admin, assessor, jury, referential, path)));
  // Each attestation issued and its e-mail tried: one sent, one refused, one without an address.
  await expect
    .poll(
      async () => {
        const view = (await admin.get('/admin/delivery')) as DeliveryView;
        return [view.outcomes.sent, view.failed.length, view.undelivered.length];
      },
      { timeout: 30_000 },
    )
    .toEqual([1, 1, 1]);

  const page = await pageOnDeliveryApi(browser);
  await signIn(page, SCHOOL);
  await page.getByRole('link', { name: 'Envois' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Envoi des documents par courriel' })).toBeVisible();
  await expect(page.getByText('L’envoi par courriel est activé')).toBeVisible();
  await expect(page.getByText('Les courriels partent de École Data IA <certificats@ecole-data-ia.fr>')).toBeVisible();
  const noEmail = page.getByRole('table', { name: 'Titulaires sans adresse électronique' });
  const noe = noEmail.getByRole('row').filter({ hasText: 'Noé Lambert' });
  await expect(noe).toContainText(/Attestation de réussite n° JAL-A-/);
  await expect(noe).toContainText('Délivrance');
  const failed = page.getByRole('table', { name: 'Envois en échec' });
  const camilleRow = failed.getByRole('row').filter({ hasText: 'Camille Bernard' });
  await expect(camilleRow).toContainText('Adresse refusée');
  await expect(camilleRow).toContainText('le plus souvent parce que l’adresse n’existe pas');
  await expect(camilleRow).toContainText('550');
  await expect(page.getByRole('group', { name: 'Envoyés' })).toContainText('1');
  await expect(page.getByRole('group', { name: 'En échec' })).toContainText('1');
  await expect(page.getByRole('group', { name: 'Sans adresse électronique' })).toContainText('1');
  await checkFromTop(page, 'delivery-to-do');

  // An auditor reads the same screen, without the acts (completing an identity is the school's) nor names (by their path).
  const auditor = await pageOnDeliveryApi(browser);
  await signIn(auditor, 'cnc', 'auditor', /Audit/);
  await auditor.getByRole('link', { name: 'Envois' }).click();
  await expect(
    auditor.getByRole('table', { name: 'Titulaires sans adresse électronique' }).getByRole('link', { name: `Candidat ${noeId.slice(0, 8)}…` }),
  ).toBeVisible();
  await expect(auditor.getByRole('link', { name: /Compléter l’adresse/ })).toHaveCount(0);
  await expect(auditor.getByRole('link', { name: /Corriger l’adresse/ })).toHaveCount(0);
  await checkFromTop(auditor, 'delivery-auditor');
  await auditor.context().close();

  // Noé's address, completed from the link; back on the screen, he has left the list and his attestation went.
  await noe.getByRole('link', { name: 'Compléter l’adresse de Noé Lambert' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Identité de Noé Lambert' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Adresse électronique/ })).toContainText('Non renseignée');
  await checkFromTop(page, 'delivery-identity-without-address');
  await page.getByRole('textbox', { name: 'Adresse électronique' }).fill('noe.lambert@exemple.fr');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Identité mise à jour : adresse électronique.' })).toBeVisible();
  await page.getByRole('link', { name: 'Retour aux envois des documents' }).first().click();
  await expect(page.getByText('Tous les titulaires ont une adresse électronique : rien à compléter.')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('dont 1 après complétion de l’adresse')).toBeVisible();
  await checkFromTop(page, 'delivery-address-completed');

  // Camille's address, corrected: her attestation goes at once, nothing failed any more.
  await camilleRow.getByRole('link', { name: 'Corriger l’adresse de Camille Bernard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Identité de Camille Bernard' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Adresse électronique' }).fill('camille.bernard@exemple.fr');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Identité mise à jour : adresse électronique.' })).toBeVisible();
  await page.getByRole('link', { name: 'Retour aux envois des documents' }).first().click();
  await expect(page.getByText('Aucun envoi en échec.')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('group', { name: 'Envoyés' })).toContainText('3');
  await expect(page.getByRole('group', { name: 'En échec' })).toContainText('0');
  await checkFromTop(page, 'delivery-all-sent');

  // Léa's e-mail, as a worker killed after handing it to the mail server leaves it: not sent again, listed as unconfirmed.
  const leaEvent = await cutShort(paths[0]);
  await page.reload();
  const unconfirmed = page.getByRole('table', { name: 'Envois non confirmés' });
  const leaRow = unconfirmed.getByRole('row').filter({ hasText: 'Léa Martin' });
  await expect(leaRow).toContainText(/Attestation de réussite n° JAL-A-/);
  await expect(page.getByText('Demandez au titulaire s’il l’a reçu ; sinon, renvoyez-le.')).toBeVisible();
  await expect(page.getByRole('link', { name: '1 non confirmé (voir plus bas)' })).toBeVisible();
  await checkFromTop(page, 'delivery-unconfirmed');
  // Léa did not get it: the admin sends it again; it goes, once more, and leaves the list.
  await leaRow.getByRole('button', { name: /^Renvoyer \(Attestation de réussite n° JAL-A-/ }).click();
  // Said at the top of the page: it stays when the list read again no longer holds Léa's row.
  await expect(page.getByRole('status').filter({ hasText: 'Renvoyé : le courriel repart dans les secondes qui suivent.' })).toBeVisible();
  await expect
    .poll(async () => ((await admin.get('/admin/delivery')) as DeliveryView & { unconfirmed: { eventId: string }[] }).outcomes.sent, { timeout: 15_000 })
    .toBe(2);
  await expect(page.getByRole('table', { name: 'Envois non confirmés' })).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Renvoyé : le courriel repart dans les secondes qui suivent.' })).toBeVisible();
  await checkFromTop(page, 'delivery-resent');
  await page.reload();
  await expect(page.getByRole('table', { name: 'Envois non confirmés' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Envoyés' })).toContainText('3');
  expect(((await admin.get('/admin/delivery')) as { unconfirmed: { eventId: string }[] }).unconfirmed.map((u) => u.eventId)).not.toContain(leaEvent);
  await page.context().close();
  await api.dispose();
});

test('with delivery off, the screen says so, what it means, and what the operator sets; nothing to do', async ({ page }) => {
  await signIn(page, `ecole-sans-envoi-${process.pid}`);
  await page.getByRole('link', { name: 'Envois' }).click();
  await expect(page.getByText('L’envoi par courriel est désactivé')).toBeVisible();
  await expect(page.getByText('SMTP_URL')).toBeVisible();
  await expect(page.getByText('Tous les titulaires ont une adresse électronique : rien à compléter.')).toBeVisible();
  await expect(page.getByText('Aucun envoi en échec.')).toBeVisible();
  await checkFromTop(page, 'delivery-off');
});
