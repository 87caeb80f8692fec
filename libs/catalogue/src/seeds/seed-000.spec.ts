/**
 * Seed 000 (000_c0a59ccff74a7f45.txt, "Expert en ingénierie et science des données", niveau 7) against
 * referentials/expert-ingenierie-science-donnees@1.yaml.
 *
 * The expectations are read from the seed text with regular expressions, independently of the YAML:
 * per bloc, its title and option, the competency codes (in order) and the opening words of their titles,
 * the criterion codes bearing on each competency (with the opening words of each criterion), and the
 * évaluation modalités (one épreuve per "L'évaluation est réalisée au moyen d'..." cell, covering the
 * competencies down to the next such cell, plus an étude de cas épreuve where the cell names one).
 *
 * Seed layout: one table row per line, cells separated by TAB; a row cut by a page break goes on in the
 * next row. A criteria list that does not start at CE1 continues the criteria cell of the competency
 * above it (one cell spanning both rows, as for C1.1.4 and C1.1.5): those criteria bear on both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadReferentialFile } from '../referential-loader';

const SEED_FILE = path.resolve(__dirname, '../../../../../shared/seeds/000_c0a59ccff74a7f45.txt');
const YAML_FILE = path.resolve(__dirname, '../../../../referentials/expert-ingenierie-science-donnees@1.yaml');

/** The file's shape, as plain mutable data (the spec clones and alters it to show that it can fail). */
interface Criterion {
  code: string;
  text: string;
  indicators?: string[];
  competencies?: string[];
}
interface Competency {
  code: string;
  title: string;
  criteria?: Criterion[];
}
interface TimedPart {
  code: string;
  title: string;
  baseDurationMinutes: number;
  note?: string;
}
interface Epreuve {
  code: string;
  label?: string;
  title: string;
  kind: string;
  description?: string;
  covers: string[];
  criteria?: Criterion[];
  deliverables: string[];
  assessorKind: string;
  timedParts?: TimedPart[];
}
interface Bloc {
  code: string;
  title: string;
  optionGroup?: string;
  optionLabel?: string;
  competencies: Competency[];
  epreuves: Epreuve[];
}
interface OptionGroup {
  code: string;
  title: string;
  choose: number;
}
interface Referential {
  referential: string;
  version: string;
  source?: string;
  certification: { title: string; rncpCode?: string; level: number; certifier: string };
  validationPolicy: { blocValidation: string; competencyAcquisition: string };
  optionGroups?: OptionGroup[];
  blocs: Bloc[];
  extraRequirements?: unknown[];
}

// ---------------------------------------------------------------------------------------------
// Extraction from the seed text
// ---------------------------------------------------------------------------------------------

/** Text without HTML tags (<i> dropped, other tags as a space) and with whitespace (TABs too) collapsed. */
function plain(text: string): string {
  return text
    .replace(/<\/?i>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function norm(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "C.2.3.1." → "C2.3.1" */
function normaliseCompetencyCode(raw: string): string {
  return raw.replace(/^C\./, 'C').replace(/\.$/, '');
}

interface SeedCriterion {
  code: string;
  textStart: string;
}
interface SeedCompetency {
  code: string;
  titleStart: string;
  /** Criteria of the criteria cell this competency's row belongs to (shared when the cell spans rows). */
  criteria: SeedCriterion[];
  /** The modalité cell this competency is assessed by (index within the bloc). */
  modalite: number;
}
interface SeedModalite {
  covers: string[];
  etudeDeCas: boolean;
  expertTechnique: boolean;
  soutenanceDistancielle: boolean;
}
interface SeedBloc {
  number: number;
  title: string;
  optionLabel: string | null;
  competencies: SeedCompetency[];
  modalites: SeedModalite[];
}

const BLOC_HEADER = /BLOC (\d+)\. ([^<\t\n]+)/g;
/** A competency code opening a cell: "C1.1.1 ", "C1.1.2. ", "C.2.3.1. " */
const COMPETENCY_AT_CELL = /(?:^|\t)(?:<p>)?(C\.?\d+\.\d+\.\d+\.?)\s+([^\t<]*)/gm;
/** A criterion marker: "CE1 - ", "CE2 ", "CEI - " (a typo of CE1 in the seed). */
const CRITERION = /(?:^|[\s>])CE(\d+|I)\b\s*-?\s*([^<\t\n]*)/g;
const MODALITE_START = /L'évaluation est réalisée au/g;

function extractSeed(seed: string): SeedBloc[] {
  const headers = [...seed.matchAll(BLOC_HEADER)];
  return headers.map((header, i) => {
    const start = header.index! + header[0].length;
    const end = i + 1 < headers.length ? headers[i + 1].index! : seed.length;
    const before = seed.slice(i === 0 ? 0 : headers[i - 1].index!, header.index!);
    const option = /BLOC DE SPÉCIALISATION : OPTION ([^\n<]+)/.exec(before);
    const body = seed.slice(start, end);

    const matches = [...body.matchAll(COMPETENCY_AT_CELL)];
    const competencies: SeedCompetency[] = [];
    const modalites: SeedModalite[] = [];
    let previousCriteria: SeedCriterion[] | null = null;
    matches.forEach((m, j) => {
      const segment = body.slice(m.index!, j + 1 < matches.length ? matches[j + 1].index! : body.length);
      const code = normaliseCompetencyCode(m[1]);

      if ([...segment.matchAll(MODALITE_START)].length > 0) {
        modalites.push({
          covers: [],
          etudeDeCas: /[ée]tude de cas/i.test(segment),
          expertTechnique: /évaluateur \(expert technique\)/.test(segment),
          soutenanceDistancielle: /soutenance distancielle dont la durée et le déroulement sont calibrés/.test(segment),
        });
      }
      if (modalites.length === 0) throw new Error(`${code}: no modalité cell before it in bloc ${header[1]}`);
      modalites[modalites.length - 1].covers.push(code);

      const found = [...segment.matchAll(CRITERION)].map((c) => ({
        code: `CE${c[1] === 'I' ? '1' : c[1]}`,
        textStart: norm(c[2].replace(/\s-\s.*$/, '').replace(/\s*:\s*$/, ''))
          .slice(0, 20)
          .trim(),
      }));
      let criteria: SeedCriterion[];
      if (found.length > 0 && found[0].code !== 'CE1' && previousCriteria) {
        // The criteria cell above runs on into this row: one cell for both competencies.
        previousCriteria.push(...found);
        criteria = previousCriteria;
      } else {
        criteria = found;
      }
      previousCriteria = criteria;
      competencies.push({ code, titleStart: norm(m[2]).slice(0, 25), criteria, modalite: modalites.length - 1 });
    });
    return { number: Number(header[1]), title: norm(header[2]), optionLabel: option ? norm(option[1]) : null, competencies, modalites };
  });
}

// ---------------------------------------------------------------------------------------------
// Comparison: every mismatch between the seed and the référentiel, as a readable line
// ---------------------------------------------------------------------------------------------

/** The criteria that bear on a competency: its own, and those of épreuves of its bloc covering it. */
function criteriaBearingOn(bloc: Bloc, code: string): Criterion[] {
  const own = bloc.competencies.find((c) => c.code === code)?.criteria ?? [];
  const viaEpreuves = bloc.epreuves
    .filter((e) => e.covers.includes(code))
    .flatMap((e) => (e.criteria ?? []).filter((c) => (c.competencies ?? e.covers).includes(code)));
  return [...own, ...viaEpreuves];
}

/**
 * True when the opening words of a text are in the seed: the first 30 characters, or, where a page
 * break cuts the sentence in the seed, its first words down to 10 characters.
 */
function openingWordsInSeed(start: string, seedPlain: string): boolean {
  if (seedPlain.includes(start)) return true;
  const words = start.split(' ');
  for (let n = words.length - 1; n >= 1; n--) {
    const prefix = words.slice(0, n).join(' ');
    if (prefix.length < 10) break;
    if (seedPlain.includes(prefix)) return true;
  }
  return false;
}

function compare(seedBlocs: SeedBloc[], seedPlain: string, ref: Referential): string[] {
  const problems: string[] = [];
  if (ref.blocs.length !== seedBlocs.length) problems.push(`blocs: seed has ${seedBlocs.length}, YAML has ${ref.blocs.length}`);

  for (const seedBloc of seedBlocs) {
    const code = `BC${String(seedBloc.number).padStart(2, '0')}`;
    const bloc = ref.blocs.find((b) => b.code === code);
    if (!bloc) {
      problems.push(`${code}: missing`);
      continue;
    }
    if (norm(bloc.title) !== seedBloc.title) problems.push(`${code}: title "${bloc.title}" ≠ seed "${seedBloc.title}"`);

    // Option blocs
    if (seedBloc.optionLabel) {
      if (!bloc.optionGroup) problems.push(`${code}: seed says option ${seedBloc.optionLabel}, YAML has no optionGroup`);
      if ((bloc.optionLabel ?? '').toUpperCase() !== seedBloc.optionLabel.toUpperCase()) {
        problems.push(`${code}: optionLabel "${bloc.optionLabel}" ≠ seed "${seedBloc.optionLabel}"`);
      }
    } else if (bloc.optionGroup) {
      problems.push(`${code}: mandatory in the seed, YAML puts it in option group ${bloc.optionGroup}`);
    }

    // Competencies: codes in order, opening words of the titles
    const seedCodes = seedBloc.competencies.map((c) => c.code);
    const yamlCodes = bloc.competencies.map((c) => c.code);
    if (JSON.stringify(seedCodes) !== JSON.stringify(yamlCodes)) {
      problems.push(`${code}: competencies ${JSON.stringify(yamlCodes)} ≠ seed ${JSON.stringify(seedCodes)}`);
    }
    for (const sc of seedBloc.competencies) {
      const yc = bloc.competencies.find((c) => c.code === sc.code);
      if (!yc) continue;
      if (!norm(yc.title).startsWith(sc.titleStart)) problems.push(`${sc.code}: title does not start with seed "${sc.titleStart}"`);

      // Criteria bearing on the competency: same codes, same opening words
      const bearing = criteriaBearingOn(bloc, sc.code);
      const seedCriteria = sc.criteria.map((c) => c.code);
      const yamlCriteria = bearing.map((c) => c.code);
      if (JSON.stringify([...seedCriteria].sort()) !== JSON.stringify([...yamlCriteria].sort())) {
        problems.push(`${sc.code}: criteria ${JSON.stringify(yamlCriteria)} ≠ seed ${JSON.stringify(seedCriteria)}`);
      }
      for (const crit of sc.criteria) {
        const y = bearing.find((c) => c.code === crit.code);
        if (y && !norm(y.text).startsWith(crit.textStart)) problems.push(`${sc.code} ${crit.code}: text does not start with seed "${crit.textStart}"`);
      }
    }

    // Épreuves: one per modalité cell (+ one étude de cas where the cell names one)
    let expectedEpreuves = 0;
    for (const m of seedBloc.modalites) {
      expectedEpreuves += m.etudeDeCas ? 2 : 1;
      const msp = bloc.epreuves.filter((e) => e.kind === 'mise-en-situation-professionnelle' && JSON.stringify(e.covers) === JSON.stringify(m.covers));
      if (msp.length !== 1) problems.push(`${code}: expected one mise en situation covering ${JSON.stringify(m.covers)}, found ${msp.length}`);
      for (const e of msp) {
        if (m.soutenanceDistancielle) {
          const soutenance = (e.timedParts ?? []).find((t) => t.code === 'soutenance');
          if (!soutenance || soutenance.baseDurationMinutes !== 30 || !/calibr/.test(soutenance.note ?? '')) {
            problems.push(`${e.code}: seed names a soutenance distancielle "calibrée": expected timed part soutenance, 30 min, with a note`);
          }
        }
        if (m.expertTechnique && e.assessorKind !== 'expert-technique') problems.push(`${e.code}: seed names an évaluateur (expert technique)`);
      }
      if (m.etudeDeCas) {
        const edc = bloc.epreuves.filter((e) => e.kind === 'etude-de-cas');
        if (edc.length !== 1) problems.push(`${code}: seed names an étude de cas, YAML has ${edc.length}`);
        for (const e of edc) {
          if (e.covers.length === 0 || !e.covers.every((c) => m.covers.includes(c))) {
            problems.push(`${e.code}: covers ${JSON.stringify(e.covers)} outside the modalité's ${JSON.stringify(m.covers)}`);
          }
          if (e.assessorKind !== 'expert-technique') problems.push(`${e.code}: assessorKind ${e.assessorKind}`);
        }
      }
    }
    if (bloc.epreuves.length !== expectedEpreuves) problems.push(`${code}: ${bloc.epreuves.length} épreuves, seed gives ${expectedEpreuves}`);

    // Wording: every title, criterion, indicator and description line opens with words found in the seed
    const texts = [
      ...bloc.competencies.flatMap((c) => c.title.split('\n')),
      ...bloc.competencies.flatMap((c) => c.criteria ?? []).flatMap((c) => [c.text, ...(c.indicators ?? [])]),
      ...bloc.epreuves.flatMap((e) => e.criteria ?? []).flatMap((c) => [c.text, ...(c.indicators ?? [])]),
      ...bloc.epreuves.flatMap((e) => (e.description ?? '').split('\n')),
    ];
    for (const t of texts) {
      const start = norm(t.replace(/^\s*-\s+/, '')).slice(0, 30);
      if (start && !openingWordsInSeed(start, seedPlain)) problems.push(`${code}: "${start}" not found in the seed`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('seed 000 → referentials/expert-ingenierie-science-donnees@1.yaml', () => {
  const seed = fs.readFileSync(SEED_FILE, 'utf8');
  const seedBlocs = extractSeed(seed);
  const seedPlain = plain(seed);
  const loaded = loadReferentialFile(YAML_FILE);
  // When the loader reports problems, the other tests still compare the parsed YAML with the seed.
  const ref: Referential = (loaded.ok ? loaded.referential : parse(fs.readFileSync(YAML_FILE, 'utf8'))) as unknown as Referential;

  it('reads five blocs, 37 competencies and ten modalité cells from the seed', () => {
    expect(seedBlocs.map((b) => b.number)).toEqual([1, 2, 3, 4, 5]);
    expect(seedBlocs.map((b) => b.competencies.length)).toEqual([11, 8, 9, 5, 4]);
    expect(seedBlocs.map((b) => b.modalites.length)).toEqual([2, 3, 3, 1, 1]);
    expect(seedBlocs.map((b) => b.optionLabel)).toEqual([null, null, null, 'DATA ENGINEERING', 'DATA SCIENCE']);
    // C1.1.5's row continues the criteria cell of C1.1.4 (CE3 follows CE1, CE2)
    const c115 = seedBlocs[0].competencies.find((c) => c.code === 'C1.1.5')!;
    expect(c115.criteria.map((c) => c.code)).toEqual(['CE1', 'CE2', 'CE3']);
  });

  it('is loaded by loadReferentialFile without any problem', () => {
    expect(loaded.problems).toEqual([]);
    expect(loaded.ok).toBe(true);
  });

  it('states the certification, the option group and the validation policy as the seed does', () => {
    expect(ref.referential).toBe('expert-ingenierie-science-donnees');
    expect(ref.version).toBe('1');
    expect(seed).toContain(ref.certification.title);
    expect(seed).toMatch(new RegExp(`Niveau ${ref.certification.level}\\b`));
    if (!/RNCP\d+/.test(seed)) expect(ref.certification.rncpCode).toBeUndefined();
    expect(ref.validationPolicy.blocValidation).toBe('jury');
    expect(ref.optionGroups).toEqual([expect.objectContaining({ code: 'SPECIALISATION', choose: 1 })]);
    expect(ref.blocs.filter((b) => b.optionGroup === 'SPECIALISATION').map((b) => b.code)).toEqual(['BC04', 'BC05']);
  });

  it('holds, bloc by bloc, the competencies, criteria and épreuves of the seed', () => {
    expect(compare(seedBlocs, seedPlain, ref)).toEqual([]);
  });

  describe('fails when the YAML drifts from the seed', () => {
    const mutate = (change: (r: Referential) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(ref)) as Referential;
      change(copy);
      return compare(seedBlocs, seedPlain, copy);
    };

    it('a competency dropped', () => {
      expect(
        mutate((r) => {
          r.blocs[2].competencies.splice(1, 1);
        }),
      ).not.toEqual([]);
    });
    it('a competency renamed (code or title)', () => {
      expect(
        mutate((r) => {
          r.blocs[1].competencies[0].code = 'C2.1.9';
        }),
      ).not.toEqual([]);
      expect(
        mutate((r) => {
          r.blocs[1].competencies[0].title = 'Autre chose';
        }),
      ).not.toEqual([]);
    });
    it('a criterion dropped', () => {
      expect(
        mutate((r) => {
          r.blocs[3].competencies[0].criteria!.pop();
        }),
      ).not.toEqual([]);
      expect(
        mutate((r) => {
          r.blocs[0].epreuves[0].criteria!.pop();
        }),
      ).not.toEqual([]);
    });
    it('an épreuve covering other competencies, or the étude de cas missing', () => {
      expect(
        mutate((r) => {
          r.blocs[0].epreuves[1].covers.pop();
        }),
      ).not.toEqual([]);
      expect(
        mutate((r) => {
          r.blocs[4].epreuves.pop();
        }),
      ).not.toEqual([]);
    });
  });
});
