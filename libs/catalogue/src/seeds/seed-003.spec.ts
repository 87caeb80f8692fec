/**
 * Checks referentials/data-ia-quatre-blocs@1.yaml against the text of seed 003, independently of how the YAML
 * was written: the seed's flattened tables are read with regular expressions (one table row per line, cells
 * separated by TAB: activités | compétences | modalités d'évaluation | critères d'évaluation) and compared,
 * bloc by bloc, with what the YAML holds.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const SEED_FILE = path.resolve(__dirname, '../../../../../shared/seeds/003_622301eea10cee80.txt');
const YAML_FILE = path.resolve(__dirname, '../../../../referentials/data-ia-quatre-blocs@1.yaml');

// ---------------------------------------------------------------------------------------------------------
// The YAML side. The shared loader (../referential-loader) did not exist when this spec was written, so the
// file is parsed here with `yaml`; only the fields this spec compares are typed.
// ---------------------------------------------------------------------------------------------------------
interface YamlCriterion {
  code: string;
  text: string;
  competencies?: string[];
}
interface YamlEpreuve {
  code: string;
  label?: string;
  covers: string[];
  criteria?: YamlCriterion[];
  deliverables: string[];
  assessorKind: string;
}
interface YamlBloc {
  code: string;
  title: string;
  optionGroup?: string;
  competencies: { code: string; title: string; criteria?: YamlCriterion[] }[];
  epreuves: YamlEpreuve[];
}
interface YamlReferential {
  referential: string;
  version: string;
  source?: string;
  validationPolicy: { blocValidation: string };
  blocs: YamlBloc[];
}

function loadYaml(file: string): YamlReferential {
  return parse(fs.readFileSync(file, 'utf8')) as YamlReferential;
}

// ---------------------------------------------------------------------------------------------------------
// The seed side.
// ---------------------------------------------------------------------------------------------------------
interface SeedBloc {
  number: number;
  title: string;
  competencies: { code: string; title: string }[];
  /** épreuve label (E1 …) → competencies it covers, as listed in the modalité cell */
  epreuves: Map<string, string[]>;
  /** checklist items of the critères column, in order, repeated cells counted once */
  criteria: string[];
  /** corrections applied to the seed's own typos, for the record */
  corrections: string[];
}

/** Strips HTML tags and normalises whitespace. */
const clean = (s: string): string =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const codeNumber = (code: string): number => Number(code.replace(/^C/, ''));

function readSeed(file: string): SeedBloc[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const blocs: SeedBloc[] = [];
  const rawCriteriaCells = new Map<SeedBloc, Set<string>>();
  const coverageTexts = new Map<SeedBloc, { label: string; text: string }[]>();
  let current: SeedBloc | undefined;

  for (const line of lines) {
    if (!line.includes('\t')) continue;
    // Header rows of each table: "REFERENTIEL D'ACTIVITES …" and "\t\tMODALITÉS D'ÉVALUATION\tCRITÈRES …".
    if (/^REFERENTIEL\b/.test(line) || /^\t\t/.test(line)) continue;
    const [activity = '', competencies = '', modalite = '', criteria = ''] = line.split('\t');

    const bloc = /<p>\s*Bloc\s+(\d+)\s*:?\s*([^<]*)<\/p>/.exec(activity);
    if (bloc) {
      current = {
        number: Number(bloc[1]),
        title: clean(bloc[2]),
        competencies: [],
        epreuves: new Map(),
        criteria: [],
        corrections: [],
      };
      blocs.push(current);
      rawCriteriaCells.set(current, new Set());
      coverageTexts.set(current, []);
    }
    if (!current) throw new Error(`table row before any bloc heading: ${line.slice(0, 80)}`);

    // Competencies: "C1 Acquérir …" up to the next "Cn " or the end of the cell.
    for (const m of clean(competencies).matchAll(/\b(C\d+)\s+(.+?)(?=\s+C\d+\s|$)/g)) {
      current.competencies.push({ code: m[1], title: m[2].trim() });
    }

    // Épreuves: "E1 : Un cas pratique … orale. C1 C2 C3 C4" or "E1 Un cas pratique … orale. C5 à C13".
    const mod = clean(modalite);
    const label = /\b(E\d+)\b/.exec(mod);
    if (label) {
      const range = /\b(C\d+)\s+à\s+(C\d+)\b/.exec(mod);
      const list = /(?:\bC\d+\b\s*){2,}/.exec(mod);
      const text = range ? range[0] : list ? list[0].trim() : '';
      coverageTexts.get(current)!.push({ label: label[1], text });
    }

    // Criteria: a checklist of "- …" items; a cell repeated across rows of the same bloc counts once.
    const crit = clean(criteria);
    if (crit && !rawCriteriaCells.get(current)!.has(crit)) {
      rawCriteriaCells.get(current)!.add(crit);
      current.criteria.push(
        ...crit
          .split(/(?:^|\s)-\s+/)
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      );
    }
  }

  for (const bloc of blocs) {
    const blocCodes = bloc.competencies.map((c) => c.code);
    for (const { label, text } of coverageTexts.get(bloc)!) {
      let covers: string[];
      const range = /^(C\d+)\s+à\s+(C\d+)$/.exec(text);
      if (range) {
        const [from, to] = [codeNumber(range[1]), codeNumber(range[2])];
        covers = Array.from({ length: to - from + 1 }, (_, i) => `C${from + i}`);
      } else {
        const listed = text.split(/\s+/).filter(Boolean);
        covers = [...new Set(listed)];
        // Seed typo: a code repeated in the list ("C14 C15 C17 C17") stands for the bloc's competencies the
        // list leaves out, when there are exactly as many of those as repeats.
        const repeats = listed.length - covers.length;
        const missing = blocCodes.filter((c) => !covers.includes(c));
        if (repeats > 0 && missing.length === repeats) {
          bloc.corrections.push(`${label}: "${text}" read as covering ${missing.join(', ')} too`);
          covers = [...covers, ...missing];
        }
      }
      const previous = bloc.epreuves.get(label);
      if (previous && [...previous].sort().join() !== [...covers].sort().join()) {
        throw new Error(`Bloc ${bloc.number}: ${label} lists two different coverages`);
      }
      bloc.epreuves.set(label, covers);
    }
  }
  return blocs;
}

const byNumber = (a: string, b: string): number => codeNumber(a) - codeNumber(b);

describe('seed 003 → referentials/data-ia-quatre-blocs@1.yaml', () => {
  const seed = readSeed(SEED_FILE);
  const referential = loadYaml(YAML_FILE);

  it('reads four blocs and C1…C21 from the seed (sanity check of the extraction itself)', () => {
    expect(seed.map((b) => b.number)).toEqual([1, 2, 3, 4]);
    expect(seed.flatMap((b) => b.competencies.map((c) => c.code))).toEqual(Array.from({ length: 21 }, (_, i) => `C${i + 1}`));
    for (const bloc of seed) {
      expect(bloc.epreuves.size).toBeGreaterThan(0);
      expect(bloc.criteria.length).toBeGreaterThan(0);
    }
    // The one typo of the seed's coverage lists, corrected above.
    expect(seed.flatMap((b) => b.corrections)).toEqual(['E1: "C14 C15 C17 C17" read as covering C16 too']);
  });

  it('identifies the référentiel and its source', () => {
    expect(referential.referential).toBe('data-ia-quatre-blocs');
    expect(referential.version).toBe('1');
    expect(referential.source).toBe(path.basename(SEED_FILE));
    expect(referential.validationPolicy.blocValidation).toBe('jury');
  });

  it('has the same blocs, in order, all mandatory', () => {
    expect(referential.blocs.map((b) => b.code)).toEqual(seed.map((b) => `BC${String(b.number).padStart(2, '0')}`));
    for (const bloc of referential.blocs) expect(bloc.optionGroup).toBeUndefined();
  });

  describe.each(seed.map((b) => [`Bloc ${b.number}`, b] as const))('%s', (_name, seedBloc) => {
    const blocCode = `BC${String(seedBloc.number).padStart(2, '0')}`;
    const yamlBloc = (): YamlBloc => {
      const found = referential.blocs.find((b) => b.code === blocCode);
      if (!found) throw new Error(`${blocCode} missing from the YAML`);
      return found;
    };

    it('has the bloc title as worded', () => {
      expect(yamlBloc().title).toBe(seedBloc.title);
    });

    it('has the same competency codes and titles, in order', () => {
      expect(yamlBloc().competencies.map((c) => ({ code: c.code, title: c.title }))).toEqual(seedBloc.competencies);
    });

    it('has one épreuve per label of the seed, covering the listed competencies', () => {
      const epreuves = yamlBloc().epreuves;
      expect(epreuves.map((e) => e.label).sort()).toEqual([...seedBloc.epreuves.keys()].sort());
      for (const [label, covers] of seedBloc.epreuves) {
        const epreuve = epreuves.find((e) => e.label === label)!;
        expect(epreuve.code).toBe(`${blocCode}-${label}`);
        expect([...epreuve.covers].sort(byNumber)).toEqual([...covers].sort(byNumber));
        expect(epreuve.assessorKind).toBe('jury-professionnels');
        expect(epreuve.deliverables).toEqual(expect.arrayContaining(['notebook', 'dossier', 'oral-presentation']));
      }
    });

    it('has the checklist of the critères column as the épreuve criteria CR1…CRn, in order, as worded', () => {
      // The seed gives one épreuve per bloc, so its whole checklist belongs to that épreuve.
      expect(seedBloc.epreuves.size).toBe(1);
      const [label] = [...seedBloc.epreuves.keys()];
      const epreuve = yamlBloc().epreuves.find((e) => e.label === label)!;
      const criteria = epreuve.criteria ?? [];
      expect(criteria.map((c) => c.code)).toEqual(seedBloc.criteria.map((_, i) => `CR${i + 1}`));
      expect(criteria.map((c) => c.text)).toEqual(seedBloc.criteria);
      for (const competency of yamlBloc().competencies) expect(competency.criteria ?? []).toEqual([]);
    });

    it('leaves no competency unassessed or without a criterion bearing on it', () => {
      const bloc = yamlBloc();
      for (const competency of bloc.competencies) {
        const covering = bloc.epreuves.filter((e) => e.covers.includes(competency.code));
        expect(covering.length).toBeGreaterThan(0);
        const bearing = covering.flatMap((e) => (e.criteria ?? []).filter((c) => !c.competencies || c.competencies.includes(competency.code)));
        expect(bearing.length).toBeGreaterThan(0);
      }
    });
  });
});
