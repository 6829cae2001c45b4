import { useCallback, useEffect, useRef, useState } from 'react';
import { errorsLine } from '../errors';
import type { DisclosurePage, DisclosureRecord } from '../operations';
import { unreachable, type Filters } from './Records';

/** What one page request answered: the page, or the error that names the logs that did not answer. */
export interface PageAnswer {
  page?: DisclosurePage | null;
  error?: unknown;
}

/** Asks for one page of records after `after`, leaving out the subgraphs in `skip`. Keep it stable (`useCallback`). */
export type PageFetcher = (filters: Filters, after: string | null, skip: string[]) => Promise<PageAnswer>;

/**
 * The paging state that the disclosure log and a person's timeline share. The filters and the number of pages
 * shown come from the URL, so that a reload or Back shows the same records: on a change of filters it reads
 * `pages` pages from the start; `loadMore` reads the next one and reports the new count (`onPages`) for the URL.
 * When a log does not answer, it asks again without it and says so (`missing`), so the others' records still show.
 */
export function useDisclosurePages(
  fetchPage: PageFetcher,
  filters: Filters,
  pages: number,
  onPages: (n: number) => void,
) {
  const [records, setRecords] = useState<DisclosureRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(0);
  const generation = useRef(0);
  const key = JSON.stringify(filters);

  /** Reads up to `count` pages after `after`, appending; returns the pages read, or undefined when superseded. */
  const read = useCallback(
    async (after: string | null, skip: string[], count: number, fresh: boolean): Promise<void> => {
      const mine = generation.current;
      setBusy(true);
      let position = after;
      let gathered: DisclosureRecord[] = [];
      let read = 0;
      let hasMore = false;
      let skipped = skip;
      while (read < count) {
        const { page, error } = await fetchPage(filters, position, skipped);
        if (mine !== generation.current) return;
        const down = unreachable(error);
        if (!page && down.some((d) => !skipped.includes(d))) {
          // A log did not answer: start again without it, and say so.
          skipped = [...new Set([...skipped, ...down])];
          setMissing(skipped);
          position = after;
          gathered = [];
          read = 0;
          continue;
        }
        if (!page) {
          setBusy(false);
          setFailure(errorsLine(error));
          return;
        }
        gathered = [...gathered, ...page.records];
        read += 1;
        position = page.endCursor;
        hasMore = page.hasNextPage;
        if (!hasMore || !position) break;
      }
      setFailure(undefined);
      setRecords((old) => (fresh ? gathered : [...old, ...gathered]));
      setCursor(position);
      setMore(hasMore);
      setLoaded((n) => (fresh ? read : n + read));
      setBusy(false);
    },
    [fetchPage, filters],
  );

  // A change of filters (or of the person) reads from the start, as many pages as the URL says.
  const pagesAtStart = useRef(pages);
  pagesAtStart.current = pages;
  useEffect(() => {
    generation.current += 1;
    setMissing([]);
    setRecords([]);
    void read(null, [], Math.max(1, pagesAtStart.current), true);
  }, [key, fetchPage]);

  return {
    records,
    more,
    loaded,
    loadMore: () => {
      onPages(loaded + 1);
      void read(cursor, missing, 1, false);
    },
    missing,
    failure,
    setFailure,
    busy,
    setBusy,
  };
}
