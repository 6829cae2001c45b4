import { useQuery } from '@apollo/client/react';
import { CONSENT_BY_ID } from '../operations';
import { href, navigate } from '../router';
import { useDocumentTitle } from '../a11y';
import { formatInstant } from '../district-time';
import { agencyName, stateName, t } from '../i18n';
import { ConsentDetails, ConsentSentence, useConsentSettings } from './Consents';

/** One consent, at the version a disclosure's basis names (or the current one). */
export function ConsentPage({ consentId, version }: { consentId: string; version?: number }) {
  const { data, error, loading } = useQuery(CONSENT_BY_ID, { variables: { id: consentId }, errorPolicy: 'all' });
  const { timeZone } = useConsentSettings();
  const consent = data?.consent;
  const shown = consent && (version ? consent.versions.find((v) => v.version === version) : consent);
  const title = `${t('Consent {id}', { id: consentId.slice(0, 8) })}${shown ? ` · ${t('version {version}', { version: shown.version })}` : ''}`;
  useDocumentTitle(title);
  return (
    <section>
      <h1>{title}</h1>
      {loading && <p>{t('Loading…')}</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {consent && !shown && (
        <p role="alert" className="error">
          {t('This consent has no version {version}.', { version: version ?? '' })}
        </p>
      )}
      {shown && consent && (
        <>
          <p>
            <a
              href={href(`person/${consent.personId}/consents`)}
              onClick={(e) => {
                e.preventDefault();
                navigate(`person/${consent.personId}/consents`);
              }}
            >
              {t('All consents of this person')}
            </a>
            {shown.version !== consent.version && (
              <>
                {' '}
                ·{' '}
                {t('the current version is {version} ({state})', {
                  version: consent.version,
                  state: stateName(consent.state),
                })}
              </>
            )}
          </p>
          <ConsentSentence consent={shown} />
          <ConsentDetails consent={shown} />
          <h2>{t('Versions')}</h2>
          <ul>
            {consent.versions.map((v) => (
              <li key={v.version}>
                <a
                  href={href(`consent/${consentId}?version=${v.version}`)}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`consent/${consentId}?version=${v.version}`);
                  }}
                >
                  {t('Version {version}', { version: v.version })}
                </a>{' '}
                {t('recorded {time} by {officer} ({agency})', {
                  time: formatInstant(v.recordedAt, timeZone),
                  officer: v.recordedBy.officer,
                  agency: agencyName(v.recordedBy.agency),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
