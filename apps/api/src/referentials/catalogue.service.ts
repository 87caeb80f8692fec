import { Injectable } from '@nestjs/common';
import { CatalogueEntry, describeProblem, Errata, loadCatalogue } from '@jalon/catalogue';

/**
 * The shipped référentiels (`referentials/*.yaml`) and their errata (`referentials/errata.yaml`),
 * loaded and validated once at start-up: a catalogue with any problem stops the service, listing
 * every problem with its file and path.
 */
@Injectable()
export class CatalogueService {
  readonly entries: readonly CatalogueEntry[];
  /** The statements of published versions that are assumptions, not the référentiel's: presented as `certification.assumed`. */
  readonly errata: Errata;

  constructor() {
    const { entries, problems, errata } = loadCatalogue();
    if (problems.length > 0) {
      throw new Error(`the référentiel catalogue has ${problems.length} problem(s):\n${problems.map(describeProblem).join('\n')}`);
    }
    this.entries = entries;
    this.errata = errata;
  }
}
