import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { focusHeading } from './a11y';
import { agencyName as agencyLabel, setAgencyNames, setUiLanguage, t, uiLanguage, type UiLanguage } from './i18n';
import { CALLBACK_PATH, completeSignIn, forgetSignIn } from './oidc';
import { href, navigate, useRoute } from './router';
import { createClient, loadSession, loadSettings, saveSession, type Session, type Settings } from './session';
import { ConsentPage } from './screens/ConsentPage';
import { Directory } from './screens/Directory';
import { LogSearch } from './screens/LogSearch';
import { Monitoring } from './screens/Monitoring';
import { PersonPage } from './screens/PersonPage';
import { PersonSearch } from './screens/PersonSearch';
import { setReportSettings } from './screens/Report';
import { SignIn } from './screens/SignIn';
import { ACCESS_REQUEST, parseAgency, PURPOSES_BY_AGENCY } from '../../common/domain';

/** Whether an agency's consent office answers access requests (purpose DATA_SUBJECT_ACCESS): the county's. */
function answersAccessRequests(agency: string): boolean {
  const kind = parseAgency(agency)?.kind;
  return kind !== undefined && PURPOSES_BY_AGENCY[kind].includes(ACCESS_REQUEST);
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [settings, setSettings] = useState<Settings>();
  const route = useRoute();
  const client = useMemo(() => (session ? createClient(session) : undefined), [session]);
  const [language, setLanguage] = useState<UiLanguage>(uiLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    loadSettings().then(
      (loaded) => {
        setAgencyNames(loaded.agencyNames);
        setReportSettings(loaded);
        setSettings(loaded);
      },
      () => setSettings({ devSignIn: false, agencies: [] }),
    );
  }, []);

  // On every change of screen the focus goes to the new screen's heading (a tab of the person page: the tab's).
  const path = route.parts.join('/');
  const previous = useRef<string | undefined>(undefined);
  useEffect(() => {
    const before = previous.current;
    previous.current = path;
    if (before === undefined || before === path) return;
    const [screen, id] = route.parts;
    const [beforeScreen, beforeId] = before.split('/');
    focusHeading(screen === 'person' && beforeScreen === 'person' && id === beforeId ? '[data-tab-heading]' : 'h1');
  }, [path, route.parts]);

  const switchLanguage = (next: UiLanguage) => {
    setUiLanguage(next);
    setLanguage(next);
  };

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
      <div key={language}>
        <Header language={language} onLanguage={switchLanguage} />
        <main id="main">
          {!settings || (atCallback && oidc && !callbackError) ? (
            <p>{t('Signing in…')}</p>
          ) : (
            <SignIn settings={settings} onSignIn={signIn} error={callbackError} />
          )}
        </main>
      </div>
    );
  }

  const [screen, id, tab] = route.parts;
  let content;
  // Analysts see the monitoring page only, whatever the path.
  if (session.role === 'ANALYST') content = <Monitoring params={route.params} agencyNames={settings?.agencyNames} />;
  else if (screen === 'person' && id)
    content = (
      <PersonPage
        key={id}
        personId={id}
        tab={tab ?? 'consents'}
        params={route.params}
        agencies={settings?.agencies ?? []}
        copy={answersAccessRequests(session.agency)}
      />
    );
  else if (screen === 'consent' && id)
    content = <ConsentPage consentId={id} version={Number(route.params.get('version')) || undefined} />;
  else if (screen === 'log') content = <LogSearch params={route.params} agencies={settings?.agencies ?? []} />;
  else if (screen === 'responsible') content = <Directory />;
  else content = <PersonSearch params={route.params} />;

  return (
    <ApolloProvider client={client}>
      <div key={language}>
        <Header
          session={session}
          onSignOut={() => signIn(undefined)}
          current={screen ?? ''}
          language={language}
          onLanguage={switchLanguage}
        />
        <main id="main">{content}</main>
      </div>
    </ApolloProvider>
  );
}

function Header({
  session,
  onSignOut,
  current,
  language,
  onLanguage,
}: {
  session?: Session;
  onSignOut?: () => void;
  current?: string;
  language: UiLanguage;
  onLanguage: (language: UiLanguage) => void;
}) {
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
        {t('Skip to content')}
      </a>
      <span className="brand">
        Verbund · {session?.role === 'ANALYST' ? t('Monitoring') : t('Consent officers’ console')}
      </span>
      {session && (
        <>
          <nav aria-label={t('Main')}>
            {session.role === 'ANALYST' ? (
              link('', t('Monitoring'), true)
            ) : (
              <>
                {link('', t('Find a person'), current === '' || current === 'person' || current === 'consent')}
                {link('log', t('Disclosure log'), current === 'log')}
                {link('responsible', t('Who is responsible'), current === 'responsible')}
              </>
            )}
          </nav>
          <span className="who">
            {t('Signed in as')} <strong>{session.officer}</strong> ({agencyLabel(session.agency)})
            <button type="button" className="link" onClick={onSignOut}>
              {t('Sign out')}
            </button>
          </span>
        </>
      )}
      {language === 'de' ? (
        <button type="button" className="link language" lang="en" onClick={() => onLanguage('en')}>
          English
        </button>
      ) : (
        <button type="button" className="link language" lang="de" onClick={() => onLanguage('de')}>
          Deutsch
        </button>
      )}
    </header>
  );
}
