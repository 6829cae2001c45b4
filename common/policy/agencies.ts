import { readFileSync } from 'node:fs';
import { parseAgency } from '../domain.js';

/**
 * The district's agencies: a closed list per deployment, configured rather than inferred from an id's
 * shape. A token naming an agency not on it is refused, however well-formed the name.
 */
export interface AgencyList {
  has(agencyId: string): boolean;
  readonly ids: readonly string[];
  /**
   * The district's own name for each agency that has one (`displayName` in the file), e.g.
   * `municipality:08999001` → "Stadt Lindenau": what officers and persons read instead of the id.
   */
  readonly displayNames: Readonly<Record<string, string>>;
}

/**
 * Checks a list read from JSON: `{ "agencies": ["county", { "id": "municipality:<AGS>", "displayName": "…" }, ...] }`
 * (an entry is an id, or an id with the name people know the agency by).
 */
export function parseAgencyList(raw: unknown, source = 'agency list'): AgencyList {
  const list = (raw as { agencies?: unknown })?.agencies;
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(`${source} is invalid: needs a non-empty "agencies" array`);
  const ids = new Set<string>();
  const displayNames: Record<string, string> = {};
  for (const entry of list as unknown[]) {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : entry;
    if (!parseAgency(id)) throw new Error(`${source} is invalid: ${JSON.stringify(id)} is not a Verbund agency id`);
    ids.add(id as string);
    if (typeof entry !== 'object' || entry === null) continue;
    const name = (entry as { displayName?: unknown }).displayName;
    if (name === undefined) continue;
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > 120)
      throw new Error(`${source} is invalid: the displayName of ${String(id)} must be text of 1 to 120 characters`);
    displayNames[id as string] = name.trim();
  }
  return { has: (id) => ids.has(id), ids: [...ids], displayNames };
}

/** The list in `file` (`AGENCIES_FILE`), or the demo district's shipped with Verbund. */
export function loadAgencyList(file?: string): AgencyList {
  const path = file ?? new URL('./agencies.example.json', import.meta.url);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Agency list ${String(path)} cannot be read: ${(error as Error).message}`);
  }
  return parseAgencyList(raw, `Agency list ${String(path)}`);
}
