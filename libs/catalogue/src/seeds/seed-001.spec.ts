/**
 * Seed 001 (001_92ba9ac8d2aa0f31.txt, "Data Engineer - Data Scientist", OMNES Education) against
 * referentials/data-engineer-data-scientist@1.yaml.
 *
 * The expectations are extracted from the seed text with regular expressions, independently of the
 * YAML, bloc by bloc ("BLOC n : ..." headings, then the table rows whose cells are separated by TABs:
 * activités | compétences | modalités d'évaluation | critères d'évaluation; a long cell continues on
 * the next row):
 * - the competency codes and their full wording (competency column, "C1 Identifier ..." / "C8</p> <p>Concevoir");
 * - the épreuves ("E4 Mise en situation professionnelle (C19, C20, C22, C23, C24)") with the competencies
 *   they cover, their kind, whether they have an oral part and whether a jury is named;
 * - the criteria: the criteria column holds, per competency, one block "C1 - Le candidat doit ... :"
 *   followed by bullet points; the YAML holds it as one criterion of that competency (the block's heading
 *   as text) with the bullets as indicators, so the number of criteria and of indicators per competency
 *   and their wording are compared.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadReferentialFile } from '../referential-loader';

const SEED_FILE = path.resolve(__dirname, '../../../../../shared/seeds/001_92ba9ac8d2aa0f31.txt');
/** SEED_001_YAML lets a reviewer point the spec at an altered copy to see it fail. */
const YAML_FILE = process.env.SEED_001_YAML ?? path.resolve(__dirname, '../../../../referentials/data-engineer-data-scientist@1.yaml');

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
  competencies: Competency[];
  epreuves: Epreuve[];
}
interface ExtraRequirement {
  code: string;
  title: string;
  description?: string;
}
interface Referential {
  referential: string;
  version: string;
  source?: string;
  certification: { title: string; rncpCode?: string; level: number; certifier: string };
  validationPolicy: { blocValidation: string; competencyAcquisition: string };
  optionGroups?: unknown[];
  blocs: Bloc[];
  extraRequirements?: ExtraRequirement[];
}

// ---------------------------------------------------------------------------------------------
// Extraction from the seed text
// ---------------------------------------------------------------------------------------------

/**
 * Wording only: HTML tags out (inline ones without a space), markdown emphasis, footnote markers,
 * bullet markers (•, ●, ○ and "- " list dashes) out, whitespace collapsed.
 */
function norm(text: string): string {
  return text
    .replace(/<\/?(?:i|b|em|strong)>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\*+/g, '')
    .replace(/[¹²³]/g, '')
    .replace(/[•●○]/g, ' ')
    .replace(/(^|\s)-(?=\s)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface SeedEpreuve {
  label: string;
  kind: string;
  covers: string[];
  oral: boolean;
  jury: boolean;
}
interface SeedCriteriaBlock {
  heading: string;
  bullets: string[];
}
interface SeedBloc {
  number: number;
  title: string;
  competencies: { code: string; title: string }[];
  epreuves: SeedEpreuve[];
  criteria: Map<string, SeedCriteriaBlock[]>;
  /** Paragraphs outside the table (where a competency's wording can end up, e.g. C18). */
  paragraphs: string[];
}

const KIND_BY_NAME: Record<string, string> = {
  'Mise en situation professionnelle': 'mise-en-situation-professionnelle',
  'Etude de cas': 'etude-de-cas',
};

/** "C1 à C5" → C1…C5; "C19, C20" → C19, C20. */
function expandCodes(list: string): string[] {
  const codes: string[] = [];
  for (const part of list.split(',')) {
    const range = /C(\d+)\s*à\s*C(\d+)/.exec(part);
    if (range) {
      for (let n = Number(range[1]); n <= Number(range[2]); n++) codes.push(`C${n}`);
    } else {
      const single = /C(\d+)/.exec(part);
      if (single) codes.push(`C${single[1]}`);
    }
  }
  return codes;
}

/** Splits `stream` at each match of `re` (global, group 1 = number): code → text up to the next match. */
function splitAt(stream: string, re: RegExp): { code: string; text: string }[] {
  const matches = [...stream.matchAll(re)];
  return matches.map((m, i) => ({
    code: `C${m[1]}`,
    text: stream.slice(m.index! + m[0].length, i + 1 < matches.length ? matches[i + 1].index : stream.length),
  }));
}

function bulletsOf(text: string): { heading: string; bullets: string[] } {
  if (/[•●]/.test(text)) {
    const [heading, ...bullets] = text.split(/[•●]/);
    return { heading: norm(heading), bullets: bullets.map(norm) };
  }
  // Markdown list (outside the table): "- item" lines.
  const [heading, ...bullets] = text.split(/\n\s*-\s+/);
  return { heading: norm(heading), bullets: bullets.map(norm) };
}

function extractSeed(text: string): SeedBloc[] {
  const lines = text.split('\n');
  const starts: { index: number; number: number; title: string }[] = [];
  lines.forEach((line, index) => {
    const m = /^BLOC (\d+) : (.+?)\s*$/.exec(line);
    if (m) starts.push({ index, number: Number(m[1]), title: m[2] });
  });
  return starts.map((start, i) => {
    const section = lines.slice(start.index + 1, i + 1 < starts.length ? starts[i + 1].index : lines.length);
    const rows = section
      .filter((line) => line.includes('\t'))
      .map((line) => line.split('\t'))
      .filter((cells) => !cells.every((cell) => /^\s*-*\s*$/.test(cell)));
    // Where the modalités cell spans several rows, the flattened row lacks it and its criteria cell
    // moves one place left (row of C2): a cell holding "Cn - Le candidat ..." is a criteria cell.
    const isCriteriaCell = (cell: string) => /C\d+\s*[-–]\s*Le candidat/.test(cell) && !/\bE\d+\s/.test(cell);
    const columns = rows.map(([, competency = '', modalites = '', criteria = '']) =>
      isCriteriaCell(modalites) && criteria.trim() === '' ? [competency, '', modalites] : [competency, modalites, criteria],
    );
    const column = (n: 1 | 2 | 3) => columns.map((cells) => cells[n - 1]).join(' ');

    // Criteria written as markdown after the table ("C18 - Le candidat ..." then "- ..." lines).
    const outside: string[] = [];
    let capturing = false;
    for (const line of section) {
      if (line.includes('\t')) {
        capturing = false;
        continue;
      }
      if (/^C\d+\s*[-–]\s*Le candidat/.test(line)) {
        capturing = true;
        outside.push(line);
        continue;
      }
      if (capturing && (/^\s*$/.test(line) || /^\s*-\s/.test(line))) {
        outside.push(line);
        continue;
      }
      capturing = false;
    }
    const paragraphs = section.filter((line) => !line.includes('\t') && line.trim() !== '').map(norm);

    const competencies = splitAt(column(1), /<p>C(\d+)(?=<\/p>|\s+(?![-–]))/g).map((c) => ({
      code: c.code,
      title: norm(c.text),
    }));

    const criteria = new Map<string, SeedCriteriaBlock[]>();
    const criteriaStream = `${column(3)}\n${outside.join('\n')}`;
    for (const block of splitAt(criteriaStream, /\bC(\d+)\s*[-–]\s*(?=Le candidat)/g)) {
      criteria.set(block.code, [...(criteria.get(block.code) ?? []), bulletsOf(block.text)]);
    }

    const modalites = norm(column(2));
    const epreuveRe = /E(\d+)\s+(Mise en situation professionnelle|Etude de cas)\s*\(([^)]*)\)/g;
    const found = [...modalites.matchAll(epreuveRe)];
    const epreuves = new Map<string, SeedEpreuve>();
    found.forEach((m, k) => {
      const label = `E${m[1]}`;
      const body = modalites.slice(m.index!, k + 1 < found.length ? found[k + 1].index : modalites.length);
      if (epreuves.has(label)) return; // the same modalité repeated on a continuation row
      epreuves.set(label, {
        label,
        kind: KIND_BY_NAME[m[2]],
        covers: expandCodes(m[3]),
        oral: /orale?\b/i.test(body),
        jury: /\bjury\b/i.test(body),
      });
    });

    return {
      number: start.number,
      title: start.title,
      competencies,
      epreuves: [...epreuves.values()],
      criteria,
      paragraphs,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------

const seedText = fs.readFileSync(SEED_FILE, 'utf8');
const seed = extractSeed(seedText);
const loaded = loadReferentialFile(YAML_FILE);
/** What the loader returns; if it refuses the file, the raw YAML, so the comparisons below still say what differs. */
const referential = (loaded.ok ? loaded.referential : parse(fs.readFileSync(YAML_FILE, 'utf8'))) as Referential;
const sorted = (codes: string[]) => [...codes].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

describe('seed 001 (Data Engineer - Data Scientist) → data-engineer-data-scientist@1.yaml', () => {
  it('extracts a plausible structure from the seed (guards the regular expressions themselves)', () => {
    expect(seed.map((b) => b.number)).toEqual([1, 2, 3, 4]);
    const all = seed.flatMap((b) => b.competencies.map((c) => c.code));
    expect(all).toEqual(Array.from({ length: 24 }, (_, i) => `C${i + 1}`));
    expect(seed.flatMap((b) => b.epreuves.map((e) => e.label))).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
    for (const bloc of seed) {
      expect(sorted([...bloc.criteria.keys()])).toEqual(sorted(bloc.competencies.map((c) => c.code)));
    }
  });

  it('is accepted by loadReferentialFile without any problem', () => {
    expect(loaded.problems).toEqual([]);
    expect(loaded.ok).toBe(true);
  });

  it('has the certification as the seed names it', () => {
    expect(referential.referential).toBe('data-engineer-data-scientist');
    expect(referential.version).toBe('1');
    expect(referential.source).toBe(path.basename(SEED_FILE));
    expect(seedText).toMatch(/OMNES Education/);
    expect(referential.certification.certifier).toBe('OMNES Education');
    // The seed states no RNCP code, so the YAML must not invent one.
    if (!/RNCP\s*\d+/.test(seedText)) expect(referential.certification.rncpCode).toBeUndefined();
    expect(referential.optionGroups ?? []).toEqual([]);
  });

  it('has the 4 blocs, all mandatory, with the seed titles', () => {
    expect(referential.blocs.map((b) => b.code)).toEqual(seed.map((b) => `BC0${b.number}`));
    referential.blocs.forEach((bloc, i) => {
      expect(bloc.title).toBe(seed[i].title);
      expect(bloc.optionGroup).toBeUndefined();
    });
  });

  describe.each(seed.map((b) => [`BC0${b.number}`, b] as const))('bloc %s', (code, seedBloc) => {
    const bloc = () => {
      const found = referential.blocs.find((b) => b.code === code);
      if (!found) throw new Error(`bloc ${code} missing from the YAML`);
      return found;
    };

    it('has the competencies of the seed, in order, with their full wording', () => {
      expect(bloc().competencies.map((c) => c.code)).toEqual(seedBloc.competencies.map((c) => c.code));
      for (const expected of seedBloc.competencies) {
        const actual = bloc().competencies.find((c) => c.code === expected.code)!;
        if (expected.title) {
          expect({ code: expected.code, title: norm(actual.title) }).toEqual(expected);
        } else {
          // The table cell holds the code only (C18): the wording is a paragraph after the table.
          expect(seedBloc.paragraphs).toContain(norm(actual.title));
        }
      }
    });

    it('has, per competency, the criteria of the seed with their indicators as worded', () => {
      for (const competency of bloc().competencies) {
        const expected = seedBloc.criteria.get(competency.code) ?? [];
        const actual = (competency.criteria ?? []).map((c) => ({
          heading: norm(c.text),
          bullets: (c.indicators ?? []).map(norm),
        }));
        expect({ code: competency.code, criteria: actual }).toEqual({ code: competency.code, criteria: expected });
      }
    });

    it('has the épreuves of the seed with the competencies they cover', () => {
      const actual = bloc().epreuves.map((e) => ({
        label: e.label ?? e.code,
        kind: e.kind,
        covers: sorted(e.covers),
        oral: (e.timedParts ?? []).length > 0 && e.deliverables.includes('oral-presentation'),
        jury: e.assessorKind === 'jury-professionnels',
      }));
      expect(actual).toEqual(seedBloc.epreuves.map((e) => ({ ...e, covers: sorted(e.covers) })));
      for (const epreuve of bloc().epreuves) {
        expect(epreuve.code).toBe(epreuve.label);
        // The seed attaches every criterion to a competency row, none to an épreuve.
        expect(epreuve.criteria ?? []).toEqual([]);
      }
    });

    it('assesses every competency of the bloc', () => {
      const covered = new Set(bloc().epreuves.flatMap((e) => e.covers));
      expect(
        bloc()
          .competencies.map((c) => c.code)
          .filter((c) => !covered.has(c)),
      ).toEqual([]);
    });
  });

  it('has the extra requirements of the full certification', () => {
    const sentence =
      /La certification totale est délivrée au candidat ayant obtenu les 4 blocs de compétences et ayant validé le projet fil rouge et la soutenance finale devant jury\./;
    expect(seedText).toMatch(sentence);
    const extras = referential.extraRequirements ?? [];
    expect(extras.map((e) => [e.code, e.title])).toEqual([
      ['PROJET-FIL-ROUGE', 'Projet fil rouge'],
      ['SOUTENANCE-FINALE', 'Soutenance finale devant jury'],
    ]);
    for (const extra of extras) expect(norm(extra.description ?? '')).toMatch(sentence);
    expect(referential.validationPolicy.blocValidation).toBe('jury');
  });
});
