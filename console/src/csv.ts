import type { DisclosureRecord } from './operations';

export const CSV_COLUMNS = [
  'at', 'subgraph', 'sequence', 'requestId', 'agency', 'officer', 'purpose', 'operation', 'kind', 'personId', 'released', 'refused', 'basis',
] as const;

function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) || /^[=+\-@\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line per record; lists inside a cell are separated by "; ". */
export function toCsv(records: DisclosureRecord[]): string {
  const lines = records.map((r) =>
    [
      r.at, r.subgraph, r.sequence, r.requestId, r.agency, r.officer, r.purpose, r.operation, r.kind, r.personId,
      r.released.map((f) => `${f.field} (${f.category})`).join('; '),
      r.refused.map((f) => `${f.field} (${f.category}, ${f.reason})`).join('; '),
      r.basis.map((b) => `${b.category}: ${b.kind}${b.statute ? ` ${b.statute}` : ''}${b.consentId ? ` ${b.consentId}@${b.consentVersion}` : ''}`).join('; '),
    ].map(cell).join(','),
  );
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
