import { useQuery } from '@apollo/client/react';
import { formatDay } from '../district-time';
import { agencyName, categoryName, purposeName, t } from '../i18n';
import { errorsLine } from '../errors';
import { CATEGORIES, EFFECTIVE_ACCESS, type AccessCell } from '../operations';
import { useConsentSettings } from './Consents';

/** A cell as the officer reads it: the basis, the consent with its last day, or none. */
function cellText(cell: AccessCell): string {
  if (!cell.allowed) return cell.ownTaskForOwnRecords ? t('own records only') : '—';
  switch (cell.basis) {
    case 'OWN_TASK':
      return t('own task');
    case 'STATUTE':
      return t('statute');
    case 'CONSENT':
      return `${t('cons.')} ${cell.consentId?.slice(0, 8)} v${cell.consentVersion}${
        cell.consentValidUntil ? ` ${t('until {day}', { day: formatDay(cell.consentValidUntil) })}` : ''
      }`;
    case 'NONE':
      return '—';
  }
}

function cellTitle(cell: AccessCell): string | undefined {
  if (cell.basis === 'STATUTE') return cell.statuteReference ?? cell.statuteId ?? undefined;
  if (cell.ownTaskForOwnRecords)
    return t('The agency sees its own records as its own task, as far as the person lives there or is its client');
  return undefined;
}

/**
 * Who may see what about the person right now: every agency and purpose of the district × every category,
 * as the registry's `effectiveAccess` decides it with the subgraphs' own policy code.
 */
export function EffectiveAccess({ personId }: { personId: string }) {
  const { timeZone } = useConsentSettings();
  const { data, error, loading } = useQuery(EFFECTIVE_ACCESS, {
    variables: { personId },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
  });
  const cells = (data?.effectiveAccess ?? []).filter((c) => c.purpose !== 'MONITORING');
  const rows = [...new Map(cells.map((c) => [`${c.agency} ${c.purpose}`, c])).values()];
  const cellOf = (row: AccessCell, category: string) =>
    cells.find((c) => c.agency === row.agency && c.purpose === row.purpose && c.category === category)!;
  return (
    <section aria-labelledby="access-heading" className="effective-access">
      <h2 id="access-heading">{t('Who sees what – now')}</h2>
      <p>
        {t(
          'What each agency of the district may see about this person for each of its purposes, and on which basis: own task, statute, consent (with its last day, {zone}) or none. Decided by the same rule the data subgraphs decide by.',
          { zone: timeZone },
        )}
      </p>
      {loading && <p>{t('Calculating…')}</p>}
      {error && (
        <p role="alert" className="error">
          {errorsLine(error)}
        </p>
      )}
      {rows.length > 0 && (
        <div className="matrix-scroll" tabIndex={0} role="region" aria-label={t('Matrix: who sees what')}>
          <table className="matrix">
            <caption className="visually-hidden">{t('Agency and purpose per row, data category per column')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Agency')}</th>
                <th scope="col">{t('Purpose')}</th>
                {CATEGORIES.map((c) => (
                  <th scope="col" key={c}>
                    {categoryName(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.agency} ${row.purpose}`}>
                  <th scope="row">{agencyName(row.agency)}</th>
                  <td>{purposeName(row.purpose)}</td>
                  {CATEGORIES.map((category) => {
                    const cell = cellOf(row, category);
                    return (
                      <td
                        key={category}
                        className={`access access-${cell.allowed ? cell.basis : 'NONE'}`}
                        title={cellTitle(cell)}
                        data-cell={`${row.agency} ${row.purpose} ${category}`}
                      >
                        {cellText(cell)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
