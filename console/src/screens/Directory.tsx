import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useDocumentTitle } from '../a11y';
import { apiErrors, errorLine } from '../errors';
import { agencyName, t, text } from '../i18n';
import { DIRECTORY, FIELDS_OF_ACTION, MUNICIPALITIES, type DirectoryEntry, type FieldOfAction } from '../operations';

/** How the page names each field of action (English; `fieldOfActionName` gives the console's language). */
export const FIELD_NAMES: Record<FieldOfAction, string> = {
  HOUSING: text('Housing'),
  LANGUAGE: text('Language'),
  EDUCATION: text('Education (childcare and school)'),
  WORK_AND_TRAINING: text('Work and training'),
  SOCIAL_PARTICIPATION: text('Social participation'),
  RESIDENCE: text('Residence procedure'),
};

/** A field of action in the console's language. */
export const fieldOfActionName = (field: FieldOfAction): string => t(FIELD_NAMES[field]);

/**
 * "Who is responsible": the district's guide of responsibilities, per field of action and municipality. It holds
 * no person data; each partner keeps its own entries.
 */
export function Directory() {
  const [field, setField] = useState<FieldOfAction | ''>('');
  const [municipality, setMunicipality] = useState('');
  useDocumentTitle(t('Who is responsible'));
  const towns = useQuery(MUNICIPALITIES, { errorPolicy: 'all' });
  const { data, error, loading } = useQuery(DIRECTORY, {
    variables: { fieldOfAction: field || null, municipality: municipality || null },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
  });
  const entries = data?.directory ?? [];
  const groups = FIELDS_OF_ACTION.map((f) => ({
    field: f,
    entries: entries.filter((e) => e.fieldOfAction === f),
  })).filter((g) => g.entries.length > 0);

  return (
    <section aria-labelledby="directory-heading">
      <h1 id="directory-heading">{t('Who is responsible')}</h1>
      <p>
        {t(
          'The district’s guide of responsibilities: which office of which partner is responsible for each field of action, in each municipality or for the whole district. It holds no person data; each partner keeps its own entries.',
        )}
      </p>
      <form className="card filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="directory-field">{t('Field of action')}</label>
          <select id="directory-field" value={field} onChange={(e) => setField(e.target.value as FieldOfAction | '')}>
            <option value="">{t('All fields of action')}</option>
            {FIELDS_OF_ACTION.map((f) => (
              <option key={f} value={f}>
                {fieldOfActionName(f)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="directory-municipality">{t('Municipality')}</label>
          <select id="directory-municipality" value={municipality} onChange={(e) => setMunicipality(e.target.value)}>
            <option value="">{t('All municipalities')}</option>
            {(towns.data?.municipalities ?? []).map((m) => (
              <option key={m.ags} value={m.ags}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      {apiErrors(error).map((e, i) => (
        <p key={i} role="alert" className="error">
          {errorLine(e)}
        </p>
      ))}
      <p aria-live="polite">
        {loading
          ? t('Loading…')
          : entries.length === 1
            ? t('1 entry')
            : t('{count} entries', { count: entries.length })}
      </p>
      {groups.map((group) => (
        <section key={group.field} aria-labelledby={`directory-${group.field}`}>
          <h2 id={`directory-${group.field}`}>{fieldOfActionName(group.field)}</h2>
          <div className="table-scroll">
            <table className="directory">
              <thead>
                <tr>
                  <th scope="col">{t('Where')}</th>
                  <th scope="col">{t('Office')}</th>
                  <th scope="col">{t('Contact')}</th>
                  <th scope="col">{t('Phone')}</th>
                  <th scope="col">{t('Email')}</th>
                  <th scope="col">{t('Address and hours')}</th>
                  <th scope="col">{t('Kept by')}</th>
                </tr>
              </thead>
              <tbody>
                {group.entries.map((entry: DirectoryEntry) => (
                  <tr key={entry.id}>
                    <td>
                      {entry.municipality ? (entry.municipality.name ?? entry.municipality.ags) : t('Whole district')}
                    </td>
                    <td>{entry.office}</td>
                    <td>{entry.contactName ?? '—'}</td>
                    <td>
                      {entry.phone ? <a href={`tel:${entry.phone.replace(/[^0-9+]/g, '')}`}>{entry.phone}</a> : '—'}
                    </td>
                    <td>{entry.email ? <a href={`mailto:${entry.email}`}>{entry.email}</a> : '—'}</td>
                    <td>{[entry.address, entry.hours].filter(Boolean).join(' · ') || '—'}</td>
                    <td>{agencyName(entry.agency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </section>
  );
}
