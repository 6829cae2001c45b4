import { useQuery } from '@apollo/client/react';
import { PERSON_BY_ID } from '../operations';
import { href, navigate } from '../router';
import { Consents } from './Consents';
import { EffectiveAccess } from './EffectiveAccess';
import { Report } from './Report';
import { Timeline } from './Timeline';

const TABS = [
  ['consents', 'Consents'],
  ['timeline', 'Timeline'],
  ['report', 'Art. 15 report'],
] as const;

export function PersonPage({
  personId,
  tab,
  params,
  agencies,
}: {
  personId: string;
  tab: string;
  params: URLSearchParams;
  agencies: string[];
}) {
  const { data, error, loading } = useQuery(PERSON_BY_ID, {
    variables: { id: personId },
    fetchPolicy: 'cache-first',
    errorPolicy: 'all',
  });
  const person = data?.person;
  return (
    <section>
      <div className="no-print">
        <h1>
          {loading
            ? 'Loading…'
            : person
              ? `${person.familyName ?? '—'}, ${person.givenName ?? '—'}`
              : 'Person not found'}
        </h1>
        {person && (
          <p className="identity">
            Born {person.dateOfBirth ?? '—'} · nationality {person.nationality ?? '—'} · id <code>{person.id}</code>
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        <nav className="tabs" aria-label="Person">
          {TABS.map(([key, label]) => (
            <a
              key={key}
              href={href(`person/${personId}/${key}`)}
              aria-current={tab === key ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(`person/${personId}/${key}`);
              }}
            >
              {label}
            </a>
          ))}
        </nav>
      </div>
      {tab === 'consents' && (
        <>
          <Consents personId={personId} agencies={agencies} />
          <EffectiveAccess personId={personId} />
        </>
      )}
      {tab === 'timeline' && <Timeline personId={personId} />}
      {tab === 'report' && <Report personId={personId} language={params.get('lang') ?? 'de'} />}
    </section>
  );
}
