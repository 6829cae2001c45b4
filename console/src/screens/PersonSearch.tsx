import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { apiErrors, fieldProblems, type ApiError } from '../errors';
import { PERSON_BY_ID, SEARCH_PERSONS, type PersonIdentity } from '../operations';
import { href, navigate } from '../router';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function PersonSearch() {
  const client = useApolloClient();
  const [name, setName] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [results, setResults] = useState<PersonIdentity[]>();
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);

  const search = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const term = name.trim();
    if (UUID.test(term)) {
      const { data, error } = await client.query({
        query: PERSON_BY_ID,
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        variables: { id: term },
      });
      setErrors(apiErrors(error));
      setResults(data?.person ? [data.person] : []);
    } else {
      const { data, error } = await client.query({
        query: SEARCH_PERSONS,
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        variables: { name: term || null, dateOfBirth: dateOfBirth || null, first: 50 },
      });
      setErrors(apiErrors(error));
      setResults(data?.searchPersons ?? []);
    }
    setBusy(false);
  };

  const problems = fieldProblems(errors);
  const other = errors.filter((e) => e.code !== 'BAD_USER_INPUT');
  return (
    <section>
      <h1>Find a person</h1>
      <form className="card search" onSubmit={(e) => void search(e)} noValidate>
        <div className="field">
          <label htmlFor="search-name">Name or person id</label>
          <input
            id="search-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            aria-describedby="search-name-help search-name-error"
          />
          <small id="search-name-help">At least 2 characters; every word must start a given or family name.</small>
          {problems.name && (
            <small id="search-name-error" className="error">
              {problems.name.join('; ')}
            </small>
          )}
        </div>
        <div className="field">
          <label htmlFor="search-dob">Date of birth</label>
          <input
            id="search-dob"
            type="date"
            value={dateOfBirth}
            onChange={(e) => setDateOfBirth(e.target.value)}
            aria-describedby="search-dob-error"
          />
          {problems.dateOfBirth && (
            <small id="search-dob-error" className="error">
              {problems.dateOfBirth.join('; ')}
            </small>
          )}
        </div>
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      {other.map((e, i) => (
        <p key={i} role="alert" className="error">
          {e.message}
        </p>
      ))}
      {results && (
        <div aria-live="polite">
          <h2>
            {results.length === 0
              ? 'No person found'
              : `${results.length} ${results.length === 1 ? 'person' : 'persons'} found`}
          </h2>
          {results.length > 0 && (
            <table className="results">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Date of birth</th>
                  <th scope="col">Nationality</th>
                  <th scope="col">Person id</th>
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
                    <td>{p.dateOfBirth ?? '—'}</td>
                    <td>{p.nationality ?? '—'}</td>
                    <td>
                      <code>{p.id}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
