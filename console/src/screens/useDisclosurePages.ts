import { useCallback, useEffect, useState } from 'react';
import { apiErrors } from '../errors';
import type { DisclosurePage, DisclosureRecord } from '../operations';
import { NO_FILTERS, matchesLocally, unreachable, type Filters } from './Records';

/** What one page request answered: the page, or the error that names the logs that did not answer. */
export interface PageAnswer {
  page?: DisclosurePage | null;
  error?: unknown;
}

/** Asks for one page of records after `after`, leaving out the subgraphs in `skip`. Keep it stable (`useCallback`). */
export type PageFetcher = (filters: Filters, after: string | null, skip: string[]) => Promise<PageAnswer>;

/**
 * The paging state that the disclosure log and a person's timeline share: filters, the records loaded so
 * far, the next cursor, and the subgraphs whose logs did not answer. When a log does not answer, it asks
 * again without it and says so (`missing`), so the others' records still show. Reloads when the filters change.
 */
export function useDisclosurePages(fetchPage: PageFetcher) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [records, setRecords] = useState<DisclosureRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (after: string | null, skip: string[]): Promise<void> => {
      setBusy(true);
      const { page, error } = await fetchPage(filters, after, skip);
      setBusy(false);
      const down = unreachable(error);
      if (!page && down.some((d) => !skip.includes(d))) {
        const next = [...new Set([...skip, ...down])];
        setMissing(next);
        return load(null, next);
      }
      if (!page) {
        setFailure(
          apiErrors(error)
            .map((e) => e.message)
            .join('; '),
        );
        return;
      }
      setFailure(undefined);
      setRecords((old) => (after ? [...old, ...page.records] : page.records));
      setCursor(page.endCursor);
      setMore(page.hasNextPage);
    },
    [fetchPage, filters],
  );

  useEffect(() => {
    setMissing([]);
    void load(null, []);
  }, [load]);

  return {
    filters,
    setFilters,
    records,
    /** The loaded records that also match the filters the server cannot apply (category, basis). */
    shown: records.filter((r) => matchesLocally(r, filters)),
    more,
    loadMore: () => void load(cursor, missing),
    missing,
    failure,
    setFailure,
    busy,
    setBusy,
  };
}
