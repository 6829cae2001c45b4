import type { LookupHandler } from '../../../common/access/access-context.js';
import { runPrepared, type PreparedStatement } from '../../../common/db/prepared.js';
import type { Caller } from '../../../common/domain.js';
import { badUserInput } from '../../../common/errors.js';
import { isUuid } from '../../../common/validation.js';

/** The most ids one register check may name, by either path. */
export const MAX_REGISTRATIONS = 100;

/**
 * The person ids of a register check: a list of at most `MAX_REGISTRATIONS` strings, of which only UUIDs can
 * name a person (others match nothing and are dropped). Throws BAD_USER_INPUT for anything else.
 */
export function registrationIds(personIds: unknown): string[] {
  if (!Array.isArray(personIds) || !personIds.every((id) => typeof id === 'string')) {
    throw badUserInput([{ field: 'personIds', message: 'must be a list of person ids' }]);
  }
  if (personIds.length > MAX_REGISTRATIONS) {
    throw badUserInput([{ field: 'personIds', message: `at most ${MAX_REGISTRATIONS}` }]);
  }
  return personIds.filter(isUuid).map((id) => id.toLowerCase());
}

const REGISTERED: PreparedStatement = {
  name: 'verbund_county_registered_v1',
  text: `SELECT id, assigned_municipality_ags AS ags FROM person WHERE id = ANY($1::uuid[])`,
};

/**
 * `POST /lookup/registrations` with `{ "personIds": [...] }`: `{ "registrations": [{ id, assignedToCaller }] }`
 * for the ids the county issued, as the GraphQL query `registrations` answers them. Every partner's write
 * asks it (`createHttpRegistryLookup`). It answers nothing personal, so nothing is decided or logged, as on
 * the GraphQL path; the date of birth, which is decided and logged, is asked through GraphQL only.
 */
export const registrationsLookup: LookupHandler = async (db, caller, body) => {
  const ids = registrationIds((body as { personIds?: unknown } | null)?.personIds);
  if (ids.length === 0) return { registrations: [] };
  const rows = await runPrepared<{ id: string; ags: string | null }>(db, REGISTERED, [ids]);
  return { registrations: rows.map((row) => ({ id: row.id, assignedToCaller: assignedToCaller(caller, row.ags) })) };
};

/** Whether the county assigned a person (to municipality `ags`) to the caller's own municipality. */
export function assignedToCaller(caller: Caller, ags: string | null): boolean {
  return caller.agency.kind === 'municipality' && ags !== null && ags === caller.agency.ags;
}
