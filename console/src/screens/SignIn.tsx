import { useState } from 'react';
import { useDocumentTitle } from '../a11y';
import { t, text } from '../i18n';
import { startSignIn } from '../oidc';
import type { Session, Settings } from '../session';

/** The demo district's consent officers, for development sign-in. */
const DEMO_OFFICERS = [
  {
    officer: 'a.schulz',
    agency: 'county',
    role: 'CONSENT_OFFICER',
    label: 'A. Schulz — {office}',
    office: text('county consent office'),
  },
  {
    officer: 'd.becker',
    agency: 'county',
    role: 'CONSENT_OFFICER',
    label: 'D. Becker — {office}',
    office: text('county consent office'),
  },
  {
    officer: 'r.yildiz',
    agency: 'jobcenter',
    role: 'CONSENT_OFFICER',
    label: 'R. Yıldız — {office}',
    office: text('jobcenter data protection'),
  },
  {
    officer: 'm.weber',
    agency: 'county',
    role: 'ANALYST',
    label: 'M. Weber — {office}',
    office: text('county integration monitoring (analyst)'),
  },
] as const;

export function SignIn({
  settings,
  onSignIn,
  error: initialError,
}: {
  settings: Settings;
  onSignIn: (session: Session) => void;
  error?: string;
}) {
  const [choice, setChoice] = useState(0);
  const [error, setError] = useState<string | undefined>(initialError);
  const [busy, setBusy] = useState(false);
  useDocumentTitle(t('Sign in'));

  /** Runs one way of signing in; a failure is shown and the button is free again. */
  const attempt = async (signIn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  if (settings.oidc) {
    const oidc = settings.oidc;
    const redirect = () => attempt(() => startSignIn(oidc));
    return (
      <section className="card narrow">
        <h1>{t('Sign in')}</h1>
        <p>
          {t('Sign in with your account at the district’s identity provider ({host}).', {
            host: new URL(oidc.issuer).host,
          })}
        </p>
        {error && (
          <p role="alert" className="error">
            {t('Sign-in failed:')} {error}
          </p>
        )}
        <button type="button" disabled={busy} onClick={() => void redirect()}>
          {t('Sign in at the identity provider')}
        </button>
      </section>
    );
  }

  if (!settings.devSignIn) {
    return (
      <section className="card narrow">
        <h1>{t('Sign in')}</h1>
        <p>
          {t(
            'Development sign-in is off here (production), and no identity provider is configured (JWKS_URL, OIDC_CLIENT_ID).',
          )}
        </p>
      </section>
    );
  }

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const { officer, agency, role } = DEMO_OFFICERS[choice];
    return attempt(async () => {
      const response = await fetch(
        `/console/dev-token?officer=${encodeURIComponent(officer)}&agency=${encodeURIComponent(agency)}&role=${role}`,
      );
      const body = (await response.json()) as { token?: string; error?: string };
      if (!response.ok || !body.token) throw new Error(body.error ?? `HTTP ${response.status}`);
      onSignIn({ token: body.token, officer, agency, role });
    });
  };

  return (
    <section className="card narrow">
      <h1>{t('Sign in')}</h1>
      <p>
        {t(
          'Development sign-in: choose a demo consent officer or analyst. The hub issues a token for this browser tab; no key leaves the hub.',
        )}
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>{t('Demo officer')}</legend>
          {DEMO_OFFICERS.map((o, i) => (
            <label key={o.officer} className="radio">
              <input
                type="radio"
                name="officer"
                value={o.officer}
                checked={choice === i}
                onChange={() => setChoice(i)}
              />
              {o.label.replace('{office}', t(o.office))}
            </label>
          ))}
        </fieldset>
        {error && (
          <p role="alert" className="error">
            {t('Sign-in failed:')} {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('Sign in')}
        </button>
      </form>
    </section>
  );
}
