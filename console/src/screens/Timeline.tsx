import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCallback, useMemo } from 'react';
import { formatInstant } from '../district-time';
import { errorsLine } from '../errors';
import { agencyName, basisKindName, categoryName, listOf, t } from '../i18n';
import { DISCLOSURE_SUMMARY, DISCLOSURE_TIMELINE } from '../operations';
import { navigate } from '../router';
import { LOG_SUBGRAPHS, apiFilter, filtersOf, queryOf, type Filters } from './Records';
import { RecordsView } from './RecordsView';
import { useConsentSettings } from './Consents';
import { useDisclosurePages, type PageFetcher } from './useDisclosurePages';

const PAGE = 25;

/**
 * "Who saw what about this person, when, why": the person's records from all data subgraphs, newest first,
 * filtered by the server, with a summary per recipient × category and an export of exactly the rows shown.
 * The consent officers' own reads are hidden unless the switch shows them. Filters and pages are in the URL.
 */
export function Timeline({
  personId,
  params,
  agencies,
}: {
  personId: string;
  params: URLSearchParams;
  agencies: readonly string[];
}) {
  const client = useApolloClient();
  const query = params.toString();
  const filters = useMemo(() => filtersOf(new URLSearchParams(query)), [query]);
  const pageCount = Number(params.get('pages')) || 1;
  const path = `person/${personId}/timeline`;
  const fetchPage = useCallback<PageFetcher>(
    async (applied, after, skip) => {
      const filter = apiFilter(applied);
      const result = await client.query({
        query: DISCLOSURE_TIMELINE,
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        variables: {
          personId,
          // The consent registry's record of officers' looks stays in when a data subgraph is skipped.
          filter: {
            ...filter,
            subgraphs: skip.length ? [...LOG_SUBGRAPHS.filter((s) => !skip.includes(s)), 'consent'] : null,
          },
          first: PAGE,
          after,
        },
      });
      return { page: result.data?.disclosureTimeline, error: result.error };
    },
    [client, personId],
  );
  const pages = useDisclosurePages(fetchPage, filters, pageCount, (n) =>
    navigate(`${path}${queryOf(filters, n)}`, { replace: true }),
  );

  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" data-tab-heading>
        {t('Timeline: who saw what, when and why')}
      </h2>
      <RecordsView
        filters={filters}
        onApply={(next) => navigate(`${path}${queryOf(next)}`)}
        agencies={agencies}
        pages={pages}
        exportFilter={{ ...apiFilter(filters), personId }}
        summary={<Summary personId={personId} filters={filters} missing={pages.missing} />}
      />
    </section>
  );
}

/** Per recipient × category: how many requests released it, first and last, on which basis, and refusals. */
function Summary({ personId, filters, missing }: { personId: string; filters: Filters; missing: string[] }) {
  const { timeZone } = useConsentSettings();
  // Without the logs that did not answer, as the records below.
  const subgraphs = missing.length ? [...LOG_SUBGRAPHS.filter((s) => !missing.includes(s)), 'consent'] : null;
  const { data, loading, error } = useQuery(DISCLOSURE_SUMMARY, {
    variables: { personId, filter: { ...apiFilter(filters), subgraphs } },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
  });
  const rows = data?.disclosureSummary ?? [];
  return (
    <section aria-labelledby="summary-heading" className="summary">
      <h3 id="summary-heading">{t('Summary per recipient and data')}</h3>
      {loading && <p>{t('Loading…')}</p>}
      {!loading && error && (
        <p className="summary-failed">{t('No summary: {reason}', { reason: errorsLine(error) })}</p>
      )}
      {!loading && !error && rows.length === 0 && <p>{t('No disclosure records match.')}</p>}
      {rows.length > 0 && (
        <table className="summary-table">
          <thead>
            <tr>
              <th scope="col">{t('Recipient')}</th>
              <th scope="col">{t('Data')}</th>
              <th scope="col">{t('Requests')}</th>
              <th scope="col">{t('First')}</th>
              <th scope="col">{t('Last')}</th>
              <th scope="col">{t('Basis')}</th>
              <th scope="col">{t('Refused')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.recipient} ${r.category}`} data-summary={`${r.recipient} ${r.category}`}>
                <th scope="row" data-label={t('Recipient')}>
                  {agencyName(r.recipient)}
                </th>
                <td data-label={t('Data')}>{categoryName(r.category)}</td>
                <td data-label={t('Requests')}>{r.count}</td>
                <td data-label={t('First')}>{r.firstAt ? formatInstant(r.firstAt, timeZone) : '—'}</td>
                <td data-label={t('Last')}>{r.lastAt ? formatInstant(r.lastAt, timeZone) : '—'}</td>
                <td data-label={t('Basis')}>{listOf(r.basis.map(basisKindName)) || '—'}</td>
                <td data-label={t('Refused')}>{r.refusals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
