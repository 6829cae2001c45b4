import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { apiErrors } from '../errors';
import { DIRECTORY, FIELDS_OF_ACTION, MUNICIPALITIES, type DirectoryEntry, type FieldOfAction } from '../operations';

/** How the page names each field of action. */
export const FIELD_NAMES: Record<FieldOfAction, string> = {
  HOUSING: 'Housing',
  LANGUAGE: 'Language',
  EDUCATION: 'Education (childcare and school)',
  WORK_AND_TRAINING: 'Work and training',
  SOCIAL_PARTICIPATION: 'Social participation',
  RESIDENCE: 'Residence procedure',
};

/** What kind of partner keeps an entry, from its agency (`jobcenter`, `municipality:<AGS>`, …). */
function keptBy(agency: string): string {
  const [kind, key] = agency.split(':');
  if (kind === 'municipality') return 'municipality';
  if (kind === 'socialcare') return `welfare organisation (${key})`;
  return kind;
}

/**
 * "Who is responsible": the district's guide of responsibilities, per field of action and municipality. It holds
 * no person data; each partner keeps its own entries.
 */
export function Directory() {
  const [field, setField] = useState<FieldOfAction | ''>('');
  const [municipality, setMunicipality] = useState('');
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
      <h1 id="directory-heading">Who is responsible</h1>
      <p>
        The district’s guide of responsibilities: which office of which partner is responsible for each field of action,
        in each municipality or for the whole district. It holds no person data; each partner keeps its own entries.
      </p>
      <form className="card filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="directory-field">Field of action</label>
          <select id="directory-field" value={field} onChange={(e) => setField(e.target.value as FieldOfAction | '')}>
            <option value="">All fields of action</option>
            {FIELDS_OF_ACTION.map((f) => (
              <option key={f} value={f}>
                {FIELD_NAMES[f]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="directory-municipality">Municipality</label>
          <select id="directory-municipality" value={municipality} onChange={(e) => setMunicipality(e.target.value)}>
            <option value="">All municipalities</option>
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
          {e.message}
        </p>
      ))}
      <p aria-live="polite">
        {loading ? 'Loading…' : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`}
      </p>
      {groups.map((group) => (
        <section key={group.field} aria-labelledby={`directory-${group.field}`}>
          <h2 id={`directory-${group.field}`}>{FIELD_NAMES[group.field]}</h2>
          <table className="directory">
            <thead>
              <tr>
                <th scope="col">Where</th>
                <th scope="col">Office</th>
                <th scope="col">Contact</th>
                <th scope="col">Phone</th>
                <th scope="col">Email</th>
                <th scope="col">Address and hours</th>
                <th scope="col">Kept by</th>
              </tr>
            </thead>
            <tbody>
              {group.entries.map((entry: DirectoryEntry) => (
                <tr key={entry.id}>
                  <td>{entry.municipality ? (entry.municipality.name ?? entry.municipality.ags) : 'Whole district'}</td>
                  <td>{entry.office}</td>
                  <td>{entry.contactName ?? '—'}</td>
                  <td>
                    {entry.phone ? <a href={`tel:${entry.phone.replace(/[^0-9+]/g, '')}`}>{entry.phone}</a> : '—'}
                  </td>
                  <td>{entry.email ? <a href={`mailto:${entry.email}`}>{entry.email}</a> : '—'}</td>
                  <td>{[entry.address, entry.hours].filter(Boolean).join(' · ') || '—'}</td>
                  <td>{keptBy(entry.agency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}
