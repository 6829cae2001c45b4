import { useApolloClient } from '@apollo/client/react';
import { errorsLine } from '../errors';
import { t } from '../i18n';
import { download } from '../download';
import { DISCLOSURE_EXPORT, type DisclosureFilter, type ExportFormat } from '../operations';

/**
 * Exports exactly the records shown (the same filter, as many as are loaded) as CSV for German Excel or as .xlsx.
 * The server makes the file, so that the export is on record.
 */
export function ExportButtons({
  filter,
  count,
  disabled,
  onBusy,
  onFailure,
}: {
  filter: DisclosureFilter;
  count: number;
  disabled: boolean;
  onBusy: (busy: boolean) => void;
  onFailure: (message: string | undefined) => void;
}) {
  const client = useApolloClient();
  const run = async (format: ExportFormat) => {
    onBusy(true);
    const result = await client.query({
      query: DISCLOSURE_EXPORT,
      fetchPolicy: 'network-only',
      errorPolicy: 'all',
      variables: { filter, first: count, format },
    });
    onBusy(false);
    const file = result.data?.disclosureExport;
    if (!file) return onFailure(errorsLine(result.error));
    onFailure(undefined);
    download(
      file.filename,
      new Blob([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], { type: file.mediaType }),
    );
  };
  return (
    <p className="exports">
      <button type="button" onClick={() => void run('CSV')} disabled={disabled || count === 0}>
        {t('Export as CSV ({count} records)', { count })}
      </button>{' '}
      <button type="button" onClick={() => void run('XLSX')} disabled={disabled || count === 0}>
        {t('Export as Excel file (.xlsx)')}
      </button>
    </p>
  );
}
