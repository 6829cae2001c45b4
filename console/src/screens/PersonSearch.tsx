import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { useDocumentTitle } from '../a11y';
import { formatDay } from '../district-time';
import { apiErrors, errorLine, fieldProblems, type ApiError } from '../errors';
import { agencyName, t } from '../i18n';
import { PERSON_BY_ID, SEARCH_PERSONS, type PersonIdentity } from '../operations';

/** A search result: identity data, and the municipality that tells persons of the same name apart. */
type Found = PersonIdentity & { assignedMunicipality?: { ags: string } | null };
import { href, navigate } from '../router';
import { ErrorSummary } from './ErrorSummary';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds a person by name, date of birth or id. The search is in the URL (`?name=…&dob=…`), so that reload,
 * Back and a link in a ticket show the same results.
 */
export function PersonSearch({ params }: { params: URLSearchParams }) {
  const client = useApolloClient();
  const wantedName = params.get('name') ?? '';
  const wantedDob = params.get('dob') ?? '';
  const [name, setName] = useState(wantedName);
  const [dateOfBirth, setDateOfBirth] = useState(wantedDob);
  const [results, setResults] = useState<Found[]>();
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  // A day the date field could not take (31 February): the browser hands over "", so it is said here.
  const [badDate, setBadDate] = useState(false);
  useDocumentTitle(t('Find a person'));

  useEffect(() => {
    setName(wantedName);
    setDateOfBirth(wantedDob);
    if (!wantedName && !wantedDob) {
      setResults(undefined);
      setErrors([]);
      return;
    }
    let stale = false;
    const run = async () => {
      setBusy(true);
      const term = wantedName.trim();
      if (UUID.test(term)) {
        const { data, error } = await client.query({
          query: PERSON_BY_ID,
          fetchPolicy: 'network-only',
          errorPolicy: 'all',
          variables: { id: term },
        });
        if (stale) return;
        setErrors(apiErrors(error));
        setResults(data?.person ? [data.person] : []);
      } else {
        const { data, error } = await client.query({
          query: SEARCH_PERSONS,
          fetchPolicy: 'network-only',
          errorPolicy: 'all',
          variables: { name: term || null, dateOfBirth: wantedDob || null, first: 50 },
        });
        if (stale) return;
        setErrors(apiErrors(error));
        setResults(data?.searchPersons ?? []);
      }
      setBusy(false);
    };
    void run();
    return () => {
      stale = true;
    };
  }, [client, wantedName, wantedDob]);

  const search = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const dob = event.currentTarget.elements.namedItem('dob') as HTMLInputElement | null;
    const impossible = Boolean(dob?.validity.badInput);
    setBadDate(impossible);
    if (impossible) return;
    const query = new URLSearchParams();
    if (name.trim()) query.set('name', name.trim());
    if (dateOfBirth) query.set('dob', dateOfBirth);
    const next = query.toString() ? `?${query.toString()}` : '';
    if (next !== window.location.search) navigate(next);
  };

  const problems = fieldProblems(errors);
  if (badDate) problems.dateOfBirth = [t('this day does not exist (e.g. 31 February); enter a real date')];
  const other = errors.filter((e) => e.code !== 'BAD_USER_INPUT');
  const summary = [
    ...(problems.name ?? []).map((message) => ({ target: 'search-name', label: t('Name or person id'), message })),
    ...(problems.dateOfBirth ?? []).map((message) => ({ target: 'search-dob', label: t('Date of birth'), message })),
  ];
  return (
    <section>
      <h1>{t('Find a person')}</h1>
      <ErrorSummary problems={summary} />
      <form className="card search" onSubmit={search} noValidate>
        <div className="field">
          <label htmlFor="search-name">{t('Name or person id')}</label>
          <input
            id="search-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            aria-invalid={problems.name ? true : undefined}
            aria-describedby="search-name-help search-name-error"
          />
          <small id="search-name-help">
            {t('At least 2 characters; every word must start a given or family name.')}
          </small>
          {problems.name && (
            <small id="search-name-error" className="error">
              {problems.name.join('; ')}
            </small>
          )}
        </div>
        <div className="field">
          <label htmlFor="search-dob">{t('Date of birth')}</label>
          <input
            id="search-dob"
            name="dob"
            type="date"
            value={dateOfBirth}
            onChange={(e) => setDateOfBirth(e.target.value)}
            aria-invalid={problems.dateOfBirth ? true : undefined}
            aria-describedby="search-dob-error"
          />
          {problems.dateOfBirth && (
            <small id="search-dob-error" className="error">
              {problems.dateOfBirth.join('; ')}
            </small>
          )}
        </div>
        <button type="submit" disabled={busy}>
          {t('Search')}
        </button>
      </form>
      {other.map((e, i) => (
        <p key={i} role="alert" className="error">
          {errorLine(e)}
        </p>
      ))}
      <div aria-live="polite">
        {results && (
          <h2>
            {results.length === 0
              ? t('No person found')
              : results.length === 1
                ? t('1 person found')
                : t('{count} persons found', { count: results.length })}
          </h2>
        )}
      </div>
      {results && results.length > 0 && (
        <div className="table-scroll">
          <table className="results">
            <thead>
              <tr>
                <th scope="col">{t('Name')}</th>
                <th scope="col">{t('Date of birth')}</th>
                <th scope="col">{t('Nationality')}</th>
                <th scope="col">{t('Assigned municipality')}</th>
                <th scope="col">{t('Person id')}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a
                      href={href(`person/${p.id}`)}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`person/${p.id}`);
                      }}
                    >
                      {p.familyName ?? '—'}, {p.givenName ?? '—'}
                    </a>
                  </td>
                  <td>{formatDay(p.dateOfBirth)}</td>
                  <td>{p.nationality ?? '—'}</td>
                  <td>{p.assignedMunicipality ? agencyName(`municipality:${p.assignedMunicipality.ags}`) : '—'}</td>
                  <td>
                    <code>{p.id}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
