import { useApolloClient } from '@apollo/client/react';
import { useCallback, useRef } from 'react';
import { DISCLOSURE_LOG, DISCLOSURE_TIMELINE, type DisclosurePage } from '../operations';
import { FilterForm, IntegrityBadges, LOG_SUBGRAPHS, RecordList, apiFilter } from './Records';
import { useConsentSettings } from './Consents';
import { useDisclosurePages, type PageFetcher } from './useDisclosurePages';

const PAGE = 25;

/**
 * The person's disclosures from all data subgraphs, and the consent officers' looks at them, newest first. Without filters it reads
 * `disclosureTimeline`; with filters, `disclosureLog` for this person. When a subgraph's log does not answer,
 * it says so and shows the others' records.
 */
export function Timeline({ personId }: { personId: string }) {
  const client = useApolloClient();
  // The district's zone for typed days; read through a ref so that the page fetcher keeps its identity.
  const { timeZone } = useConsentSettings();
  const zone = useRef(timeZone);
  zone.current = timeZone;
  const fetchPage = useCallback<PageFetcher>(
    async (filters, after, skip) => {
      const filter = { ...apiFilter(filters, zone.current), personId };
      const plain = skip.length === 0 && Object.values(apiFilter(filters, zone.current)).every((v) => v === null);
      const result = plain
        ? await client.query({
            query: DISCLOSURE_TIMELINE,
            fetchPolicy: 'network-only',
            errorPolicy: 'all',
            variables: { personId, first: PAGE, after },
          })
        : await client.query({
            query: DISCLOSURE_LOG,
            fetchPolicy: 'network-only',
            errorPolicy: 'all',
            // The consent registry's record of officers' looks at this person stays in when a data subgraph is skipped.
            variables: {
              filter: {
                ...filter,
                subgraphs: skip.length ? [...LOG_SUBGRAPHS.filter((s) => !skip.includes(s)), 'consent'] : null,
              },
              first: PAGE,
              after,
            },
          });
      const data = result.data as { disclosureTimeline?: DisclosurePage; disclosureLog?: DisclosurePage } | undefined;
      return { page: data?.disclosureTimeline ?? data?.disclosureLog, error: result.error };
    },
    [client, personId],
  );
  const { filters, setFilters, records, shown, more, loadMore, missing, failure, busy } = useDisclosurePages(fetchPage);

  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
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
          : `${shown.length} records shown${shown.length !== records.length ? ` of ${records.length} loaded` : ''}`}
      </p>
      <RecordList records={shown} />
      {more && (
        <button type="button" disabled={busy} onClick={loadMore}>
          Load older records
        </button>
      )}
    </section>
  );
}
