/**
 * Seed 002 (002_df3be63e55d16838.txt, "Expert en data science", OpenClassrooms) against
 * referentials/expert-en-data-science@1.yaml.
 *
 * The expectations are extracted from the seed text with regular expressions, independently of the
 * YAML: per bloc, the competency codes (in order), the criterion codes of each competency, the
 * opening words of every competency title and criterion, and the évaluation modalités (one épreuve
 * per distinct modalité per bloc, covering the competencies assessed that way).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const SEED_FILE = path.resolve(__dirname, '../../../../../shared/seeds/002_df3be63e55d16838.txt');
const YAML_FILE = path.resolve(__dirname, '../../../../referentials/expert-en-data-science@1.yaml');
const LOADER_FILE = path.resolve(__dirname, '../referential-loader');

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
interface Referential {
  referential: string;
  version: string;
  source?: string;
  certification: { title: string; rncpCode?: string; level: number; certifier: string };
  validationPolicy: { blocValidation: string; competencyAcquisition: string };
  optionGroups?: unknown[];
  blocs: Bloc[];
  extraRequirements?: unknown[];
}
interface LoadProblem {
  file: string;
  path: string;
  code: string;
  message: string;
}
type LoadResult = { ok: true; referential: Referential; problems: LoadProblem[] } | { ok: false; problems: LoadProblem[] };

/** True when libs/catalogue/src/referential-loader.ts exists (it is written in parallel with this spec). */
function loaderExists(): boolean {
  return ['.ts', '.js', '/index.ts'].some((ext) => fs.existsSync(LOADER_FILE + ext));
}

/** Loads with `loadReferentialFile` when it exists; otherwise parses the YAML locally. */
async function loadYaml(): Promise<{ referential: Referential; viaLoader: LoadResult | null }> {
  if (loaderExists()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadReferentialFile } = require(LOADER_FILE) as {
      loadReferentialFile: (file: string) => LoadResult | Promise<LoadResult>;
    };
    const result = await loadReferentialFile(YAML_FILE);
    if (result.ok) return { referential: result.referential, viaLoader: result };
    return { referential: parse(fs.readFileSync(YAML_FILE, 'utf8')) as Referential, viaLoader: result };
  }
  return { referential: parse(fs.readFileSync(YAML_FILE, 'utf8')) as Referential, viaLoader: null };
}

// ---------------------------------------------------------------------------------------------
// Extraction from the seed text
// ---------------------------------------------------------------------------------------------

/** Strips HTML tags (inline <i> without a space, the others as a space) and collapses whitespace. */
function plain(text: string): string {
  return text
    .replace(/<\/?i>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** First `n` characters of a text, after normalising whitespace and the space before a final dot. */
function head(text: string, n: number): string {
  return text.replace(/\s+/g, ' ').replace(/ +\./g, '.').replace(/d' /g, "d'").trim().slice(0, n);
}

interface SeedCompetency {
  code: string;
  titleStart: string;
  criteria: { code: string; textStart: string }[];
  modalite: string | null;
  soutenanceExpert: boolean;
}
interface SeedBloc {
  number: number;
  title: string;
  competencies: SeedCompetency[];
}

const COMPETENCY_CODE = /\bC\d+(?:\.\d+)+\b/g;

function extractSeed(seed: string): SeedBloc[] {
  const headers = [...seed.matchAll(/^Bloc de compétences (\d+) – ([^\t\n]+)/gm)];
  return headers.map((header, i) => {
    const start = header.index! + header[0].length;
    const end = i + 1 < headers.length ? headers[i + 1].index! : seed.length;
    const section = seed.slice(start, end);
    const occurrences = [...section.matchAll(COMPETENCY_CODE)];
    const competencies = occurrences.map((occurrence, j) => {
      const segStart = occurrence.index!;
      const segEnd = j + 1 < occurrences.length ? occurrences[j + 1].index! : section.length;
      const segment = section.slice(segStart, segEnd);
      // The competency cell: from the code to the end of its table cell.
      const titleCell = plain(segment.slice(occurrence[0].length).split('\t')[0]).replace(/^–\s*/, '');
      const flat = plain(segment);
      const criteria = [...flat.matchAll(/\bCE(\d+)\s+(?=(.{0,60}))/g)].map((m) => ({
        code: `CE${m[1]}`,
        textStart: head(m[2], 25),
      }));
      const modalite = /réalisée au moyen d'une ([^.]+)\./.exec(flat);
      return {
        code: occurrence[0],
        titleStart: head(titleCell, 40),
        criteria,
        modalite: modalite ? modalite[1].trim() : null,
        soutenanceExpert: /soutenance à un évaluateur \(expert technique\)/.test(flat),
      };
    });
    return { number: Number(header[1]), title: plain(header[2]), competencies };
  });
}

function kebab(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------------------------------------

describe('seed 002 — Expert en data science (OpenClassrooms) → expert-en-data-science@1.yaml', () => {
  const seed = fs.readFileSync(SEED_FILE, 'utf8');
  const seedBlocs = extractSeed(seed);
  let referential: Referential;
  let viaLoader: LoadResult | null;

  beforeAll(async () => {
    ({ referential, viaLoader } = await loadYaml());
  });

  it('extracts a sane structure from the seed (guards the extraction itself)', () => {
    const announced = /conditionnée à la validation des (\d+) blocs de compétences/.exec(seed);
    expect(announced).not.toBeNull();
    expect(seedBlocs.map((b) => b.number)).toEqual([1, 2, 3, 4]);
    expect(seedBlocs).toHaveLength(Number(announced![1]));
    const all = seedBlocs.flatMap((b) => b.competencies.map((c) => c.code));
    expect(new Set(all).size).toBe(all.length);
    expect(all[0]).toBe('C1.1');
    expect(all[all.length - 1]).toBe('C4.4.3');
    for (const b of seedBlocs) {
      for (const c of b.competencies) {
        expect(c.code.startsWith(`C${b.number}.`)).toBe(true);
        expect(c.criteria.length).toBeGreaterThan(0);
      }
    }
  });

  it('is reported without any problem by loadReferentialFile (when the loader exists)', () => {
    if (viaLoader === null) {
      // libs/catalogue/src/referential-loader.ts does not exist yet: the YAML was parsed locally.
      expect(loaderExists()).toBe(false);
      return;
    }
    expect(viaLoader.problems).toEqual([]);
    expect(viaLoader.ok).toBe(true);
  });

  it('names the certification as the seed does', () => {
    expect(referential.referential).toBe('expert-en-data-science');
    expect(referential.version).toBe('1');
    expect(referential.source).toBe(path.basename(SEED_FILE));
    expect(seed).toContain(`**${referential.certification.title}** d'${referential.certification.certifier}`);
    const rncp = /RNCP\s?\d+/.exec(seed);
    if (rncp) expect(referential.certification.rncpCode).toBe(rncp[0].replace(/\s/g, ''));
    else expect(referential.certification.rncpCode).toBeUndefined();
    expect(referential.validationPolicy.blocValidation).toBe('jury');
  });

  it('has the blocs of the seed, all mandatory, with the seed titles', () => {
    expect(referential.blocs.map((b) => b.code)).toEqual(seedBlocs.map((b) => `BC${String(b.number).padStart(2, '0')}`));
    referential.blocs.forEach((bloc, i) => {
      expect(bloc.optionGroup).toBeUndefined();
      expect(bloc.title).toBe(seedBlocs[i].title);
    });
    expect(referential.optionGroups ?? []).toEqual([]);
  });

  describe.each(seedBlocs.map((b) => [`BC${String(b.number).padStart(2, '0')}`, b] as const))('%s', (blocCode, seedBloc) => {
    const bloc = (): Bloc => {
      const found = referential.blocs.find((b) => b.code === blocCode);
      if (!found) throw new Error(`bloc ${blocCode} missing from the YAML`);
      return found;
    };

    it('has exactly the competency codes of the seed, in order', () => {
      expect(bloc().competencies.map((c) => c.code)).toEqual(seedBloc.competencies.map((c) => c.code));
    });

    it('words every competency title as the seed does', () => {
      for (const sc of seedBloc.competencies) {
        const c = bloc().competencies.find((x) => x.code === sc.code);
        expect({ code: sc.code, titleStart: c && head(c.title, 40) }).toEqual({ code: sc.code, titleStart: sc.titleStart });
      }
    });

    it('attaches to each competency the criteria of the seed (codes and opening words)', () => {
      for (const sc of seedBloc.competencies) {
        const c = bloc().competencies.find((x) => x.code === sc.code);
        const actual = (c?.criteria ?? []).map((k) => ({ code: k.code, textStart: head(k.text, 25) }));
        expect({ competency: sc.code, criteria: actual }).toEqual({ competency: sc.code, criteria: sc.criteria });
      }
    });

    it('has one épreuve per distinct modalité, covering the competencies assessed that way', () => {
      const byModalite = new Map<string, string[]>();
      for (const sc of seedBloc.competencies) {
        expect({ code: sc.code, modalite: sc.modalite }).not.toEqual({ code: sc.code, modalite: null });
        const list = byModalite.get(sc.modalite!) ?? [];
        list.push(sc.code);
        byModalite.set(sc.modalite!, list);
      }
      const epreuves = bloc().epreuves;
      expect(epreuves).toHaveLength(byModalite.size);
      expect(epreuves.map((e) => e.code)).toEqual([...byModalite.keys()].map((_, i) => `${blocCode}-E${i + 1}`));
      [...byModalite.entries()].forEach(([modalite, codes], i) => {
        const e = epreuves[i];
        expect(kebab(modalite)).toContain(e.kind);
        expect(e.covers).toEqual(codes);
        expect(e.assessorKind).toBe('expert-technique');
        expect(e.deliverables).toContain('oral-presentation');
      });
    });

    it('gives every épreuve a soutenance to an expert technique, 30 min by default', () => {
      for (const sc of seedBloc.competencies) expect({ code: sc.code, soutenance: sc.soutenanceExpert }).toEqual({ code: sc.code, soutenance: true });
      const figure = /soutenance[^.]{0,80}?(\d+)\s*min/i.exec(seed);
      for (const e of bloc().epreuves) {
        const soutenance = (e.timedParts ?? []).find((t) => t.code === 'soutenance');
        expect(soutenance).toBeDefined();
        if (figure) expect(soutenance!.baseDurationMinutes).toBe(Number(figure[1]));
        else {
          expect(soutenance!.baseDurationMinutes).toBe(30);
          expect(soutenance!.note).toBeTruthy();
        }
      }
    });
  });

  it('keeps every code unique and every competency covered and assessable', () => {
    const blocs = referential.blocs;
    const competencyCodes = blocs.flatMap((b) => b.competencies.map((c) => c.code));
    const epreuveCodes = blocs.flatMap((b) => b.epreuves.map((e) => e.code));
    expect(new Set(competencyCodes).size).toBe(competencyCodes.length);
    expect(new Set(epreuveCodes).size).toBe(epreuveCodes.length);
    for (const b of blocs) {
      const covered = new Set(b.epreuves.flatMap((e) => e.covers));
      for (const c of b.competencies) {
        expect({ code: c.code, covered: covered.has(c.code) }).toEqual({ code: c.code, covered: true });
        const codes = (c.criteria ?? []).map((k) => k.code);
        expect(new Set(codes).size).toBe(codes.length);
        const viaEpreuve = b.epreuves.some(
          (e) => e.covers.includes(c.code) && (e.criteria ?? []).some((k) => !k.competencies || k.competencies.includes(c.code)),
        );
        expect({ code: c.code, assessable: codes.length > 0 || viaEpreuve }).toEqual({ code: c.code, assessable: true });
      }
    }
  });
});
