import type { LookupHandler } from '../../../common/access/access-context.js';
import { runPrepared, type PreparedStatement } from '../../../common/db/prepared.js';
import type { Caller } from '../../../common/domain.js';
import { lookupPersonIds } from '../../../common/validation.js';

/** The most ids one register check may name, by either path. */
export const MAX_REGISTRATIONS = 100;

const REGISTERED: PreparedStatement = {
  name: 'verbund_county_registered_v1',
  text: `SELECT id, assigned_municipality_ags AS ags FROM person WHERE id = ANY($1::uuid[])`,
};

/**
 * `POST /lookup/registrations` with `{ "personIds": [...] }`: `{ "registrations": [{ id, assignedToCaller }] }`
 * for the ids the county issued, as the GraphQL query `registrations` answers them. Every partner's write
 * asks it (`createHttpRegistryLookup`). It answers only what a write needs (the id was issued; the person is
 * assigned to the caller), which is not a gated field and is not logged, on either path; the date of birth,
 * a gated field that is decided and logged, is asked through GraphQL only.
 */
export const registrationsLookup: LookupHandler = async (db, caller, body) => {
  const ids = lookupPersonIds((body as { personIds?: unknown } | null)?.personIds, MAX_REGISTRATIONS);
  if (ids.length === 0) return { registrations: [] };
  const rows = await runPrepared<{ id: string; ags: string | null }>(db, REGISTERED, [ids]);
  return { registrations: rows.map((row) => ({ id: row.id, assignedToCaller: assignedToCaller(caller, row.ags) })) };
};

/** Whether the county assigned a person (to municipality `ags`) to the caller's own municipality. */
export function assignedToCaller(caller: Caller, ags: string | null): boolean {
  return caller.agency.kind === 'municipality' && ags !== null && ags === caller.agency.ags;
}
