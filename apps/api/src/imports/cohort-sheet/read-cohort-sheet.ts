import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { ValidationError } from '@jalon/domain';
import { CohortColumn, CohortColumnKey, COHORT_COLUMNS, columnOfHeader } from './cohort-columns';

export type SheetFormat = 'csv' | 'xlsx';

/** One row of the file: its line (as a spreadsheet numbers it, the headers on line 1) and its cells by column. */
export interface SheetRow {
  readonly line: number;
  readonly cells: Partial<Record<CohortColumnKey, string>>;
}

/** The file's format, from its name or its first bytes (an XLSX file is a ZIP archive: `PK`). */
export function sheetFormatOf(name: string | undefined, head: Buffer): SheetFormat | undefined {
  if (head.subarray(0, 2).toString('latin1') === 'PK') return 'xlsx';
  if (name && /\.xlsx$/i.test(name)) return 'xlsx';
  if (!name || /\.(csv|txt)$/i.test(name) || !/\.[a-z0-9]+$/i.test(name)) return 'csv';
  return undefined;
}

/** The header row refused: each header not of the set, each required column missing. */
export function refuseHeaders(headers: readonly string[]): Map<number, CohortColumn> {
  const byIndex = new Map<number, CohortColumn>();
  const problems: { column: string; reason: string }[] = [];
  headers.forEach((header, index) => {
    if (header.trim() === '') return;
    const column = columnOfHeader(header);
    if (!column) problems.push({ column: header, reason: 'colonne inconnue (voir le modèle)' });
    else if ([...byIndex.values()].includes(column)) problems.push({ column: header, reason: 'colonne en double' });
    else byIndex.set(index, column);
  });
  for (const column of COHORT_COLUMNS)
    if (column.required && ![...byIndex.values()].includes(column)) problems.push({ column: column.header, reason: 'colonne obligatoire absente' });
  if (problems.length > 0)
    throw new ValidationError(
      'IMPORT.INVALID_COLUMNS',
      `the file's header row is not the cohort column set: ${problems.map((p) => `${p.column}: ${p.reason}`).join('; ')}`,
      {
        field: 'file',
        columns: problems,
      },
    );
  return byIndex;
}

/**
 * The rows of a cohort file, streamed: CSV through csv-parse (`;`, `,` or tab, as the header line
 * uses; UTF-8 with or without BOM), XLSX through exceljs's streaming WorkbookReader (its first
 * worksheet). The first row holds the headers; blank rows are skipped. Nothing is kept but the
 * header map: memory stays flat whatever the number of rows.
 */
export async function* readCohortSheet(input: Readable, format: SheetFormat): AsyncGenerator<SheetRow> {
  let columns: Map<number, CohortColumn> | undefined;
  for await (const { line, values } of format === 'csv' ? csvRecords(input) : xlsxRecords(input)) {
    if (values.every((v) => v === '')) continue;
    if (!columns) {
      columns = refuseHeaders(values);
      continue;
    }
    const cells: Partial<Record<CohortColumnKey, string>> = {};
    for (const [index, column] of columns) if (values[index] !== undefined && values[index] !== '') cells[column.key] = values[index];
    yield { line, cells };
  }
  if (!columns) throw new ValidationError('IMPORT.EMPTY_FILE', 'the file holds no header row: start from the template', { field: 'file' });
}

/** How many rows the file holds (its header and blank rows left out): a first pass, for the progress. */
export async function countCohortRows(input: Readable, format: SheetFormat): Promise<number> {
  let rows = 0;
  for await (const _ of readCohortSheet(input, format)) rows++;
  return rows;
}

interface RawRecord {
  readonly line: number;
  readonly values: string[];
}

async function* csvRecords(input: Readable): AsyncGenerator<RawRecord> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const first = await chunks.next();
  if (first.done) return;
  const headLine = String(first.value).split(/\r?\n/)[0];
  const count = (c: string) => headLine.split(c).length - 1;
  const delimiter = [';', '\t', ','].reduce((best, c) => (count(c) > count(best) ? c : best), ',');
  const rest = async function* () {
    yield first.value;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  };
  const parser = Readable.from(rest()).pipe(
    parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, info: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { line: info.lines, values: record };
}

async function* xlsxRecords(input: Readable): AsyncGenerator<RawRecord> {
  // Styles are read so that a date cell comes as a Date, not as Excel's day number.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let seen = false;
  for await (const worksheet of reader) {
    // The first worksheet holds the rows; the template's second one only explains the columns.
    if (seen) continue;
    seen = true;
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      yield { line: row.number, values };
    }
  }
}

/** What a cell says, as text: a date cell as YYYY-MM-DD, a formula by its result, rich text joined. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('richText' in value)
    return value.richText
      .map((part) => part.text)
      .join('')
      .trim();
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result);
  if ('text' in value) return cellText((value as { text: ExcelJS.CellValue }).text);
  return '';
}
