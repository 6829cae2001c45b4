import { readFileSync } from 'node:fs';
import { parseAgency } from '../domain.js';

/**
 * The district's agencies: a closed list per deployment, configured rather than inferred from an id's
 * shape. A token naming an agency not on it is refused, however well-formed the name.
 */
export interface AgencyList {
  has(agencyId: string): boolean;
  readonly ids: readonly string[];
}

/** Checks a list read from JSON: `{ "agencies": ["county", "municipality:<AGS>", ...] }`. */
export function parseAgencyList(raw: unknown, source = 'agency list'): AgencyList {
  const list = (raw as { agencies?: unknown })?.agencies;
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(`${source} is invalid: needs a non-empty "agencies" array`);
  for (const id of list) {
    if (!parseAgency(id)) throw new Error(`${source} is invalid: ${JSON.stringify(id)} is not a Verbund agency id`);
  }
  const ids = new Set(list as string[]);
  return { has: (id) => ids.has(id), ids: [...ids] };
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
