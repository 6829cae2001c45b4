import { useApolloClient } from '@apollo/client/react';
import { useCallback, useMemo } from 'react';
import { useDocumentTitle } from '../a11y';
import { t } from '../i18n';
import { DISCLOSURE_LOG } from '../operations';
import { navigate } from '../router';
import { ExportButtons } from './ExportButtons';
import {
  FilterForm,
  IntegrityBadges,
  LOG_SUBGRAPHS,
  RecordList,
  apiFilter,
  filtersOf,
  logNames,
  queryOf,
  type Filters,
} from './Records';
import { useDisclosurePages, type PageFetcher } from './useDisclosurePages';

const PAGE = 50;

/** The whole disclosure log across persons, filtered by the server, with an export of exactly what is shown. */
export function LogSearch({ params, agencies }: { params: URLSearchParams; agencies: readonly string[] }) {
  const client = useApolloClient();
  useDocumentTitle(t('Disclosure log'));
  const query = params.toString();
  const filters = useMemo(() => filtersOf(new URLSearchParams(query)), [query]);
  const pages = Number(params.get('pages')) || 1;
  const subgraphsFor = (skip: string[], applied: Filters) => {
    const data = LOG_SUBGRAPHS.filter((s) => !skip.includes(s));
    // The officers' looks (the registry's log) join the data subgraphs' records when the switch shows them.
    if (applied.officerReads === '1') return [...data, 'consent'];
    return skip.length ? data : null;
  };
  const fetchPage = useCallback<PageFetcher>(
    async (applied, after, skip) => {
      const result = await client.query({
        query: DISCLOSURE_LOG,
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        variables: { filter: { ...apiFilter(applied), subgraphs: subgraphsFor(skip, applied) }, first: PAGE, after },
      });
      return { page: result.data?.disclosureLog, error: result.error };
    },
    [client],
  );
  const { records, more, loadMore, missing, failure, setFailure, busy, setBusy } = useDisclosurePages(
    fetchPage,
    filters,
    pages,
    (n) => navigate(`log${queryOf(filters, n)}`, { replace: true }),
  );

  return (
    <section aria-labelledby="log-heading">
      <h1 id="log-heading">{t('Disclosure log')}</h1>
      <IntegrityBadges />
      {missing.length > 0 && (
        <p role="alert" className="alarm-text">
          {t('Incomplete: {parts} not reachable — its records are missing below.', { parts: logNames(missing) })}
        </p>
      )}
      <FilterForm filters={filters} onApply={(next) => navigate(`log${queryOf(next)}`)} agencies={agencies} />
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <p aria-live="polite" className="count">
        {busy ? t('Loading…') : t('{count} records shown', { count: records.length })}
      </p>
      <ExportButtons
        filter={{ ...apiFilter(filters), subgraphs: subgraphsFor(missing, filters) }}
        count={records.length}
        disabled={busy}
        onBusy={setBusy}
        onFailure={setFailure}
      />
      <div className="records-wrap">
        <RecordList records={records} showPerson />
      </div>
      {more && (
        <button type="button" disabled={busy} onClick={loadMore}>
          {t('Load older records')}
        </button>
      )}
    </section>
  );
}
