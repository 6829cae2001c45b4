import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useRef, useState } from 'react';
import { labelEditors } from './accessibility.js';
import { EXAMPLES, variablesOf, type Example } from '../../gateway/explorer-examples.js';
import { demoToken, loadSettings, type ExplorerSettings } from './settings.js';

const ROLES = ['CASEWORKER', 'CONSENT_OFFICER', 'ANALYST'] as const;

/** Speaks to the gateway of this origin only, with the headers of the editor. */
async function fetcher(params: unknown, options?: { headers?: Record<string, unknown> }): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
  const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
  return response.json();
}

/** GraphiQL keeps nothing between visits: tokens are not stored in the browser. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

interface Session {
  agency: string;
  role: string;
  purpose: string;
  token: string;
}

/**
 * GraphiQL with, above it, the demo caller (agency, role and a purpose that role may state) whose token and
 * purpose fill the headers, and the example operations of each user group.
 */
export function Explorer() {
  const [settings, setSettings] = useState<ExplorerSettings>();
  const [problem, setProblem] = useState<string>();
  const [agency, setAgency] = useState('jobcenter');
  const [role, setRole] = useState('CASEWORKER');
  const [purpose, setPurpose] = useState('JOB_PLACEMENT');
  const [session, setSession] = useState<Session>();
  const [example, setExample] = useState<Example>(EXAMPLES[0]);
  // Each change of caller or example starts a fresh editor with its headers, query and variables.
  const [generation, setGeneration] = useState(0);

  const editors = useRef<HTMLElement>(null);

  useEffect(() => {
    loadSettings().then(setSettings, (e: Error) => setProblem(e.message));
  }, []);
  useEffect(() => (editors.current ? labelEditors(editors.current) : undefined), []);

  const purposes = settings?.purposes[agency]?.[role] ?? [];
  useEffect(() => {
    if (purposes.length && !purposes.includes(purpose)) setPurpose(purposes[0]);
  }, [purposes, purpose]);

  const useCaller = async (caller: { agency: string; role: string; purpose: string }) => {
    setProblem(undefined);
    try {
      const token = await demoToken(caller.agency, caller.role);
      setSession({ ...caller, token });
      setGeneration((g) => g + 1);
    } catch (e) {
      setProblem(`No demo token: ${(e as Error).message}`);
    }
  };

  const chooseExample = async (id: string) => {
    const chosen = EXAMPLES.find((e) => e.id === id);
    if (!chosen) return;
    setExample(chosen);
    if (settings?.devTokens) {
      setAgency(chosen.caller.agency);
      setRole(chosen.caller.role);
      setPurpose(chosen.caller.purpose);
      await useCaller(chosen.caller);
    } else {
      setGeneration((g) => g + 1);
    }
  };

  const headers = useMemo(
    () =>
      JSON.stringify(
        session
          ? { Authorization: `Bearer ${session.token}`, 'X-Purpose': session.purpose }
          : { Authorization: 'Bearer <token from your identity provider>', 'X-Purpose': example.caller.purpose },
        null,
        2,
      ),
    [session, example],
  );
  const storage = useMemo(() => memoryStorage(), [generation]);
  const groups = [...new Set(EXAMPLES.map((e) => e.group))];

  return (
    <div className="explorer">
      <header className="explorer-bar">
        <h1>Verbund explorer</h1>
        <label>
          Example
          <select value={example.id} onChange={(e) => void chooseExample(e.target.value)}>
            {groups.map((group) => (
              <optgroup key={group} label={group}>
                {EXAMPLES.filter((e) => e.group === group).map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.title}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {settings?.devTokens ? (
          <form
            className="explorer-caller"
            aria-label="Demo caller"
            onSubmit={(e) => {
              e.preventDefault();
              void useCaller({ agency, role, purpose });
            }}
          >
            <label>
              Agency
              <select value={agency} onChange={(e) => setAgency(e.target.value)}>
                {settings.agencies.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </label>
            <label>
              Role
              <select value={role} onChange={(e) => setRole(e.target.value)}>
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <label>
              Purpose
              <select value={purpose} onChange={(e) => setPurpose(e.target.value)}>
                {purposes.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
            <button type="submit">Use demo token</button>
          </form>
        ) : settings ? (
          <p className="explorer-note">Put your token from the identity provider and your purpose into the headers.</p>
        ) : null}
        <p className="explorer-status" role="status">
          {problem ??
            (session
              ? `Headers: ${session.agency}, ${session.role}, ${session.purpose}`
              : 'No demo token in the headers')}
        </p>
      </header>
      <main className="explorer-graphiql" ref={editors}>
        <GraphiQL
          key={generation}
          fetcher={fetcher as never}
          storage={storage}
          query={example.query}
          variables={variablesOf(example, settings?.examplePersonId ?? '<person id>')}
          headers={headers}
          defaultEditorToolsVisibility="headers"
          shouldPersistHeaders={false}
          forcedTheme="light"
        />
      </main>
    </div>
  );
}
