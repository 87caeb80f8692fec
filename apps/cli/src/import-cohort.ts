// `import cohort FILE --org ORG [--dry-run] [--url URL]`: the file goes to the running service's
// POST /imports/cohort, as an admin of ORG (a token signed with the service's secret, as `token`
// makes), so every row is checked and written by the api's own rules; a large file's job is
// followed with a progress bar. Loaded by main.ts only for this command.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig, resolveJwtSecret } from '@jalon/config';
import { renderProgress } from './progress-bar';

const USAGE = 'usage: npm run cli -- import cohort FILE --org ORG [--dry-run] [--url URL]   (FILE: .csv or .xlsx, the template’s headers)';

interface Reason {
  readonly column: string;
  readonly message: string;
}
interface RowReport {
  readonly row: number;
  readonly candidateNumber: string;
  readonly name?: string;
  readonly status: string;
  readonly completed?: boolean;
  readonly reasons: readonly Reason[];
}
interface ImportView {
  readonly id: string;
  readonly status: 'running' | 'done' | 'failed' | 'interrupted';
  readonly total: number;
  readonly processed: number;
  readonly error: string | null;
  readonly report: { readonly counts: Record<string, number>; readonly rows: readonly RowReport[] } | null;
}

const FRENCH: Record<string, string> = {
  imported: 'importé',
  'already-imported': 'déjà importé',
  refused: 'refusé',
  incomplete: 'incomplet',
  'to-import': 'à importer',
};

export async function importCohort(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { org: { type: 'string' }, 'dry-run': { type: 'boolean' }, url: { type: 'string' } },
  });
  const [what, file] = positionals;
  if (what !== 'cohort' || !file || !values.org || positionals.length > 2) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const base = (values.url ?? process.env.JALON_URL ?? `http://localhost:${config.port}`).replace(/\/$/, '');
  const bytes = await readFile(file);
  const { SignJWT } = await import('jose');
  const token = await new SignJWT({ role: 'admin', org: values.org })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`cli:${userInfo().username}`)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(resolveJwtSecret(config)));
  const headers = { authorization: `Bearer ${token}` };
  const form = new FormData();
  form.append('file', new Blob([bytes]), basename(file));
  const started = Date.now();
  let view = await call<ImportView>(fetch(`${base}/imports/cohort${values['dry-run'] ? '?dryRun=true' : ''}`, { method: 'POST', headers, body: form }), base);
  while (view.status === 'running') {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? view.processed / seconds : 0;
    const progress = {
      done: view.processed,
      eventsPerSecond: rate,
      fraction: view.total > 0 ? view.processed / view.total : 1,
      etaSeconds: rate > 0 ? (view.total - view.processed) / rate : undefined,
    };
    process.stderr.write(`\r${renderProgress(progress, { plural: 'rows', rate: 'rows/s' })}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    view = await call<ImportView>(fetch(`${base}/imports/${view.id}`, { headers }), base);
  }
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `\r${renderProgress({ done: view.total, eventsPerSecond: seconds > 0 ? view.total / seconds : 0, fraction: 1, etaSeconds: 0 }, { plural: 'rows', rate: 'rows/s' })}\n`,
  );
  if (view.status !== 'done' || !view.report) {
    console.error(`import ${view.id} ${view.status}: ${view.error ?? 'no report'}`);
    return 1;
  }
  for (const row of view.report.rows) {
    if (row.status === 'imported' || row.status === 'already-imported' || row.status === 'to-import') continue;
    const reasons = row.reasons.map((r) => `${r.column} : ${r.message}`).join(' ; ');
    console.log(`ligne ${row.row}  ${row.candidateNumber}  ${row.name ?? ''}  ${FRENCH[row.status] ?? row.status}  ${reasons}`);
  }
  const counts = Object.keys(FRENCH)
    .filter((status) => view.report!.counts[status] > 0)
    .map((status) => `${view.report!.counts[status]} ${FRENCH[status]}`);
  console.log(`${values['dry-run'] ? 'vérification (rien n’est écrit)' : 'import'} ${view.id} : ${view.total} ligne(s) — ${counts.join(', ') || 'aucune'}`);
  return view.report.counts.refused > 0 || view.report.counts.incomplete > 0 ? 1 : 0;
}

/** The answer's JSON, or its problem in one line. */
async function call<T>(answer: Promise<Response>, base: string): Promise<T> {
  let response: Response;
  try {
    response = await answer;
  } catch (error) {
    throw new Error(`the service does not answer at ${base} (start it, or give --url or JALON_URL): ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const columns = Array.isArray(body.columns)
      ? ` (${(body.columns as Reason[]).map((c) => `${c.column}: ${c.message ?? (c as unknown as { reason: string }).reason}`).join('; ')})`
      : '';
    throw new Error(`${response.status} ${String(body.code ?? '')}: ${String(body.detail ?? response.statusText)}${columns}`);
  }
  return body as T;
}
