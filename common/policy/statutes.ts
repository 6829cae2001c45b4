import { readFileSync } from 'node:fs';
import { CATEGORIES, PURPOSES, type AgencyKind, type Category, type Purpose } from '../domain.js';

/** One entry of the statutory catalogue: a legal basis for a kind of agency to receive categories. */
export interface StatuteEntry {
  id: string;
  /** The legal reference as text, e.g. "§ 87 Abs. 1 AufenthG". */
  reference: string;
  description: string;
  agencies: AgencyKind[];
  purposes: Purpose[];
  categories: Category[];
  /**
   * When given, the entry covers only these fields (`Type.field`, as the disclosure log names them) of its
   * categories, not the categories as a whole: e.g. the municipality a person is assigned to, without the
   * residence status that shares its category.
   */
  fields?: string[];
}

/** The versioned catalogue; its version goes into the policy version of every decision. */
export interface StatuteCatalogue {
  version: string;
  /** True for the shipped demo catalogue, which a deployment replaces. */
  example: boolean;
  entries: StatuteEntry[];
}

const AGENCY_KINDS = ['county', 'municipality', 'jobcenter', 'socialcare'];

/** A field as the schema and the disclosure log name it: `Person.assignedMunicipality`. */
const FIELD_PATTERN = /^[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;

/**
 * Checks a catalogue read from JSON. HEALTH data (GDPR Art. 9) is never disclosed by statute in Verbund,
 * so an entry naming it is refused here rather than silently ignored later.
 */
export function parseCatalogue(raw: unknown): StatuteCatalogue {
  const fail = (what: string): never => {
    throw new Error(`Statutory catalogue is invalid: ${what}`);
  };
  const value = raw as Partial<StatuteCatalogue>;
  if (typeof value?.version !== 'string' || !Array.isArray(value.entries)) fail('needs "version" and "entries"');
  const ids = new Set<string>();
  for (const entry of value.entries!) {
    if (typeof entry.id !== 'string' || ids.has(entry.id))
      fail(`entry id ${JSON.stringify(entry.id)} missing or repeated`);
    ids.add(entry.id);
    if (typeof entry.reference !== 'string' || !entry.reference) fail(`entry ${entry.id} names no legal reference`);
    if (!entry.agencies?.every((a) => AGENCY_KINDS.includes(a))) fail(`entry ${entry.id} has an unknown agency`);
    if (!entry.purposes?.every((p) => (PURPOSES as readonly string[]).includes(p)))
      fail(`entry ${entry.id} has an unknown purpose`);
    if (!entry.categories?.every((c) => (CATEGORIES as readonly string[]).includes(c)))
      fail(`entry ${entry.id} has an unknown category`);
    if (entry.categories.includes('HEALTH'))
      fail(`entry ${entry.id} names HEALTH, which is disclosed by explicit consent only`);
    if (
      entry.fields !== undefined &&
      (!Array.isArray(entry.fields) ||
        entry.fields.length === 0 ||
        !entry.fields.every((f) => typeof f === 'string' && FIELD_PATTERN.test(f)))
    )
      fail(`entry ${entry.id}: "fields" must list fields as Type.field, e.g. Person.assignedMunicipality`);
  }
  return { version: value.version!, example: value.example === true, entries: value.entries! };
}

/** The catalogue shipped with Verbund (an example; see `statutes.example.json`). */
export function loadShippedCatalogue(): StatuteCatalogue {
  const file = new URL('./statutes.example.json', import.meta.url);
  return parseCatalogue(JSON.parse(readFileSync(file, 'utf8')));
}
