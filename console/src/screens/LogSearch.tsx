import { useApolloClient } from '@apollo/client/react';
import { useCallback, useMemo } from 'react';
import { useDocumentTitle } from '../a11y';
import { t } from '../i18n';
import { DISCLOSURE_LOG } from '../operations';
import { navigate } from '../router';
import { LOG_SUBGRAPHS, apiFilter, filtersOf, queryOf, type Filters } from './Records';
import { RecordsView } from './RecordsView';
import { useDisclosurePages, type PageFetcher } from './useDisclosurePages';

const PAGE = 50;

/** The whole disclosure log across persons, filtered by the server, with an export of exactly what is shown. */
export function LogSearch({ params, agencies }: { params: URLSearchParams; agencies: readonly string[] }) {
  const client = useApolloClient();
  useDocumentTitle(t('Disclosure log'));
  const query = params.toString();
  const filters = useMemo(() => filtersOf(new URLSearchParams(query)), [query]);
  const pageCount = Number(params.get('pages')) || 1;
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
  const pages = useDisclosurePages(fetchPage, filters, pageCount, (n) =>
    navigate(`log${queryOf(filters, n)}`, { replace: true }),
  );

  return (
    <section aria-labelledby="log-heading">
      <h1 id="log-heading">{t('Disclosure log')}</h1>
      <RecordsView
        filters={filters}
        onApply={(next) => navigate(`log${queryOf(next)}`)}
        agencies={agencies}
        pages={pages}
        exportFilter={{ ...apiFilter(filters), subgraphs: subgraphsFor(pages.missing, filters) }}
        showPerson
      />
    </section>
  );
}
