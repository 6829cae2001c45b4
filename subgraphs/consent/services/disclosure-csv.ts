import type { SourcedRecord } from '../../../common/audit/witness/log-client.js';
import { recordTexts } from './disclosure-export.js';

/** The export's columns, in order; the console's CSV has had these since it was first built. */
export const CSV_COLUMNS = [
  'at',
  'subgraph',
  'sequence',
  'requestId',
  'agency',
  'officer',
  'purpose',
  'operation',
  'kind',
  'personId',
  'released',
  'refused',
  'basis',
] as const;

/** A cell quoted where it holds a separator, and where a spreadsheet would read it as a formula. */
function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) || /^[=+\-@\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line per record, CRLF-separated with a header; lists inside a cell are separated by "; ". */
export function disclosureCsv(records: SourcedRecord[]): string {
  const lines = records.map((r) => {
    const { released, refused, basis } = recordTexts(r);
    return [
      r.at.toISOString(),
      r.subgraph,
      r.sequence,
      r.requestId,
      r.agency,
      r.officer,
      r.purpose,
      r.operation,
      r.kind,
      r.personId,
      released,
      refused,
      basis,
    ]
      .map(cell)
      .join(',');
  });
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
