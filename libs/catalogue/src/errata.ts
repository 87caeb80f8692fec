import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssumableStatement, AssumedIdentity, Certification, Referential } from '@jalon/domain';
import errataSchema from '../../../referentials/schema/errata.schema.json';
import type { CatalogueEntry } from './catalogue';
import { contentHash, parseYamlText, REFERENTIALS_DIR, ReferentialFileProblem, schemaProblem } from './referential-loader';

/**
 * Errata of published référentiel versions (`referentials/errata.yaml`). A published version never
 * changes (R1), so a statement its file made that the référentiel does not — a level written when
 * the format required one — cannot be taken out of it, nor marked `certification.assumed` in it.
 * An erratum lists such statements for one version's content; wherever that version is presented
 * (its documents, the catalogue's answers) they are treated as the file's `certification.assumed`.
 * The erratum lives beside the file, outside its content hash: the log keeps the version as it was
 * published, and every event stored still folds.
 */

/** The errata file of a catalogue folder: not a référentiel (those are `<referential>@<version>.yaml`). */
export const ERRATA_FILE = 'errata.yaml';

/** The statements an erratum can mark as assumed, by their path in the référentiel file. */
export const ERRATUM_STATEMENTS = [
  'certification.rncpCode',
  'certification.rsCode',
  'certification.registration.decisionDate',
  'certification.registration.endDate',
  'certification.registration.decisionReference',
  'certification.nsfCodes',
  'certification.level',
  'certification.eqfLevel',
  'certification.certifier',
] as const;
export type ErratumStatement = (typeof ERRATUM_STATEMENTS)[number];

export interface Erratum {
  /** The content the erratum is about: the version's content hash as published. */
  readonly contentHash: string;
  /** Its statements that are assumptions, not the référentiel's. */
  readonly assumed: readonly ErratumStatement[];
  /** Why, in a sentence. */
  readonly note: string;
}

/** Errata by `<referential>@<version>`. */
export type Errata = ReadonlyMap<string, Erratum>;

export const NO_ERRATA: Errata = new Map();

/** How errata and files name a version. */
export const versionKey = (referential: Pick<Referential, 'referential' | 'version'>): string => `${referential.referential}@${referential.version}`;

const validateSchema = new Ajv({ allErrors: true, strict: true }).compile<Record<string, Erratum>>(errataSchema);

/**
 * Parses and checks an errata text: its structure (referentials/schema/errata.schema.json); and,
 * given the catalogue it belongs to, that each erratum names a version of it, by the content hash
 * that version has, and only statements its file makes. Every problem is listed with its path and line.
 */
export function loadErrataText(text: string, file = '<errata>', catalogue?: readonly CatalogueEntry[]): { errata: Errata; problems: ReferentialFileProblem[] } {
  const parsed = parseYamlText(text, file, 'ERRATA.YAML');
  if (!parsed.ok) return { errata: NO_ERRATA, problems: [...parsed.problems] };
  // An empty file (comments only) lists no erratum.
  const data = parsed.data ?? {};
  if (!validateSchema(data)) {
    return { errata: NO_ERRATA, problems: (validateSchema.errors ?? []).map((e) => parsed.located(schemaProblem(file, e, 'ERRATA.SCHEMA'))) };
  }
  const problems: ReferentialFileProblem[] = [];
  const report = (path: string, code: string, message: string) => problems.push(parsed.located({ file, path, code, message }));
  if (catalogue) {
    const byKey = new Map(catalogue.map((entry) => [versionKey(entry.referential), entry]));
    for (const [key, erratum] of Object.entries(data)) {
      const pointer = `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const entry = byKey.get(key);
      if (!entry) {
        report(pointer, 'ERRATA.UNKNOWN_VERSION', `no référentiel ${key} in the catalogue (its file would be ${key}.yaml)`);
        continue;
      }
      if (entry.contentHash !== erratum.contentHash) {
        report(
          `${pointer}/contentHash`,
          'ERRATA.OTHER_CONTENT',
          `${key}.yaml has the content ${entry.contentHash}, not the one the erratum is about: a published version never changes (R1)`,
        );
        continue;
      }
      erratum.assumed.forEach((statement, i) => {
        if (statedValue(entry.referential.certification, statement) === undefined)
          report(`${pointer}/assumed/${i}`, 'ERRATA.NOT_STATED', `${key}.yaml does not state ${statement}: there is nothing to mark as assumed`);
      });
    }
  }
  return { errata: new Map(Object.entries(data)), problems };
}

/** A statement's value as the file states it (not as it assumes it); undefined where it does not. */
function statedValue(certification: Certification, statement: ErratumStatement): unknown {
  const [, field, part] = statement.split('.') as [string, AssumableStatement, string | undefined];
  const value = certification[field];
  return part === undefined ? value : (value as Record<string, unknown> | undefined)?.[part];
}

/**
 * The version with the statements its erratum lists moved from the stated identity to
 * `certification.assumed`, as if its file had marked them so. Only on the content the erratum is
 * about: a version whose content hash is another is returned as it is.
 */
export function withErrata(referential: Referential, errata: Errata, hash?: string): Referential {
  const erratum = errata.get(versionKey(referential));
  if (!erratum || (hash ?? hashOf(referential)) !== erratum.contentHash) return referential;
  return applyErratum(referential, erratum);
}

export function applyErratum(referential: Referential, erratum: Pick<Erratum, 'assumed'>): Referential {
  const stated: Record<string, unknown> = { ...referential.certification };
  const assumed: Record<string, unknown> = { ...referential.certification.assumed };
  for (const statement of erratum.assumed) {
    const [, field, part] = statement.split('.') as [string, AssumableStatement, string | undefined];
    if (part === undefined) {
      if (stated[field] === undefined) continue;
      assumed[field] = stated[field];
      delete stated[field];
      continue;
    }
    const registration: Record<string, unknown> = { ...(stated[field] as object | undefined) };
    if (registration[part] === undefined) continue;
    assumed[field] = { ...(assumed[field] as object | undefined), [part]: registration[part] };
    delete registration[part];
    if (Object.keys(registration).length > 0) stated[field] = registration;
    else delete stated[field];
  }
  const certification = { ...stated, ...(Object.keys(assumed).length > 0 ? { assumed: assumed as AssumedIdentity } : {}) } as Certification;
  return { ...referential, certification };
}

/** Content hashes already worked out, per content object (a resolved version is one object for the process's life). */
const hashes = new WeakMap<object, string>();

function hashOf(referential: Referential): string {
  let hash = hashes.get(referential);
  if (hash === undefined) {
    hash = contentHash(referential);
    hashes.set(referential, hash);
  }
  return hash;
}

let shipped: Errata | undefined;

/**
 * The errata shipped with the catalogue (referentials/errata.yaml), read once per process. The api
 * checks them against the catalogue at start-up (loadCatalogue); here only their structure is
 * checked, and a version is corrected only where its content is the one its erratum names.
 */
export function shippedErrata(): Errata {
  if (!shipped) {
    const file = join(REFERENTIALS_DIR, ERRATA_FILE);
    if (!existsSync(file)) shipped = NO_ERRATA;
    else {
      const { errata, problems } = loadErrataText(readFileSync(file, 'utf8'), file);
      if (problems.length > 0) throw new Error(`the référentiel errata have ${problems.length} problem(s):\n${problems.map(describeProblem).join('\n')}`);
      shipped = errata;
    }
  }
  return shipped;
}

export const describeProblem = (p: ReferentialFileProblem): string => `  ${p.file} ${p.path} ${p.code}: ${p.message}`;
