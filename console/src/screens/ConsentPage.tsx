import { useQuery } from '@apollo/client/react';
import { CONSENT_BY_ID } from '../operations';
import { href, navigate } from '../router';
import { formatInstant } from '../district-time';
import { ConsentDetails, useConsentSettings } from './Consents';

/** One consent, at the version a disclosure's basis names (or the current one). */
export function ConsentPage({ consentId, version }: { consentId: string; version?: number }) {
  const { data, error, loading } = useQuery(CONSENT_BY_ID, { variables: { id: consentId }, errorPolicy: 'all' });
  const { timeZone } = useConsentSettings();
  const consent = data?.consent;
  const shown = consent && (version ? consent.versions.find((v) => v.version === version) : consent);
  return (
    <section>
      <h1>
        Consent {consentId.slice(0, 8)}
        {shown ? ` · version ${shown.version}` : ''}
      </h1>
      {loading && <p>Loading…</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {consent && !shown && (
        <p role="alert" className="error">
          This consent has no version {version}.
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
              All consents of this person
            </a>
            {shown.version !== consent.version && (
              <>
                {' '}
                · the current version is {consent.version} ({consent.state})
              </>
            )}
          </p>
          <ConsentDetails consent={shown} />
          <h2>Versions</h2>
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
                  Version {v.version}
                </a>{' '}
                recorded {formatInstant(v.recordedAt, timeZone)} by {v.recordedBy.officer} ({v.recordedBy.agency})
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
