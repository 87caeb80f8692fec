import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { loadConfig } from '@jalon/config';
import { EventStore } from '@jalon/event-store';
import { spawnService } from '@jalon/event-store/testing/child-worker';
import { ProjectionRunner } from '@jalon/projections';
import { EVENT_STORE } from '@jalon/runtime';
import { createApp } from '../apps/api/src/create-app';
import { COHORT_COLUMNS } from '../apps/api/src/imports/cohort-sheet/cohort-columns';
import { readCohortSheet } from '../apps/api/src/imports/cohort-sheet/read-cohort-sheet';
import { CohortImportReport, CohortImports } from '../apps/api/src/imports/import-cohort/cohort-import.service';
import { BENCH_MASTER_KEYS } from './bench-master-keys';
import { stopProcess, waitForLine } from './deployed-api';
import { sampleLiveHeap } from './live-heap';

/** One organisation per shape: a row's ids derive from the organisation and its number, so each shape imports the file anew. */
const ORGANISATIONS = { deployed: 'bench-import', oneProcess: 'bench-import-one-process' } as const;

/** One import of the whole file. */
export interface ImportRun {
  readonly seconds: number;
  readonly perSecond: number;
  readonly imported: number;
  /** Live heap (after a collection) of the importing process above its level before the import, at its highest (sampled every second: a collection takes a few ms of the timing). */
  readonly peakHeapGrowthMb: number;
}

export interface ImportResult {
  readonly rows: number;
  readonly fileBytes: number;
  /**
   * As deployed (docker-compose, README): the api imports the file (CohortImports, what the route
   * and its jobs run: every row checked, decided, registered and enrolled), a worker process runs
   * the projections meanwhile; the api runs none (RUN_PROJECTIONS=false).
   */
  readonly deployed: ImportRun & {
    /** From the start of the import until the worker's projections have applied all it wrote. */
    readonly projectedSeconds: number;
  };
  /** In one process that runs its projections too, as `npm start` runs: on two cores, the import and the projections share one. */
  readonly oneProcess: ImportRun;
  /** The same file only parsed (csv-parse, the column map): the floor of any import of it. */
  readonly parse: { readonly seconds: number; readonly perSecond: number };
}

/** A cohort CSV of `rows` good rows of seed 000, written as a stream. */
async function writeCohortFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  };
  await write(COHORT_COLUMNS.map((c) => c.header).join(';'));
  for (let i = 0; i < rows; i++) {
    const cells: Record<string, string> = {
      candidateNumber: `B-${String(i).padStart(6, '0')}`,
      birthName: `Martin${i}`,
      firstNames: 'Léa, Marie',
      birthDate: `${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/${1990 + (i % 15)}`,
      sex: i % 2 ? 'F' : 'M',
      birthPlace: 'Lyon (69)',
      inseeCode: '69123',
      email: `candidat${i}@example.org`,
      referentialId: 'expert-ingenierie-science-donnees',
      version: '1',
      cohort: `2026-${'ABCD'[i % 4]}`,
      accessRoute: i % 3 ? 'formation-initiale' : 'formation-continue',
      optionBlocs: i % 2 ? 'BC04' : 'BC05',
      trainingStartDate: '01/09/2025',
    };
    await write(COHORT_COLUMNS.map((c) => cells[c.key] ?? '').join(';'));
  }
  out.end();
  await once(out, 'finish');
}

/**
 * import_rows_per_s: a file of `rows` rows imported by the api's own import, streamed from disk,
 * on the bench database, as deployed (a worker process running the projections) and in one
 * process (the api running them); against parsing the same file alone.
 */
export async function measureImport(databaseUrl: string, rows: number, log: (line: string) => void): Promise<ImportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jalon-bench-import-'));
  const file = join(dir, 'promotion.csv');
  const env = {
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    EVENT_STORE: 'postgres',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MASTER_KEYS: BENCH_MASTER_KEYS,
    PUBLIC_BASE_URL: 'https://certificats.jalon.test',
    REDIS_PREFIX: `jalon-bench-import-${randomBytes(4).toString('hex')}`,
    RUN_ISSUANCE: 'false',
  };
  try {
    await writeCohortFile(file, rows);
    const fileBytes = statSync(file).size;
    const started = performance.now();
    let parsed = 0;
    for await (const _ of readCohortSheet(createReadStream(file), 'csv')) parsed++;
    const parseSeconds = (performance.now() - started) / 1000;
    log(`  parsed ${parsed} rows in ${parseSeconds.toFixed(2)} s`);

    log('  as deployed: the api imports, a worker process runs the projections');
    const api = await createApp(loadConfig({ ...env, RUN_PROJECTIONS: 'false' }));
    let deployed: ImportResult['deployed'];
    try {
      await api.init();
      const worker = spawnService('worker', env);
      try {
        await waitForLine(worker, 'Jalon worker running');
        const { run, startedAt } = await importFile(api, file, rows, ORGANISATIONS.deployed, log);
        const head = await api.get<EventStore>(EVENT_STORE).headPosition();
        if (!(await api.get(ProjectionRunner).waitUntilReached(head, 300_000))) throw new Error('the worker did not apply the import within 5 minutes');
        deployed = { ...run, projectedSeconds: (performance.now() - startedAt) / 1000 };
        log(`  the worker's projections had applied all of it ${deployed.projectedSeconds.toFixed(1)} s after the import started`);
      } finally {
        await stopProcess(worker);
      }
    } finally {
      await api.close();
    }

    log('  in one process: the api imports and runs the projections');
    const alone = await createApp(loadConfig(env));
    let oneProcess: ImportRun;
    try {
      await alone.init();
      oneProcess = (await importFile(alone, file, rows, ORGANISATIONS.oneProcess, log)).run;
    } finally {
      await alone.close();
    }
    return {
      rows,
      fileBytes,
      deployed,
      oneProcess,
      parse: { seconds: parseSeconds, perSecond: parsed / parseSeconds },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file imported once by the app's CohortImports for an admin of `organisationId`, every row expected imported. */
async function importFile(
  app: INestApplication,
  file: string,
  rows: number,
  organisationId: string,
  log: (line: string) => void,
): Promise<{ readonly run: ImportRun; readonly startedAt: number }> {
  const heap = sampleLiveHeap(1000);
  const startedAt = performance.now();
  let lastLog = startedAt;
  let peakHeapGrowthMb: number;
  let report: CohortImportReport;
  try {
    report = await app.get(CohortImports).run(createReadStream(file), 'csv', {
      actor: { id: 'bench-admin', role: 'admin', organisationId },
      dryRun: false,
      onProgress: (done) => {
        if (performance.now() - lastLog < 5000) return;
        lastLog = performance.now();
        log(`  ${done} rows imported (${Math.round(done / ((lastLog - startedAt) / 1000))}/s)`);
      },
    });
  } finally {
    peakHeapGrowthMb = heap.stop();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  if (report.counts.imported !== rows)
    throw new Error(`the import imported ${report.counts.imported} of ${rows} rows: ${JSON.stringify(report.rows.find((r) => r.status !== 'imported'))}`);
  log(`  ${rows} rows imported in ${seconds.toFixed(1)} s`);
  return { run: { seconds, perSecond: rows / seconds, imported: report.counts.imported, peakHeapGrowthMb }, startedAt };
}
