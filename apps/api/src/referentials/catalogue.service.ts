import { Injectable } from '@nestjs/common';
import { CatalogueEntry, loadCatalogue } from '@jalon/catalogue';

/**
 * The shipped référentiels (`referentials/*.yaml`), loaded and validated once at start-up: a
 * catalogue with any problem stops the service, listing every problem with its file and path.
 */
@Injectable()
export class CatalogueService {
  readonly entries: readonly CatalogueEntry[];

  constructor() {
    const { entries, problems } = loadCatalogue();
    if (problems.length > 0) {
      throw new Error(
        `the référentiel catalogue has ${problems.length} problem(s):\n${problems.map((p) => `  ${p.file} ${p.path} ${p.code}: ${p.message}`).join('\n')}`,
      );
    }
    this.entries = entries;
  }
}
