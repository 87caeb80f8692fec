import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Referential } from '@jalon/domain';
import errataSchema from '../../../referentials/schema/errata.schema.json';
import { CatalogueEntry, loadCatalogue } from './catalogue';
import { applyErratum, ERRATA_FILE, ERRATUM_STATEMENTS, loadErrataText, NO_ERRATA, shippedErrata, withErrata } from './errata';
import { contentHash, REFERENTIALS_DIR } from './referential-loader';

/*
 * Issue 15: nothing a file marks as an assumption is printed or published as a fact. The first
 * files were published with a level their own comments call an assumption; they cannot change (R1),
 * so referentials/errata.yaml lists those statements, checked against the catalogue, outside the
 * content hash.
 */

const catalogue = loadCatalogue();
const entry = (key: string): CatalogueEntry => {
  const found = catalogue.entries.find((e) => `${e.referential.referential}@${e.referential.version}` === key);
  if (!found) throw new Error(`${key} is not in the catalogue`);
  return found;
};
const dataIa = entry('data-ia-quatre-blocs@1');

describe('the shipped errata', () => {
  it('load with the catalogue without a problem, and are not taken for a référentiel', () => {
    expect(catalogue.problems).toEqual([]);
    expect(catalogue.entries).toHaveLength(4);
    expect(Object.fromEntries([...catalogue.errata].map(([key, erratum]) => [key, erratum.assumed]))).toEqual({
      'data-engineer-data-scientist@1': ['certification.level'],
      'data-ia-quatre-blocs@1': ['certification.level'],
      'expert-en-data-science@1': ['certification.level'],
    });
    // Seed 000 states « Niveau 7 »: nothing to correct.
    expect(catalogue.errata.has('expert-ingenierie-science-donnees@1')).toBe(false);
    expect(shippedErrata()).toEqual(catalogue.errata);
  });

  it('leave each version as published: same content, same hash, the level still in the file', () => {
    expect(dataIa.referential.certification.level).toBe(6);
    expect(contentHash(dataIa.referential)).toBe(dataIa.contentHash);
    expect(catalogue.errata.get('data-ia-quatre-blocs@1')?.contentHash).toBe(dataIa.contentHash);
  });

  it('present the assumed level as assumed, apart from what the référentiel states', () => {
    const corrected = withErrata(dataIa.referential, catalogue.errata);
    expect(corrected.certification).toEqual({
      title: 'Certification Data / IA en 4 blocs (titre non nommé dans le référentiel)',
      certifier: 'Certificateur non nommé dans le référentiel',
      assumed: { level: 6 },
    });
    expect(corrected.blocs).toBe(dataIa.referential.blocs);
    // Given the hash (the read model has it) or working it out: the same answer.
    expect(withErrata(dataIa.referential, catalogue.errata, dataIa.contentHash)).toEqual(corrected);
    // Applying them to what they already corrected changes nothing more.
    expect(withErrata(corrected, catalogue.errata)).toEqual(corrected);
    const stated = entry('expert-ingenierie-science-donnees@1').referential;
    expect(withErrata(stated, catalogue.errata)).toBe(stated);
  });

  it('correct only the content they name: another content under the same version is left as it is', () => {
    const other: Referential = { ...dataIa.referential, certification: { ...dataIa.referential.certification, level: 5 } };
    expect(withErrata(other, catalogue.errata)).toBe(other);
    expect(withErrata(dataIa.referential, NO_ERRATA)).toBe(dataIa.referential);
  });

  it('list in their schema exactly the statements an erratum can name', () => {
    expect(errataSchema.additionalProperties.properties.assumed.items.enum).toEqual([...ERRATUM_STATEMENTS]);
  });
});

describe('applying an erratum', () => {
  it('moves each statement it lists, a registration part alone, and keeps what the file already assumed', () => {
    const registered: Referential = {
      ...dataIa.referential,
      certification: {
        title: 'Titre',
        rncpCode: 'RNCP12345',
        registration: { decisionDate: '2024-07-11', decisionReference: 'Décision n° 1' },
        level: 6,
        assumed: { eqfLevel: 6 },
      },
    };
    expect(
      applyErratum(registered, { assumed: ['certification.registration.decisionDate', 'certification.level', 'certification.nsfCodes'] }).certification,
    ).toEqual({
      title: 'Titre',
      rncpCode: 'RNCP12345',
      registration: { decisionReference: 'Décision n° 1' },
      assumed: { eqfLevel: 6, level: 6, registration: { decisionDate: '2024-07-11' } },
    });
    expect(
      applyErratum(registered, { assumed: ['certification.registration.decisionDate', 'certification.registration.decisionReference'] }).certification,
    ).toEqual({
      title: 'Titre',
      rncpCode: 'RNCP12345',
      level: 6,
      assumed: { eqfLevel: 6, registration: { decisionDate: '2024-07-11', decisionReference: 'Décision n° 1' } },
    });
  });
});

describe('checking errata', () => {
  const erratum = (key: string, body: string) => `${key}:\n${body}`;
  const valid = `  contentHash: ${dataIa.contentHash}\n  assumed: [certification.level]\n  note: Seed 003 states no level.\n`;
  const problemsOf = (text: string) => loadErrataText(text, 'errata.yaml', catalogue.entries).problems.map(({ path, code, line }) => ({ path, code, line }));

  it('accepts an erratum of a version of the catalogue, about its content, listing what its file states', () => {
    const { errata, problems } = loadErrataText(erratum('data-ia-quatre-blocs@1', valid), 'errata.yaml', catalogue.entries);
    expect(problems).toEqual([]);
    expect(errata.get('data-ia-quatre-blocs@1')).toEqual({
      contentHash: dataIa.contentHash,
      assumed: ['certification.level'],
      note: 'Seed 003 states no level.',
    });
    expect(loadErrataText('# no erratum yet\n', 'errata.yaml', catalogue.entries)).toEqual({ errata: NO_ERRATA, problems: [] });
  });

  it('refuses an erratum of a version the catalogue does not hold, where it starts', () => {
    expect(problemsOf(`# comment\n${erratum('data-ia-quatre-blocs@2', valid)}`)).toEqual([
      { path: '/data-ia-quatre-blocs@2', code: 'ERRATA.UNKNOWN_VERSION', line: 3 },
    ]);
  });

  it('refuses an erratum about another content than the version has (its file changed, or the hash is wrong)', () => {
    const text = erratum('data-ia-quatre-blocs@1', valid.replace(dataIa.contentHash, `sha256:${'0'.repeat(64)}`));
    expect(problemsOf(text)).toEqual([{ path: '/data-ia-quatre-blocs@1/contentHash', code: 'ERRATA.OTHER_CONTENT', line: 2 }]);
  });

  it('refuses a statement the file does not make: there is nothing to mark as assumed', () => {
    const text = erratum('data-ia-quatre-blocs@1', valid.replace('[certification.level]', '[certification.level, certification.rncpCode]'));
    expect(problemsOf(text)).toEqual([{ path: '/data-ia-quatre-blocs@1/assumed/1', code: 'ERRATA.NOT_STATED', line: 3 }]);
  });

  it('refuses, by their schema, a statement that cannot be assumed, a missing note, an unknown field and a malformed key', () => {
    const title = erratum('data-ia-quatre-blocs@1', valid.replace('[certification.level]', '[certification.title]'));
    expect(problemsOf(title)).toEqual([{ path: '/data-ia-quatre-blocs@1/assumed/0', code: 'ERRATA.SCHEMA', line: 3 }]);
    const noNote = erratum('data-ia-quatre-blocs@1', valid.replace(/ {2}note: .*\n/, '  reason: x\n'));
    expect(problemsOf(noNote).map((p) => `${p.path} ${p.code}`)).toEqual(['/data-ia-quatre-blocs@1 ERRATA.SCHEMA', '/data-ia-quatre-blocs@1 ERRATA.SCHEMA']);
    expect(problemsOf(erratum('Data IA', valid)).map((p) => p.code)).toContain('ERRATA.SCHEMA');
  });

  it('reports a YAML syntax error as such', () => {
    expect(problemsOf('data-ia-quatre-blocs@1: [unclosed\n').map((p) => p.code)).toEqual(['ERRATA.YAML']);
  });

  it('fails the whole catalogue when its errata are wrong, with the errata file and the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jalon-catalogue-'));
    try {
      copyFileSync(join(REFERENTIALS_DIR, 'data-ia-quatre-blocs@1.yaml'), join(dir, 'data-ia-quatre-blocs@1.yaml'));
      writeFileSync(join(dir, ERRATA_FILE), readFileSync(join(REFERENTIALS_DIR, ERRATA_FILE), 'utf8'));
      const { entries, problems } = loadCatalogue(dir);
      expect(entries.map((e) => e.referential.referential)).toEqual(['data-ia-quatre-blocs']);
      expect(problems.map(({ file, path, code }) => ({ file, path, code }))).toEqual([
        { file: join(dir, ERRATA_FILE), path: '/data-engineer-data-scientist@1', code: 'ERRATA.UNKNOWN_VERSION' },
        { file: join(dir, ERRATA_FILE), path: '/expert-en-data-science@1', code: 'ERRATA.UNKNOWN_VERSION' },
      ]);
      rmSync(join(dir, ERRATA_FILE));
      expect(loadCatalogue(dir)).toMatchObject({ problems: [], errata: NO_ERRATA });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
