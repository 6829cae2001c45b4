import { useQuery } from '@apollo/client/react';
import { SUBGRAPHS } from '../../../common/domain';
import { formatInstant } from '../district-time';
import { apiErrors, errorLine, type ApiError } from '../errors';
import { agencyName, basisKindName, categoryName, fieldName, listOf, purposeName, t, text } from '../i18n';
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

/**
 * What the officer filters by; every field is applied by the server. Days are calendar days on the district's
 * clock, both included. `officerReads`: "1" shows the consent officers' own reads, hidden by default.
 */
export interface Filters {
  agency: string;
  purpose: string;
  decision: string;
  category: string;
  basis: string;
  from: string;
  to: string;
  officerReads: string;
}

export const NO_FILTERS: Filters = {
  agency: '',
  purpose: '',
  decision: '',
  category: '',
  basis: '',
  from: '',
  to: '',
  officerReads: '',
};

const FILTER_KEYS = Object.keys(NO_FILTERS) as (keyof Filters)[];

/** The filters a URL's query names (`?agency=jobcenter&from=2026-12-01`); unknown keys are ignored. */
export function filtersOf(params: URLSearchParams): Filters {
  const filters = { ...NO_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = params.get(key) ?? '';
  return filters;
}

/** The query string of filters and the number of pages shown (`pages`, left out at 1). */
export function queryOf(filters: Filters, pages = 1, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  if (pages > 1) params.set('pages', String(pages));
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API's filter for the form's; the registry turns the days into instants on the district's clock. */
export function apiFilter(filters: Filters): DisclosureFilter {
  return {
    agency: filters.agency || null,
    purpose: (filters.purpose || null) as DisclosureFilter['purpose'],
    decision: (filters.decision || null) as DisclosureFilter['decision'],
    category: (filters.category || null) as DisclosureFilter['category'],
    basis: (filters.basis || null) as DisclosureFilter['basis'],
    fromDay: filters.from || null,
    toDay: filters.to || null,
    officerReads: filters.officerReads === '1' ? null : false,
  };
}

const DECISION_NAMES: Record<string, string> = {
  RELEASED: text('released'),
  REFUSED: text('refused'),
  WRITE: text('changed'),
};

export function FilterForm({
  filters,
  onApply,
  agencies,
}: {
  filters: Filters;
  onApply: (filters: Filters) => void;
  agencies: readonly string[];
}) {
  const { timeZone } = useConsentSettings();
  const apply = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const applied: Filters = { ...NO_FILTERS };
    for (const key of FILTER_KEYS) applied[key] = (form.get(key) as string | null) ?? '';
    onApply(applied);
  };
  const select = (name: keyof Filters, label: string, options: readonly string[], text: (o: string) => string) => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={filters[name]}>
        <option value="">{t('any')}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {text(o)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form className="card filters" onSubmit={apply} aria-label={t('Filters')} key={JSON.stringify(filters)}>
      {select('agency', t('Recipient'), agencies, agencyName)}
      {select('purpose', t('Purpose'), PURPOSES, purposeName)}
      {select('category', t('Data'), CATEGORIES, categoryName)}
      {select('basis', t('Basis'), Object.values(BasisKind), basisKindName)}
      {select('decision', t('Decision'), Object.values(DisclosureDecision), (d) => t(DECISION_NAMES[d] ?? d))}
      <div className="field">
        <label htmlFor="filter-from">{t('From (day, inclusive)')}</label>
        <input id="filter-from" name="from" type="date" defaultValue={filters.from} aria-describedby="filter-days" />
      </div>
      <div className="field">
        <label htmlFor="filter-to">{t('To (day, inclusive)')}</label>
        <input id="filter-to" name="to" type="date" defaultValue={filters.to} aria-describedby="filter-days" />
      </div>
      <small id="filter-days" className="hint">
        {t('Days on the district’s clock ({zone}), both included.', { zone: timeZone })}
      </small>
      <label className="switch">
        <input type="checkbox" name="officerReads" value="1" defaultChecked={filters.officerReads === '1'} />{' '}
        {t('Show the consent officers’ own reads')}
      </label>
      <button type="submit">{t('Apply filters')}</button>
    </form>
  );
}

/** A consent basis links to the consent version it names; a statute names its entry and legal reference. */
export function basisText(basis: DisclosureBasis): string {
  if (basis.kind === 'CONSENT' && basis.consentId)
    return t('consent {id}, version {version}', {
      id: basis.consentId.slice(0, 8),
      version: basis.consentVersion ?? '',
    });
  if (basis.kind === 'STATUTE')
    return `${t('statute')}: ${basis.statuteReference ?? basis.statute ?? ''}${basis.statute && basis.statuteReference ? ` (${basis.statute})` : ''}`;
  return t('own task');
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
        {basisText(basis)}
        {basis.consentVoidedAt && (
          <span className="voided">
            {' '}
            —{' '}
            {t('later voided (recorded in error) on {time}: {reason}', {
              time: formatInstant(basis.consentVoidedAt, timeZone),
              reason: basis.consentVoidReason ?? '',
            })}
          </span>
        )}
      </a>
    );
  }
  return <span title={basis.statute ?? undefined}>{basisText(basis)}</span>;
}

const REASONS: Record<string, string> = {
  CONSENT_REQUIRED: text('no consent'),
  CONSENT_UNAVAILABLE: text('consent registry not reachable'),
  FORBIDDEN: text('not allowed for this purpose'),
};

/** A refusal's reason in plain words, its code kept for the record. */
export const reasonText = (reason: string): string => (REASONS[reason] ? `${t(REASONS[reason])} (${reason})` : reason);

const KINDS: Record<string, string> = {
  READ: text('read'),
  WRITE: text('change'),
  RETENTION: text('deletion'),
  AUDIT: text('audit'),
};

export function RecordList({ records, showPerson }: { records: DisclosureRecord[]; showPerson?: boolean }) {
  const { timeZone } = useConsentSettings();
  if (records.length === 0) return <p>{t('No disclosure records match.')}</p>;
  const labels = {
    time: t('Time'),
    who: t('Recipient and purpose'),
    person: t('Person'),
    fields: t('Data'),
    basis: t('Basis'),
    record: t('Record'),
  };
  return (
    <table className="records">
      <caption className="visually-hidden">{t('Disclosure records, newest first')}</caption>
      <thead>
        <tr>
          <th scope="col">{labels.time}</th>
          <th scope="col">{labels.who}</th>
          {showPerson && <th scope="col">{labels.person}</th>}
          <th scope="col">{labels.fields}</th>
          <th scope="col">{labels.basis}</th>
          <th scope="col">{labels.record}</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={`${r.subgraph}-${r.sequence}`} data-record={`${r.subgraph}#${r.sequence}`}>
            <td data-label={labels.time}>
              <time dateTime={r.at}>{formatInstant(r.at, timeZone)}</time>
            </td>
            <td data-label={labels.who}>
              <strong className="recipient">{agencyName(r.agency)}</strong>
              <br />
              <span className="purpose">{purposeName(r.purpose)}</span>
              <br />
              <small>
                {r.officer} · {r.operation ?? '—'} · {t(KINDS[r.kind] ?? r.kind)}
              </small>
            </td>
            {showPerson && (
              <td data-label={labels.person}>
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
            <td data-label={labels.fields}>
              <ul className="fields">
                {r.released.map((f) => (
                  <li key={`r-${f.field}`} className="released" data-field={f.field}>
                    <span className="visually-hidden">{t('released:')} </span>
                    {fieldName(f.field)} <small>{categoryName(f.category)}</small>
                  </li>
                ))}
                {r.refused.map((f) => (
                  <li key={`x-${f.field}`} className="refused" data-field={f.field}>
                    <span aria-hidden="true">✕ </span>
                    <span className="visually-hidden">{t('refused:')} </span>
                    {fieldName(f.field)}{' '}
                    <small>
                      {categoryName(f.category)} · {reasonText(f.reason)}
                    </small>
                  </li>
                ))}
                {r.changes.map((c) => (
                  <li key={`w-${c.record}`} className="write">
                    {t('changed {record}', { record: c.record })} <small>{c.operation}</small>
                  </li>
                ))}
                {r.audit && <li className="audit">{auditSentence(r)}</li>}
              </ul>
            </td>
            <td data-label={labels.basis}>
              <ul className="basis">
                {r.basis.map((b) => (
                  <li key={b.category}>
                    {categoryName(b.category)}: <BasisLink basis={b} />
                  </li>
                ))}
              </ul>
            </td>
            <td data-label={labels.record}>
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
  TIMELINE: text('viewed this timeline'),
  LOG_SEARCH: text('searched the disclosure log'),
  ACCESS_REPORT: text('prepared the Art. 15 report'),
  VERIFICATION: text('verified the disclosure logs'),
  EXPORT: text('exported disclosure records'),
};

/** A consent officer's look at the logs, from the consent registry's own log: "Einwilligungsbeauftragte(r) a.schulz (Landkreis Lindenau) hat diese Zeitleiste angesehen". */
export function auditSentence(r: DisclosureRecord): string {
  if (!r.audit) return '';
  const filter = r.audit.filter ? ` ${t('with filter {filter}', { filter: r.audit.filter })}` : '';
  const count = r.audit.records === null ? '' : ` (${t('{count} records', { count: r.audit.records })})`;
  return `${t('consent officer {officer} ({agency})', { officer: r.officer, agency: agencyName(r.agency) })} ${t(
    AUDIT_ACTIONS[r.audit.action],
  )}${filter}${count}`;
}

/** The name of a log for the officer: the subgraph's agency kind ("Jobcenter", "Gemeinden", …). */
export function logName(subgraph: string): string {
  const names: Record<string, string> = {
    county: text('county'),
    municipality: text('municipalities'),
    jobcenter: text('jobcenter'),
    socialcare: text('welfare organisations'),
    consent: text('consent registry'),
  };
  return t(names[subgraph] ?? subgraph);
}

/**
 * Per subgraph: verified up to record N, a red alarm naming what is wrong, or "not reachable" naming the part
 * that did not answer; the other parts' badges stay. Retry asks again.
 */
export function IntegrityBadges() {
  const { data, error, loading, refetch } = useQuery(VERIFICATION, {
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
    notifyOnNetworkStatusChange: true,
  });
  const { timeZone } = useConsentSettings();
  const errors = apiErrors(error);
  const failed = errors.length > 0 || (data?.disclosureLogVerification ?? []).some((v) => !v.available);
  return (
    <section className="integrity" aria-label={t('Integrity of the disclosure logs')}>
      {loading && <span className="badge">{t('Verifying the logs…')}</span>}
      {errors.map((e, i) => (
        <span key={i} role="alert" className="badge alarm" data-subgraph={unreachableName(e) ?? undefined}>
          {unreachableName(e)
            ? t('not reachable: {part} did not answer', { part: logName(unreachableName(e)!) })
            : `${t('Verification failed:')} ${errorLine(e)}`}
        </span>
      ))}
      {data?.disclosureLogVerification.map((v) => {
        const at = v.witnessedAt ? ` ${t('at {time}', { time: formatInstant(v.witnessedAt, timeZone) })}` : '';
        if (!v.available)
          return (
            <span key={v.subgraph} role="alert" className="badge alarm" data-subgraph={v.subgraph}>
              {t('incomplete: {part} not reachable', { part: logName(v.subgraph) })}
            </span>
          );
        if (!v.intact)
          return (
            <span key={v.subgraph} role="alert" className="badge alarm" data-subgraph={v.subgraph}>
              {t('ALARM:')} {alarmText(v.problems)}
            </span>
          );
        return (
          <span key={v.subgraph} className="badge verified" data-subgraph={v.subgraph}>
            ✓ {t('{part}: verified up to record {sequence}', { part: logName(v.subgraph), sequence: v.lastSequence })}
            {at}
            <span className="badge-proof">{proofText(v, timeZone)}</span>
          </span>
        );
      })}
      {failed && !loading && (
        <button type="button" onClick={() => void refetch()}>
          {t('Retry')}
        </button>
      )}
    </section>
  );
}

type Range = { from: number; through: number };

/** "1–37, 40" */
function rangesText(ranges: readonly Range[]): string {
  return ranges.map((r) => (r.from === r.through ? String(r.from) : `${r.from}–${r.through}`)).join(', ');
}

/**
 * The two facts a verification rests on, as the hub states them: which records it re-read this time, and which it
 * took on the strength of a checkpoint another party cosigned (and when they were last re-read).
 */
function proofText(
  v: {
    reread: readonly Range[];
    covered: readonly Range[];
    coveredLastRereadAt?: string | null;
    checkpointNumber?: number | null;
    cosignedBy: readonly string[];
    lastSequence: number;
  },
  timeZone: string,
): string {
  if (v.lastSequence === 0) return '';
  const reread = v.reread.length
    ? t('records {ranges} re-read and intact', { ranges: rangesText(v.reread) })
    : t('no record re-read');
  const witnesses = listOf(v.cosignedBy.map(logName));
  if (!v.checkpointNumber) return `${reread}; ${t('no checkpoint cosigned by another party yet')}`;
  if (!v.covered.length)
    return `${reread}; ${t('checkpoint {number} cosigned by {witnesses}', { number: v.checkpointNumber, witnesses })}`;
  const last = v.coveredLastRereadAt
    ? t('last re-read {time}', { time: formatInstant(v.coveredLastRereadAt, timeZone) })
    : t('not re-read yet');
  return `${reread}; ${t('{ranges} covered by checkpoint {number}, cosigned by {witnesses}, {last}', {
    ranges: rangesText(v.covered),
    number: v.checkpointNumber,
    witnesses,
    last,
  })}`;
}

/** What the hub found wrong with a log (its problems' stable kinds), in the console's language, with the kinds for support. */
const PROBLEM_KINDS: Record<string, string> = {
  ALTERED: text('record {sequence} was altered after it was written'),
  REMOVED: text('record {sequence} was removed'),
  TRUNCATED: text('the log was cut short at record {sequence}'),
  NOT_COVERED: text('record {sequence} is not covered by a cosigned checkpoint'),
};

function alarmText(problems: readonly { kind: string; sequence: number }[]): string {
  if (!problems.length) return t('the log does not verify');
  const shown = problems.slice(0, 3).map((p) =>
    t('{text} (code {code})', {
      text: PROBLEM_KINDS[p.kind] ? t(PROBLEM_KINDS[p.kind], { sequence: p.sequence }) : p.kind,
      code: p.kind,
    }),
  );
  const more = problems.length > 3 ? [t('and {count} more', { count: problems.length - 3 })] : [];
  return [...shown, ...more].join('; ');
}

/** The part a SUBGRAPH_UNAVAILABLE error names (the registry names the log that did not answer in `unreachable`). */
function unreachableName(e: { code?: string; extensions?: Record<string, unknown> }): string | undefined {
  if (e.code !== 'SUBGRAPH_UNAVAILABLE') return undefined;
  const name = e.extensions?.unreachable ?? e.extensions?.serviceName;
  return typeof name === 'string' ? name : undefined;
}

/** The subgraphs named by SUBGRAPH_UNAVAILABLE errors. */
export function unreachable(error: unknown): string[] {
  return unreachableIn(apiErrors(error));
}

/**
 * The parts named unreachable among these errors, each once (the registry and the gateway may both name one, as
 * when the letter's copy asks the jobcenter whose log the report could not read).
 */
export function unreachableIn(errors: readonly ApiError[]): string[] {
  return [
    ...new Set(errors.filter((e) => e.code === 'SUBGRAPH_UNAVAILABLE').map((e) => unreachableName(e) ?? 'a subgraph')),
  ];
}

/** "Jobcenter und Gemeinden" for the logs that did not answer. */
export const logNames = (subgraphs: readonly string[]): string => listOf(subgraphs.map(logName));
