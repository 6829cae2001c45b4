import type { ReactNode } from 'react';
import { t } from '../i18n';
import type { DisclosureFilter } from '../operations';
import { ExportButtons } from './ExportButtons';
import { FilterForm, IntegrityBadges, RecordList, logNames, type Filters } from './Records';
import type { useDisclosurePages } from './useDisclosurePages';

/**
 * What the person's timeline and the log search show alike: the integrity badges, the logs that did not answer,
 * the filters, an export of exactly the records shown, the records, and a button for older ones. `summary`
 * stands between the filters and the records.
 */
export function RecordsView({
  filters,
  onApply,
  agencies,
  pages,
  exportFilter,
  showPerson = false,
  summary,
}: {
  filters: Filters;
  onApply: (next: Filters) => void;
  agencies: readonly string[];
  pages: ReturnType<typeof useDisclosurePages>;
  exportFilter: DisclosureFilter;
  showPerson?: boolean;
  summary?: ReactNode;
}) {
  const { records, more, loadMore, missing, failure, setFailure, busy, setBusy } = pages;
  return (
    <>
      <IntegrityBadges />
      {missing.length > 0 && (
        <p role="alert" className="alarm-text">
          {t('Incomplete: {parts} not reachable — its records are missing below.', { parts: logNames(missing) })}
        </p>
      )}
      <FilterForm filters={filters} onApply={onApply} agencies={agencies} />
      {summary}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <p aria-live="polite" className="count">
        {busy ? t('Loading…') : t('{count} records shown', { count: records.length })}
      </p>
      <ExportButtons
        filter={exportFilter}
        count={records.length}
        disabled={busy}
        onBusy={setBusy}
        onFailure={setFailure}
      />
      <div className="records-wrap">
        <RecordList records={records} showPerson={showPerson} />
      </div>
      {more && (
        <button type="button" disabled={busy} onClick={loadMore}>
          {t('Load older records')}
        </button>
      )}
    </>
  );
}
