import { useQuery } from '@apollo/client/react';
import { useDocumentTitle } from '../a11y';
import { formatDay } from '../district-time';
import { t, text } from '../i18n';
import { errorsLine } from '../errors';
import { PERSON_BY_ID } from '../operations';
import { href, navigate } from '../router';
import { Consents } from './Consents';
import { EffectiveAccess } from './EffectiveAccess';
import { Report } from './Report';
import { Timeline } from './Timeline';

const TABS = [
  ['consents', text('Consents')],
  ['timeline', text('Timeline')],
  ['report', text('Art. 15 report')],
] as const;

export function PersonPage({
  personId,
  tab,
  params,
  agencies,
  copy,
}: {
  personId: string;
  tab: string;
  params: URLSearchParams;
  agencies: string[];
  /** Whether the officer's agency answers access requests, so that the Art. 15 letter holds the copy of the data. */
  copy: boolean;
}) {
  // On the Art. 15 report the name comes from the report's own request, whose reads the report leaves out:
  // a read of its own here would appear in the person's report as one more disclosure each time it is opened.
  const onReport = tab === 'report';
  const {
    data,
    error,
    loading: fetching,
  } = useQuery(PERSON_BY_ID, {
    variables: { id: personId },
    fetchPolicy: onReport ? 'cache-only' : 'cache-first',
    errorPolicy: 'all',
  });
  const person = data?.person;
  const loading = fetching || (onReport && !person);
  const name = person ? `${person.familyName ?? '—'}, ${person.givenName ?? '—'}` : undefined;
  const tabLabel = TABS.find(([key]) => key === tab)?.[1];
  useDocumentTitle(tabLabel && t(tabLabel), name ?? (loading ? t('Loading…') : t('Person not found')));
  return (
    <section>
      <div className="no-print">
        <h1>{loading ? t('Loading…') : (name ?? t('Person not found'))}</h1>
        {person && (
          <p className="identity">
            {t('Born {day}', { day: formatDay(person.dateOfBirth) })} ·{' '}
            {t('nationality {code}', { code: person.nationality ?? '—' })} · {t('id')} <code>{person.id}</code>
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {errorsLine(error)}
          </p>
        )}
        <nav className="tabs" aria-label={t('Person')}>
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
              {t(label)}
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
      {tab === 'timeline' && <Timeline personId={personId} params={params} agencies={agencies} />}
      {tab === 'report' && <Report personId={personId} language={params.get('lang') ?? 'de'} copy={copy} />}
    </section>
  );
}
