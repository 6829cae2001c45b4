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
  /** The district's letterhead (`letterhead` in the file), for the letters the console prints; absent when not configured. */
  readonly letterhead?: Letterhead;
}

/** A postal address, as printed: one line each (street, post code and town). */
export type AddressLines = readonly string[];

/**
 * What a letter of the district's consent office prints at its head and in its foot, and whom it names for a
 * complaint: `letterhead` in the agencies file (`AGENCIES_FILE`), checked at start-up.
 */
export interface Letterhead {
  /** The controller as the letter names it, e.g. "Landkreis Lindenau". */
  authority: string;
  /** The office that answers the person, e.g. "Landratsamt Lindenau – Einwilligungsstelle". */
  office: string;
  address: AddressLines;
  phone: string;
  email: string;
  /** Opening hours as text, e.g. "Mo–Fr 8:30–12:00". */
  hours?: string;
  /** The controller's data protection officer (Art. 37 GDPR), whom the person may also ask. */
  dataProtectionOfficer: { name: string; address: AddressLines; email: string };
  /** The supervisory authority the person may complain to (Art. 77 GDPR). */
  supervisoryAuthority: { name: string; address: AddressLines; phone?: string; email?: string; web?: string };
  /** The start of every letter's reference number, e.g. "DS 15". */
  referencePrefix: string;
}

const TEXT_LIMIT = 200;

/** Checks the `letterhead` section, naming the first field that is wrong. */
function parseLetterhead(raw: unknown, source: string): Letterhead {
  const fail = (field: string, what: string): never => {
    throw new Error(`${source} is invalid: ${field ? `letterhead.${field}` : 'letterhead'} must be ${what}`);
  };
  const object = (value: unknown, field: string): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(field, 'an object');
  const text = (value: unknown, field: string): string =>
    typeof value === 'string' && value.trim().length > 0 && value.length <= TEXT_LIMIT
      ? value.trim()
      : fail(field, `text of 1 to ${TEXT_LIMIT} characters`);
  const optional = (value: unknown, field: string): string | undefined =>
    value === undefined ? undefined : text(value, field);
  const email = (value: unknown, field: string): string => {
    const address = text(value, field);
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address : fail(field, 'an e-mail address');
  };
  const address = (value: unknown, field: string): string[] =>
    Array.isArray(value) && value.length >= 1 && value.length <= 6
      ? value.map((line, i) => text(line, `${field}[${i}]`))
      : fail(field, 'a list of 1 to 6 address lines');
  const head = object(raw, '');
  const officer = object(head.dataProtectionOfficer, 'dataProtectionOfficer');
  const authority = object(head.supervisoryAuthority, 'supervisoryAuthority');
  const prefix = text(head.referencePrefix, 'referencePrefix');
  if (!/^[\p{L}\d][\p{L}\d ./-]{0,19}$/u.test(prefix))
    fail('referencePrefix', 'up to 20 letters, digits, spaces, . / or -');
  const web = optional(authority.web, 'supervisoryAuthority.web');
  if (web !== undefined && !/^https:\/\/\S+$/.test(web)) fail('supervisoryAuthority.web', 'an https:// address');
  return {
    authority: text(head.authority, 'authority'),
    office: text(head.office, 'office'),
    address: address(head.address, 'address'),
    phone: text(head.phone, 'phone'),
    email: email(head.email, 'email'),
    hours: optional(head.hours, 'hours'),
    dataProtectionOfficer: {
      name: text(officer.name, 'dataProtectionOfficer.name'),
      address: address(officer.address, 'dataProtectionOfficer.address'),
      email: email(officer.email, 'dataProtectionOfficer.email'),
    },
    supervisoryAuthority: {
      name: text(authority.name, 'supervisoryAuthority.name'),
      address: address(authority.address, 'supervisoryAuthority.address'),
      phone: optional(authority.phone, 'supervisoryAuthority.phone'),
      email: authority.email === undefined ? undefined : email(authority.email, 'supervisoryAuthority.email'),
      web,
    },
    referencePrefix: prefix,
  };
}

/**
 * Checks a list read from JSON: `{ "agencies": ["county", { "id": "municipality:<AGS>", "displayName": "…" }, ...] }`
 * (an entry is an id, or an id with the name people know the agency by), and its optional `letterhead`.
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
  const letterhead =
    (raw as { letterhead?: unknown }).letterhead === undefined
      ? undefined
      : parseLetterhead((raw as { letterhead?: unknown }).letterhead, source);
  return { has: (id) => ids.has(id), ids: [...ids], displayNames, ...(letterhead ? { letterhead } : {}) };
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
