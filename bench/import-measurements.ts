import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '@jalon/config';
import { createApp } from '../apps/api/src/create-app';
import { COHORT_COLUMNS } from '../apps/api/src/imports/cohort-sheet/cohort-columns';
import { readCohortSheet } from '../apps/api/src/imports/cohort-sheet/read-cohort-sheet';
import { CohortImports } from '../apps/api/src/imports/import-cohort/cohort-import.service';
import { BENCH_MASTER_KEYS } from './bench-master-keys';

const ORGANISATION = 'bench-import';

export interface ImportResult {
  readonly rows: number;
  readonly fileBytes: number;
  /** The whole file imported by the api's CohortImports: every row checked, decided, registered and enrolled. */
  readonly import: { readonly seconds: number; readonly perSecond: number; readonly imported: number };
  /** The same file only parsed (csv-parse, the column map): the floor of any import of it. */
  readonly parse: { readonly seconds: number; readonly perSecond: number };
  /** Live heap (after a collection) during the import above its level before it, at its highest (sampled every second: a collection takes a few ms of the timing). */
  readonly peakHeapGrowthMb: number;
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
 * import_rows_per_s: a file of `rows` rows imported by the api's own import (the service the
 * route and its jobs run: the DTOs' rules, both decisions, then RegisterCandidate and Enroll on
 * the command bus under derived ids), streamed from disk, on the bench database with the api's
 * projections running as in production; against parsing the same file alone.
 */
export async function measureImport(databaseUrl: string, rows: number, log: (line: string) => void): Promise<ImportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jalon-bench-import-'));
  const file = join(dir, 'promotion.csv');
  const app = await createApp(
    loadConfig({
      DATA_DIR: dir,
      LOG_LEVEL: 'error',
      EVENT_STORE: 'postgres',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MASTER_KEYS: BENCH_MASTER_KEYS,
      PUBLIC_BASE_URL: 'https://certificats.jalon.test',
      REDIS_PREFIX: `jalon-bench-import-${randomBytes(4).toString('hex')}`,
      RUN_ISSUANCE: 'false',
    }),
  );
  try {
    await app.init();
    await writeCohortFile(file, rows);
    const fileBytes = statSync(file).size;

    let started = performance.now();
    let parsed = 0;
    for await (const _ of readCohortSheet(createReadStream(file), 'csv')) parsed++;
    const parseSeconds = (performance.now() - started) / 1000;
    log(`  parsed ${parsed} rows in ${parseSeconds.toFixed(2)} s`);

    // Live heap: a collection before each sample, so garbage not yet collected is not counted.
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sampler = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 1000);
    started = performance.now();
    let lastLog = started;
    const report = await app.get(CohortImports).run(createReadStream(file), 'csv', {
      actor: { id: 'bench-admin', role: 'admin', organisationId: ORGANISATION },
      dryRun: false,
      onProgress: (done) => {
        if (performance.now() - lastLog < 5000) return;
        lastLog = performance.now();
        log(`  ${done} rows imported (${Math.round(done / ((lastLog - started) / 1000))}/s)`);
      },
    });
    const importSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (report.counts.imported !== rows)
      throw new Error(`the import imported ${report.counts.imported} of ${rows} rows: ${JSON.stringify(report.rows.find((r) => r.status !== 'imported'))}`);
    return {
      rows,
      fileBytes,
      import: { seconds: importSeconds, perSecond: rows / importSeconds, imported: report.counts.imported },
      parse: { seconds: parseSeconds, perSecond: parsed / parseSeconds },
      peakHeapGrowthMb: (peak - heapBefore) / 1024 / 1024,
    };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
