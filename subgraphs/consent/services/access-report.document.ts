import { DEFAULT_DISTRICT_TIME_ZONE, formatInstantIn } from '../../../common/district-time.js';
import { BasisKind, type AccessReport, type BasisView } from '../entities/disclosure.type.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function basisText(basis: BasisView, timeZone: string): string {
  switch (basis.kind) {
    case BasisKind.OWN_TASK:
      return `${basis.category}: own statutory task of the holder`;
    case BasisKind.STATUTE:
      return `${basis.category}: statute (${basis.statute ?? ''})`;
    case BasisKind.CONSENT:
      return `${basis.category}: consent ${basis.consentId ?? ''}, version ${basis.consentVersion ?? ''}${
        basis.consentVoidedAt
          ? ` (this consent was later voided as recorded in error, on ${formatInstantIn(basis.consentVoidedAt, timeZone)}: ${basis.consentVoidReason ?? ''})`
          : ''
      }`;
  }
}

/**
 * The Art. 15 report as a self-contained HTML page that prints on A4. A report of several pages (`continued`:
 * not the first; `report.hasNextPage`: not the last) says which part it is, so that no part reads as the whole.
 */
export function renderAccessReport(
  report: AccessReport,
  timeZone = DEFAULT_DISTRICT_TIME_ZONE,
  continued = false,
): string {
  const partial = continued || report.hasNextPage;
  const dates = report.entries.map((e) => e.date).sort();
  const part = partial
    ? `<p><strong>This is one part of the report${
        dates.length ? `: the days from ${escape(dates[0])} to ${escape(dates[dates.length - 1])}` : ''
      }.</strong> ${continued ? 'Newer entries are in the parts before this one. ' : ''}${
        report.hasNextPage ? 'Older entries follow in the next part.' : 'No older entries follow.'
      }</p>`
    : '';
  const table = (entries: AccessReport['entries']) =>
    entries
      .map(
        (
          e,
        ) => `<tr><td>${escape(e.date)}</td><td>${escape(e.recipient)}</td><td>${escape(e.holder)}</td><td>${escape(e.purpose)}</td>
<td>${e.categories.map(escape).join(', ')}</td><td>${e.basis.map((b) => escape(basisText(b, timeZone))).join('<br>')}</td><td>${e.requests}</td></tr>`,
      )
      .join('\n');
  const head =
    '<thead><tr><th>Date</th><th>Recipient</th><th>Held by</th><th>Purpose</th><th>Categories</th><th>Legal basis</th><th>Requests</th></tr></thead>';
  const disclosures = report.entries.filter((e) => !e.ownRecords);
  const own = report.entries.filter((e) => e.ownRecords);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Disclosure report for person ${escape(report.personId)}</title>
<style>body{font-family:sans-serif;margin:2cm}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px;font-size:10pt;vertical-align:top}@page{size:A4}</style>
</head><body>
<h1>Recipients of your data (GDPR Art. 15 (1) (c))</h1>
<p>Person id: ${escape(report.personId)}<br>Generated: ${escape(formatInstantIn(report.generatedAt, timeZone))}</p>
<p>Each row names an agency that received data about you, the agency that held the data, when, for which purpose,
which categories, and the legal basis. Names of individual officers are not shown.</p>
${part}
<h2>Data disclosed to other agencies</h2>
${
  disclosures.length === 0
    ? partial
      ? '<p>None in this part.</p>'
      : '<p>No agency has received data about you from another agency.</p>'
    : `<table>
${head}
<tbody>
${table(disclosures)}
</tbody></table>`
}
<h2>Agencies reading their own records about you</h2>
<p>These are not transfers: the agency read what it itself holds, for its own task.</p>
${
  own.length === 0
    ? partial
      ? '<p>None in this part.</p>'
      : '<p>None.</p>'
    : `<table>
${head}
<tbody>
${table(own)}
</tbody></table>`
}
</body></html>
`;
}
