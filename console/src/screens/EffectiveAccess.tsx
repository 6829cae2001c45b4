import { useQuery } from '@apollo/client/react';
import { formatDay } from '../district-time';
import { CATEGORIES, EFFECTIVE_ACCESS, type AccessCell } from '../operations';
import { useConsentSettings } from './Consents';

/** A cell as the officer reads it: the basis, the consent with its last day, or none. */
function cellText(cell: AccessCell): string {
  if (!cell.allowed) return cell.ownTaskForOwnRecords ? 'nur eigene Akten' : '—';
  switch (cell.basis) {
    case 'OWN_TASK':
      return 'eigene Aufgabe';
    case 'STATUTE':
      return `Gesetz`;
    case 'CONSENT':
      return `Einw. ${cell.consentId?.slice(0, 8)} v${cell.consentVersion}${
        cell.consentValidUntil ? ` bis ${formatDay(cell.consentValidUntil)}` : ''
      }`;
    case 'NONE':
      return '—';
  }
}

function cellTitle(cell: AccessCell): string | undefined {
  if (cell.basis === 'STATUTE') return cell.statuteReference ?? cell.statuteId ?? undefined;
  if (cell.ownTaskForOwnRecords)
    return 'Eigene Akten sieht die Stelle als eigene Aufgabe, soweit die Person bei ihr wohnt bzw. betreut wird';
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
      <h2 id="access-heading">Wer sieht was – jetzt</h2>
      <p>
        Was jede Stelle des Landkreises für jeden ihrer Zwecke über diese Person sehen darf, und auf welcher Grundlage:
        eigene Aufgabe, Gesetz, Einwilligung (mit letztem Tag, {timeZone}) oder keine. Berechnet mit derselben
        Entscheidungsregel, nach der die Datenstellen entscheiden.
      </p>
      {loading && <p>Wird berechnet …</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {rows.length > 0 && (
        <div className="matrix-scroll" tabIndex={0} role="region" aria-label="Matrix: wer sieht was">
          <table className="matrix">
            <caption className="visually-hidden">Stelle und Zweck je Zeile, Datenkategorie je Spalte</caption>
            <thead>
              <tr>
                <th scope="col">Stelle</th>
                <th scope="col">Zweck</th>
                {CATEGORIES.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.agency} ${row.purpose}`}>
                  <th scope="row">{row.agency}</th>
                  <td>{row.purpose}</td>
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
