import Ajv, { ErrorObject } from 'ajv';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document, LineCounter, parseDocument } from 'yaml';
import { Referential, validateReferentialContent } from '@jalon/domain';
import referentialSchema from '../../../referentials/schema/referential.schema.json';

/** Where a référentiel file is wrong: the file, the path inside it, a stable code and a reason. */
export interface ReferentialFileProblem {
  readonly file: string;
  readonly path: string;
  readonly code: string;
  readonly message: string;
  /** Where in the file (1-based): of a syntax error, or of the node the path names. */
  readonly line?: number;
  readonly column?: number;
}

export type LoadResult =
  | { readonly ok: true; readonly referential: Referential; readonly contentHash: string; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly ReferentialFileProblem[] };

export const REFERENTIALS_DIR = resolve(__dirname, '../../../referentials');

const validateSchema = new Ajv({ allErrors: true, strict: true }).compile<Referential>(referentialSchema);

/** A JSON Schema error as a problem of the file, with the code of the file's kind (REFERENTIAL.SCHEMA, ERRATA.SCHEMA). */
export function schemaProblem(file: string, error: ErrorObject, code = 'REFERENTIAL.SCHEMA'): ReferentialFileProblem {
  const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  const allowed = error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : '';
  return { file, path: error.instancePath || '/', code, message: `${error.message ?? 'invalid'}${extra}${allowed}` };
}

/** A référentiel has no use for aliases; the few a hand-written file may hold stay well below this. */
const MAX_ALIAS_COUNT = 50;

/**
 * A YAML text parsed: its data, and how to put a problem on the line of the node its path names;
 * or its first syntax error (under `code`: REFERENTIAL.YAML, ERRATA.YAML).
 */
export type ParsedYaml =
  | { readonly ok: true; readonly data: unknown; readonly located: (problem: ReferentialFileProblem) => ReferentialFileProblem }
  | { readonly ok: false; readonly problems: readonly ReferentialFileProblem[] };

export function parseYamlText(text: string, file: string, code: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  if (document.errors.length > 0) {
    // The first syntax error only: the parser's later ones are that one's consequences, further down.
    const [first] = document.errors;
    const { line, col: column } = lineCounter.linePos(first.pos[0]);
    return { ok: false, problems: [{ file, path: `line ${line}, column ${column}`, code, message: first.message, line, column }] };
  }
  let data: unknown;
  try {
    // Refuses, among others, a document whose aliases would expand beyond reason (a "billion laughs").
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { ok: false, problems: [{ file, path: '/', code, message: error instanceof Error ? error.message : String(error) }] };
  }
  // Each problem also says where in the file it is: the line of the node its path names.
  return { ok: true, data, located: (problem) => ({ ...problem, ...lineOf(document, lineCounter, problem.path) }) };
}

/** Parses and validates a référentiel's YAML text: structure first (JSON Schema), then content rules. */
export function loadReferentialText(text: string, file = '<input>'): LoadResult {
  const parsed = parseYamlText(text, file, 'REFERENTIAL.YAML');
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const { data, located } = parsed;
  if (!validateSchema(data)) {
    // Every problem at once: the content rules too, where the structure lets them run.
    return {
      ok: false,
      problems: [...(validateSchema.errors ?? []).map((e) => schemaProblem(file, e)), ...contentProblemsOfInvalid(data).map((p) => ({ file, ...p }))].map(
        located,
      ),
    };
  }
  const problems = validateReferentialContent(data).map((p) => located({ file, ...p }));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, referential: data, contentHash: contentHash(data), problems: [] };
}

/** The line and column of the node a JSON pointer (`/blocs/0/title`) names, or of its nearest parent that exists. */
function lineOf(document: Document, lineCounter: LineCounter, pointer: string): { line?: number; column?: number } {
  if (!pointer.startsWith('/')) return {};
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(segments.slice(0, depth), true);
    const start = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (start === undefined) continue;
    const { line, col } = lineCounter.linePos(start);
    return { line, column: col };
  }
  return {};
}

/**
 * The content rules on a document the schema refused: they expect its structure, so a part too
 * broken for them (a bloc without its competencies, say) makes them throw, and they then add nothing.
 */
function contentProblemsOfInvalid(data: unknown): ReturnType<typeof validateReferentialContent> {
  try {
    return validateReferentialContent(data as Referential);
  } catch {
    return [];
  }
}

export function loadReferentialFile(file: string): LoadResult {
  return loadReferentialText(readFileSync(file, 'utf8'), file);
}

/** SHA-256 of the canonical JSON (keys sorted), so formatting and key order do not change it. */
export function contentHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
