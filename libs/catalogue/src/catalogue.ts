import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Referential } from '@jalon/domain';
import { Errata, ERRATA_FILE, loadErrataText, NO_ERRATA } from './errata';
import { loadReferentialFile, REFERENTIALS_DIR, ReferentialFileProblem } from './referential-loader';

export interface CatalogueEntry {
  /** The version as its file states it: what is published, and what its content hash is of. */
  readonly referential: Referential;
  readonly contentHash: string;
  readonly file: string;
}

/**
 * Loads every `<referential>@<version>.yaml` référentiel of a folder, and its errata (errata.yaml,
 * where there is one) checked against them; any problem in any file fails the whole catalogue.
 */
export function loadCatalogue(dir: string = REFERENTIALS_DIR): { entries: CatalogueEntry[]; problems: ReferentialFileProblem[]; errata: Errata } {
  const entries: CatalogueEntry[] = [];
  const problems: ReferentialFileProblem[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') && n !== ERRATA_FILE)
    .sort()) {
    const file = join(dir, name);
    const result = loadReferentialFile(file);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const expectedName = `${result.referential.referential}@${result.referential.version}.yaml`;
    if (name !== expectedName) {
      problems.push({ file, path: '/', code: 'REFERENTIAL.FILE_NAME', message: `the file should be named ${expectedName}` });
      continue;
    }
    entries.push({ referential: result.referential, contentHash: result.contentHash, file });
  }
  const errataFile = join(dir, ERRATA_FILE);
  if (!existsSync(errataFile)) return { entries, problems, errata: NO_ERRATA };
  const { errata, problems: errataProblems } = loadErrataText(readFileSync(errataFile, 'utf8'), errataFile, entries);
  return { entries, problems: [...problems, ...errataProblems], errata };
}
