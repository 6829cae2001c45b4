import ExcelJS from 'exceljs';
import { parseBasis } from '../../../common/audit/log/record.js';
import type { SourcedRecord } from '../../../common/audit/witness/log-client.js';
import { wallClock } from '../../../common/district-time.js';

/**
 * The officers' export of disclosure records as a German office opens it: one row per record, the time on the
 * district's clock, agencies by the district's name for them. The same rows go into the CSV (as German Excel
 * reads it: UTF-8 with BOM, semicolons, CRLF) and into the .xlsx workbook (ExcelJS).
 */
export interface ExportOptions {
  /** The district's zone (DISTRICT_TIME_ZONE): times are written on its clock, the header names it. */
  timeZone: string;
  /** The district's names for its agencies (the agencies file's displayName). */
  agencyNames: Readonly<Record<string, string>>;
}

/** The column headings, in order; the time column names the zone. */
export function exportHeader(timeZone: string): string[] {
  return [
    `Zeit (${timeZone})`,
    'Empfänger',
    'Empfänger-Kennung',
    'Zweck',
    'Bearbeiter (Pseudonym)',
    'Vorgang',
    'Art',
    'Person',
    'Freigegeben',
    'Verweigert',
    'Grundlage',
    'Protokoll',
    'Nr.',
    'Anfrage',
  ];
}

const two = (n: number) => String(n).padStart(2, '0');

/** 06.12.2026 09:41:07 on the district's clock. */
export function localTime(instant: Date, timeZone: string): string {
  const c = wallClock(instant, timeZone);
  return `${two(c.day)}.${two(c.month)}.${c.year} ${two(c.hour)}:${two(c.minute)}:${two(c.second)}`;
}

/** A record's released fields, refused fields and bases as the exports write them: lists separated by "; ". */
export function recordTexts(r: SourcedRecord): { released: string; refused: string; basis: string } {
  return {
    released: r.released.map((f) => `${f.field} (${f.category})`).join('; '),
    refused: r.refused.map((f) => `${f.field} (${f.category}, ${f.reason})`).join('; '),
    basis: r.basis
      .map((b) => {
        const p = parseBasis(b.basis);
        return `${b.category}: ${p.kind}${p.statute ? ` ${p.statute}` : ''}${p.consentId ? ` ${p.consentId}@${p.consentVersion}` : ''}`;
      })
      .join('; '),
  };
}

/** The rows of the export, header first. */
export function exportRows(records: readonly SourcedRecord[], options: ExportOptions): string[][] {
  const name = (agency: string) => options.agencyNames[agency] ?? agency;
  return [
    exportHeader(options.timeZone),
    ...records.map((r) => {
      const { released, refused, basis } = recordTexts(r);
      return [
        localTime(r.at, options.timeZone),
        name(r.agency),
        r.agency,
        r.purpose,
        r.officer,
        r.operation ?? '',
        r.kind,
        r.personId ?? '',
        released,
        refused,
        basis,
        r.subgraph,
        String(r.sequence),
        r.requestId,
      ];
    }),
  ];
}

/** A cell quoted where it holds a separator, and neutralised where a spreadsheet would read it as a formula. */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV as German Excel opens it by double-click: UTF-8 with BOM, `;` between cells, CRLF between rows. */
export function excelCsv(rows: readonly string[][]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}

/** The same rows as an .xlsx workbook, every cell text, the header bold and frozen. */
export async function xlsxOf(rows: readonly string[][], sheetName = 'Offenlegungen'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Verbund';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Strings stay text in the workbook (ExcelJS writes a formula only when given one), so nothing is neutralised.
  for (const row of rows) sheet.addRow([...row]);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(60, Math.max(10, ...rows.map((r) => (r[i] ?? '').length + 2)));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
