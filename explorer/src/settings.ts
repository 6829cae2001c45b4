/** What the gateway tells the explorer (`/explorer/settings.json`). */
export interface ExplorerSettings {
  /** Development only: the gateway signs demo tokens at `/explorer/dev-token`. Never in production. */
  devTokens: boolean;
  /** The district's agencies. */
  agencies: string[];
  /** Per agency and role, the purposes that role may state at that agency. */
  purposes: Record<string, Record<string, string[]>>;
  /** A person of the demo district, for the examples' variables; absent where there is no demo data. */
  examplePersonId?: string;
}

export async function loadSettings(): Promise<ExplorerSettings> {
  const response = await fetch('/explorer/settings.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The hub did not give the explorer's settings (HTTP ${response.status})`);
  return (await response.json()) as ExplorerSettings;
}

/** A demo token for the agency and role, signed by the hub in development. */
export async function demoToken(agency: string, role: string): Promise<string> {
  const params = new URLSearchParams({ agency, role, officer: 'explorer' });
  const response = await fetch(`/explorer/dev-token?${params}`);
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.token;
}
