import { useApolloClient } from '@apollo/client/react';
import { useCallback, useRef } from 'react';
import { apiErrors } from '../errors';
import { DISCLOSURE_LOG, DISCLOSURE_LOG_EXPORT, type BasisKind } from '../operations';
import { FilterForm, IntegrityBadges, LOG_SUBGRAPHS, RecordList, apiFilter } from './Records';
import { useConsentSettings } from './Consents';
import { useDisclosurePages, type PageFetcher } from './useDisclosurePages';

const PAGE = 50;

/** The whole disclosure log across persons, filtered, with an export of exactly what is shown. */
export function LogSearch() {
  const client = useApolloClient();
  // The district's zone for typed days; read through a ref so that the page fetcher keeps its identity.
  const { timeZone } = useConsentSettings();
  const zone = useRef(timeZone);
  zone.current = timeZone;
  const fetchPage = useCallback<PageFetcher>(
    async (filters, after, skip) => {
      const subgraphs = skip.length ? LOG_SUBGRAPHS.filter((s) => !skip.includes(s)) : null;
      const result = await client.query({
        query: DISCLOSURE_LOG,
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        variables: { filter: { ...apiFilter(filters, zone.current), subgraphs }, first: PAGE, after },
      });
      return { page: result.data?.disclosureLog, error: result.error };
    },
    [client],
  );
  const { filters, setFilters, records, shown, more, loadMore, missing, failure, setFailure, busy, setBusy } =
    useDisclosurePages(fetchPage);

  // The server makes the CSV, so that the export is on record; it reads the same filter and as many records as
  // are loaded here, and narrows them by category and basis as this view does.
  const exportCsv = async () => {
    setBusy(true);
    const result = await client.query({
      query: DISCLOSURE_LOG_EXPORT,
      fetchPolicy: 'network-only',
      errorPolicy: 'all',
      variables: {
        filter: {
          ...apiFilter(filters, zone.current),
          subgraphs: missing.length ? LOG_SUBGRAPHS.filter((s) => !missing.includes(s)) : null,
        },
        first: records.length,
        category: filters.category || null,
        basis: (filters.basis || null) as BasisKind | null,
      },
    });
    setBusy(false);
    const text = result.data?.disclosureLogExport;
    if (text === undefined)
      return setFailure(
        apiErrors(result.error)
          .map((e) => e.message)
          .join('; '),
      );
    const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `disclosure-log-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section aria-labelledby="log-heading">
      <h1 id="log-heading">Disclosure log</h1>
      <IntegrityBadges />
      {missing.length > 0 && (
        <p role="alert" className="alarm-text">
          Incomplete: {missing.join(', ')} not reachable — its records are missing below.
        </p>
      )}
      <FilterForm filters={filters} onApply={setFilters} />
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <p aria-live="polite">
        {busy
          ? 'Loading…'
          : `${shown.length} records shown${shown.length !== records.length ? ` of ${records.length} loaded` : ''}`}{' '}
        <button type="button" onClick={() => void exportCsv()} disabled={busy}>
          Export CSV ({shown.length} records)
        </button>
      </p>
      <RecordList records={shown} showPerson />
      {more && (
        <button type="button" disabled={busy} onClick={loadMore}>
          Load older records
        </button>
      )}
    </section>
  );
}
