import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CALLBACK_PATH, completeSignIn, forgetSignIn } from './oidc';
import { href, navigate, useRoute } from './router';
import { createClient, loadSession, loadSettings, saveSession, type Session, type Settings } from './session';
import { ConsentPage } from './screens/ConsentPage';
import { Directory } from './screens/Directory';
import { LogSearch } from './screens/LogSearch';
import { Monitoring } from './screens/Monitoring';
import { PersonPage } from './screens/PersonPage';
import { PersonSearch } from './screens/PersonSearch';
import { SignIn } from './screens/SignIn';

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [settings, setSettings] = useState<Settings>();
  const route = useRoute();
  const client = useMemo(() => (session ? createClient(session) : undefined), [session]);

  useEffect(() => {
    loadSettings().then(setSettings, () => setSettings({ devSignIn: false, agencies: [] }));
  }, []);

  const signIn = (next: Session | undefined) => {
    saveSession(next);
    setSession(next);
    if (!next && settings?.oidc) void forgetSignIn(settings.oidc);
    if (!next) navigate('');
  };

  // Back from the identity provider at /console/callback: redeem the code once, then go to the start screen.
  const [callbackError, setCallbackError] = useState<string>();
  const redeemed = useRef(false);
  const oidc = settings?.oidc;
  const atCallback = route.parts[0] === CALLBACK_PATH;
  useEffect(() => {
    if (!oidc || !atCallback || redeemed.current) return;
    redeemed.current = true;
    completeSignIn(oidc).then(
      (next) => {
        saveSession(next);
        setSession(next);
        navigate('', { replace: true });
      },
      (e: Error) => {
        setCallbackError(e.message);
        window.history.replaceState(null, '', href(''));
      },
    );
  }, [oidc, atCallback]);

  if (!session || !client) {
    return (
      <>
        <Header />
        <main id="main">
          {!settings || (atCallback && oidc && !callbackError) ? (
            <p>Signing in…</p>
          ) : (
            <SignIn settings={settings} onSignIn={signIn} error={callbackError} />
          )}
        </main>
      </>
    );
  }

  const [screen, id, tab] = route.parts;
  let content;
  // Analysts see the monitoring page only, whatever the path.
  if (session.role === 'ANALYST') content = <Monitoring />;
  else if (screen === 'person' && id)
    content = (
      <PersonPage
        key={id}
        personId={id}
        tab={tab ?? 'consents'}
        params={route.params}
        agencies={settings?.agencies ?? []}
      />
    );
  else if (screen === 'consent' && id)
    content = <ConsentPage consentId={id} version={Number(route.params.get('version')) || undefined} />;
  else if (screen === 'log') content = <LogSearch />;
  else if (screen === 'responsible') content = <Directory />;
  else content = <PersonSearch />;

  return (
    <ApolloProvider client={client}>
      <Header session={session} onSignOut={() => signIn(undefined)} current={screen ?? ''} />
      <main id="main">{content}</main>
    </ApolloProvider>
  );
}

function Header({ session, onSignOut, current }: { session?: Session; onSignOut?: () => void; current?: string }) {
  const link = (path: string, label: string, active: boolean) => (
    <a
      href={href(path)}
      aria-current={active ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
  return (
    <header className="top no-print">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <span className="brand">
        Verbund · {session?.role === 'ANALYST' ? 'Monitoring' : 'Consent officers’ console'}
      </span>
      {session && (
        <>
          <nav aria-label="Main">
            {session.role === 'ANALYST' ? (
              link('', 'Monitoring', true)
            ) : (
              <>
                {link('', 'Find a person', current === '' || current === 'person' || current === 'consent')}
                {link('log', 'Disclosure log', current === 'log')}
                {link('responsible', 'Who is responsible', current === 'responsible')}
              </>
            )}
          </nav>
          <span className="who">
            Signed in as <strong>{session.officer}</strong> ({session.agency})
            <button type="button" className="link" onClick={onSignOut}>
              Sign out
            </button>
          </span>
        </>
      )}
    </header>
  );
}
