import { useApolloClient } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import { apiErrors } from '../errors';
import { DISCLOSURE_LOG, DISCLOSURE_TIMELINE, type DisclosurePage, type DisclosureRecord } from '../operations';
import { FilterForm, IntegrityBadges, LOG_SUBGRAPHS, NO_FILTERS, RecordList, apiFilter, matchesLocally, unreachable, type Filters } from './Records';

const PAGE = 25;

/**
 * The person's disclosures from all data subgraphs, and the consent officers' looks at them, newest first. Without filters it reads
 * `disclosureTimeline`; with filters, `disclosureLog` for this person. When a subgraph's log does not answer,
 * it says so and shows the others' records.
 */
export function Timeline({ personId }: { personId: string }) {
  const client = useApolloClient();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [records, setRecords] = useState<DisclosureRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (after: string | null, skip: string[]) => {
      setBusy(true);
      const filter = { ...apiFilter(filters), personId };
      const plain = skip.length === 0 && Object.values(apiFilter(filters)).every((v) => v === null);
      const result = plain
        ? await client.query({ query: DISCLOSURE_TIMELINE, fetchPolicy: 'network-only', errorPolicy: 'all', variables: { personId, first: PAGE, after } })
        : await client.query({
            query: DISCLOSURE_LOG,
            fetchPolicy: 'network-only',
            errorPolicy: 'all',
            // The consent registry's record of officers' looks at this person stays in when a data subgraph is skipped.
            variables: { filter: { ...filter, subgraphs: skip.length ? [...LOG_SUBGRAPHS.filter((s) => !skip.includes(s)), 'consent'] : null }, first: PAGE, after },
          });
      const data = result.data as { disclosureTimeline?: DisclosurePage; disclosureLog?: DisclosurePage } | undefined;
      const page = data?.disclosureTimeline ?? data?.disclosureLog;
      const down = unreachable(result.error);
      setBusy(false);
      if (!page && down.length && down.some((d) => !skip.includes(d))) {
        const next = [...new Set([...skip, ...down])];
        setMissing(next);
        return load(null, next);
      }
      if (!page) {
        setFailure(apiErrors(result.error).map((e) => e.message).join('; '));
        return;
      }
      setFailure(undefined);
      setRecords((old) => (after ? [...old, ...page.records] : page.records));
      setCursor(page.endCursor);
      setMore(page.hasNextPage);
    },
    [client, filters, personId],
  );

  useEffect(() => {
    setMissing([]);
    void load(null, []);
  }, [load]);

  const shown = records.filter((r) => matchesLocally(r, filters));
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <IntegrityBadges />
      {missing.length > 0 && (
        <p role="alert" className="alarm-text">Incomplete: {missing.join(', ')} not reachable — its records are missing below.</p>
      )}
      <FilterForm filters={filters} onApply={setFilters} />
      {failure && <p role="alert" className="error">{failure}</p>}
      <p aria-live="polite">{busy ? 'Loading…' : `${shown.length} records shown${shown.length !== records.length ? ` of ${records.length} loaded` : ''}`}</p>
      <RecordList records={shown} />
      {more && <button type="button" disabled={busy} onClick={() => void load(cursor, missing)}>Load older records</button>}
    </section>
  );
}
