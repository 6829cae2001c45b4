import { parseBasis } from '../../../common/audit/log/record.js';
import type { SourcedRecord } from '../../../common/audit/witness/log-client.js';

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
  const lines = records.map((r) =>
    [
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
      r.released.map((f) => `${f.field} (${f.category})`).join('; '),
      r.refused.map((f) => `${f.field} (${f.category}, ${f.reason})`).join('; '),
      r.basis
        .map((b) => {
          const p = parseBasis(b.basis);
          return `${b.category}: ${p.kind}${p.statute ? ` ${p.statute}` : ''}${p.consentId ? ` ${p.consentId}@${p.consentVersion}` : ''}`;
        })
        .join('; '),
    ]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
