import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import { href, navigate, useRoute } from './router';
import { createClient, loadSession, loadSettings, saveSession, type Session, type Settings } from './session';
import { ConsentPage } from './screens/ConsentPage';
import { LogSearch } from './screens/LogSearch';
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
    if (!next) navigate('');
  };

  if (!session || !client) {
    return (
      <>
        <Header />
        <main id="main">{settings ? <SignIn settings={settings} onSignIn={signIn} /> : <p>Loading…</p>}</main>
      </>
    );
  }

  const [screen, id, tab] = route.parts;
  let content;
  if (screen === 'person' && id) content = <PersonPage key={id} personId={id} tab={tab ?? 'consents'} params={route.params} agencies={settings?.agencies ?? []} />;
  else if (screen === 'consent' && id) content = <ConsentPage consentId={id} version={Number(route.params.get('version')) || undefined} />;
  else if (screen === 'log') content = <LogSearch />;
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
      <a className="skip" href="#main">Skip to content</a>
      <span className="brand">Verbund · Consent officers’ console</span>
      {session && (
        <>
          <nav aria-label="Main">
            {link('', 'Find a person', current === '' || current === 'person' || current === 'consent')}
            {link('log', 'Disclosure log', current === 'log')}
          </nav>
          <span className="who">
            Signed in as <strong>{session.officer}</strong> ({session.agency})
            <button type="button" className="link" onClick={onSignOut}>Sign out</button>
          </span>
        </>
      )}
    </header>
  );
}
