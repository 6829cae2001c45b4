import { useQuery } from '@apollo/client/react';
import { SUBGRAPHS } from '../../../common/domain';
import { formatInstant, instantOfInput } from '../district-time';
import { apiErrors } from '../errors';
import {
  CATEGORIES,
  PURPOSES,
  VERIFICATION,
  type AuditAction,
  type DisclosureBasis,
  type DisclosureFilter,
  type DisclosureRecord,
} from '../operations';
import { BasisKind, DisclosureDecision } from '../gql/graphql';
import { href, navigate } from '../router';
import { useConsentSettings } from './Consents';

/** The data subgraphs' logs (the consent registry's own log holds the officers' reads). */
export const LOG_SUBGRAPHS: readonly string[] = SUBGRAPHS.filter((s) => s !== 'consent');

/** What the officer filters by: the API's DisclosureFilter, plus category and basis applied here. */
export interface Filters {
  agency: string;
  purpose: string;
  decision: string;
  from: string;
  to: string;
  category: string;
  basis: string;
}

export const NO_FILTERS: Filters = { agency: '', purpose: '', decision: '', from: '', to: '', category: '', basis: '' };

/**
 * The API's filter for the form's: a day typed in `from` or `to` means 00:00 of that day on the district's clock
 * (`timeZone`), whatever zone the officer's browser runs in.
 */
export function apiFilter(filters: Filters, timeZone: string): DisclosureFilter {
  const startOf = (day: string) => (day ? instantOfInput(`${day}T00:00`, timeZone) : null);
  return {
    agency: filters.agency.trim() || null,
    purpose: (filters.purpose || null) as DisclosureFilter['purpose'],
    decision: (filters.decision || null) as DisclosureFilter['decision'],
    from: startOf(filters.from),
    to: startOf(filters.to),
  };
}

/** Category and basis are not filters of the API; the page applies them to the records it loaded. */
export function matchesLocally(record: DisclosureRecord, filters: Filters): boolean {
  if (
    filters.category &&
    !record.released.some((f) => f.category === filters.category) &&
    !record.refused.some((f) => f.category === filters.category)
  ) {
    return false;
  }
  if (filters.basis && !record.basis.some((b) => b.kind === filters.basis)) return false;
  return true;
}

export function FilterForm({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const apply = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const applied: Filters = { ...NO_FILTERS };
    for (const key of Object.keys(NO_FILTERS) as (keyof Filters)[])
      applied[key] = (form.get(key) as string | null) ?? '';
    onApply(applied);
  };
  const select = (name: keyof Filters, label: string, options: readonly string[]) => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={filters[name]}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form className="card filters" onSubmit={apply} aria-label="Filters">
      <div className="field">
        <label htmlFor="filter-agency">Recipient agency</label>
        <input id="filter-agency" name="agency" defaultValue={filters.agency} placeholder="e.g. jobcenter" />
      </div>
      {select('purpose', 'Purpose', PURPOSES)}
      {select('decision', 'Decision', Object.values(DisclosureDecision))}
      {select('category', 'Category', CATEGORIES)}
      {select('basis', 'Basis', Object.values(BasisKind))}
      <div className="field">
        <label htmlFor="filter-from">From (inclusive)</label>
        <input id="filter-from" name="from" type="date" defaultValue={filters.from} />
      </div>
      <div className="field">
        <label htmlFor="filter-to">Before</label>
        <input id="filter-to" name="to" type="date" defaultValue={filters.to} />
      </div>
      <button type="submit">Apply filters</button>
    </form>
  );
}

function BasisLink({ basis }: { basis: DisclosureBasis }) {
  const { timeZone } = useConsentSettings();
  if (basis.kind === 'CONSENT' && basis.consentId) {
    const path = `consent/${basis.consentId}?version=${basis.consentVersion ?? ''}`;
    return (
      <a
        href={href(path)}
        onClick={(e) => {
          e.preventDefault();
          navigate(path);
        }}
      >
        consent {basis.consentId.slice(0, 8)}@{basis.consentVersion}
        {basis.consentVoidedAt && (
          <span className="voided">
            {' '}
            — später für ungültig erklärt (irrtümlich erfasst) am {formatInstant(basis.consentVoidedAt, timeZone)}:{' '}
            {basis.consentVoidReason}
          </span>
        )}
      </a>
    );
  }
  if (basis.kind === 'STATUTE') {
    return (
      <span title={basis.statute ?? undefined}>
        statute {basis.statute}
        {basis.statuteReference ? <> ({basis.statuteReference})</> : null}
      </span>
    );
  }
  return <span>own task</span>;
}

export function RecordList({ records, showPerson }: { records: DisclosureRecord[]; showPerson?: boolean }) {
  const { timeZone } = useConsentSettings();
  if (records.length === 0) return <p>No disclosure records match.</p>;
  return (
    <table className="records">
      <caption className="visually-hidden">Disclosure records, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Recipient and purpose</th>
          {showPerson && <th scope="col">Person</th>}
          <th scope="col">Fields</th>
          <th scope="col">Basis</th>
          <th scope="col">Record</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={`${r.subgraph}-${r.sequence}`} data-record={`${r.subgraph}#${r.sequence}`}>
            <td>
              <time dateTime={r.at}>{formatInstant(r.at, timeZone)}</time>
            </td>
            <td>
              <strong>{r.agency}</strong>
              <br />
              {r.purpose}
              <br />
              <small>
                {r.officer} · {r.operation ?? '—'} · {r.kind.toLowerCase()}
              </small>
            </td>
            {showPerson && (
              <td>
                {r.personId ? (
                  <a
                    href={href(`person/${r.personId}/timeline`)}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`person/${r.personId}/timeline`);
                    }}
                  >
                    <code>{r.personId.slice(0, 8)}</code>
                  </a>
                ) : (
                  '—'
                )}
              </td>
            )}
            <td>
              <ul className="fields">
                {r.released.map((f) => (
                  <li key={`r-${f.field}`} className="released">
                    <span className="visually-hidden">released: </span>
                    {f.field} <small>{f.category}</small>
                  </li>
                ))}
                {r.refused.map((f) => (
                  <li key={`x-${f.field}`} className="refused">
                    <span aria-hidden="true">✕ </span>
                    <span className="visually-hidden">refused: </span>
                    {f.field}{' '}
                    <small>
                      {f.category} · {f.reason}
                    </small>
                  </li>
                ))}
                {r.changes.map((c) => (
                  <li key={`w-${c.record}`} className="write">
                    changed {c.record} <small>{c.operation}</small>
                  </li>
                ))}
                {r.audit && <li className="audit">{auditSentence(r)}</li>}
              </ul>
            </td>
            <td>
              <ul className="basis">
                {r.basis.map((b) => (
                  <li key={b.category}>
                    {b.category}: <BasisLink basis={b} />
                  </li>
                ))}
              </ul>
            </td>
            <td>
              <small>
                {r.subgraph} #{r.sequence}
              </small>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const AUDIT_ACTIONS: Record<AuditAction, string> = {
  TIMELINE: 'viewed this timeline',
  LOG_SEARCH: 'searched the disclosure log',
  ACCESS_REPORT: 'prepared the Art. 15 report',
  VERIFICATION: 'verified the disclosure logs',
  EXPORT: 'exported the disclosure log',
};

/** A consent officer's look at the logs, from the consent registry's own log: "consent officer a.schulz (county) viewed this timeline". */
export function auditSentence(r: DisclosureRecord): string {
  if (!r.audit) return '';
  const filter = r.audit.filter ? ` with filter ${r.audit.filter}` : '';
  const count = r.audit.records === null ? '' : ` (${r.audit.records} records)`;
  return `consent officer ${r.officer} (${r.agency}) ${AUDIT_ACTIONS[r.audit.action]}${filter}${count}`;
}

/** Per subgraph: verified up to record N, a red alarm naming what is wrong, or "incomplete" when unreachable. */
export function IntegrityBadges() {
  const { data, error, loading } = useQuery(VERIFICATION, { fetchPolicy: 'network-only', errorPolicy: 'all' });
  const { timeZone } = useConsentSettings();
  return (
    <section className="integrity" aria-label="Integrity of the disclosure logs">
      {loading && <span className="badge">Verifying the logs…</span>}
      {apiErrors(error).map((e, i) => (
        <span key={i} role="alert" className="badge alarm">
          Verification failed: {e.message}
        </span>
      ))}
      {data?.disclosureLogVerification.map((v) => {
        const at = v.witnessedAt ? ` at ${formatInstant(v.witnessedAt, timeZone)}` : '';
        if (!v.available)
          return (
            <span key={v.subgraph} role="alert" className="badge alarm" data-subgraph={v.subgraph}>
              incomplete: {v.subgraph} not reachable
            </span>
          );
        if (!v.intact)
          return (
            <span key={v.subgraph} role="alert" className="badge alarm" data-subgraph={v.subgraph}>
              ALARM: {v.summary}
            </span>
          );
        return (
          <span key={v.subgraph} className="badge verified" data-subgraph={v.subgraph} title={v.summary}>
            ✓ {v.subgraph}: verified up to record {v.lastSequence}
            {at}
          </span>
        );
      })}
    </section>
  );
}

/** The subgraphs named by SUBGRAPH_UNAVAILABLE errors. */
export function unreachable(error: unknown): string[] {
  // Through the gateway, serviceName is the subgraph that answered (consent, for the audit views); the registry
  // names the data subgraph whose log did not answer in `unreachable`.
  return apiErrors(error)
    .filter((e) => e.code === 'SUBGRAPH_UNAVAILABLE')
    .map((e) => {
      const name = e.extensions?.unreachable ?? e.extensions?.serviceName;
      return typeof name === 'string' ? name : 'a subgraph';
    });
}
