import ExcelJS from 'exceljs';
import { COHORT_COLUMNS } from './cohort-columns';

const csvCell = (text: string) => (/[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * The CSV template: the headers, `;`-separated (what a French spreadsheet writes and opens), UTF-8
 * with a BOM so accents open as they are. `docs/cohort-template.csv` is this file.
 */
export function cohortTemplateCsv(): Buffer {
  return Buffer.from(`\uFEFF${COHORT_COLUMNS.map((c) => csvCell(c.header)).join(';')}\r\n`, 'utf8');
}

/** The XLSX template: the headers on the first sheet (« Candidats »), each column explained on the second (« Colonnes »). */
export async function cohortTemplateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jalon';
  // A fixed date: the same template gives the same bytes.
  workbook.created = workbook.modified = new Date('2026-01-01T00:00:00Z');
  const rows = workbook.addWorksheet('Candidats');
  rows.columns = COHORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: Math.max(14, c.header.length + 4) }));
  rows.getRow(1).font = { bold: true };
  rows.views = [{ state: 'frozen', ySplit: 1 }];
  const help = workbook.addWorksheet('Colonnes');
  help.columns = [
    { header: 'Colonne', key: 'header', width: 30 },
    { header: 'Obligatoire', key: 'required', width: 12 },
    { header: 'Contenu', key: 'help', width: 90 },
    { header: 'Exemple', key: 'example', width: 36 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of COHORT_COLUMNS) help.addRow({ header: c.header, required: c.required ? 'oui' : 'non', help: c.help, example: c.example });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
