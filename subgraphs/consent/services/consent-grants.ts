import type { DataSource } from 'typeorm';
import type { LookupHandler } from '../../../common/access/access-context.js';
import { MAX_SIGNED_PERSONS, signGrants } from '../../../common/audit/proofs/signed-grants.js';
import { runPrepared, type PreparedStatement } from '../../../common/db/prepared.js';
import type { Caller } from '../../../common/domain.js';
import { badUserInput } from '../../../common/errors.js';
import { lookupPersonIds } from '../../../common/validation.js';
import type { ConsentGrant } from '../entities/consent.entity.js';

/** Persons per lookup; a data subgraph asks for the persons of one fetch, at most a page of 500. */
export const MAX_LOOKUP = 1000;

// Dates are not filtered here: whether a consent is in force on the day of the request is the policy's
// decision (`consentInForce`), in the district's time zone, one rule for every subgraph and effectiveAccess.
const GRANTS: PreparedStatement = {
  name: 'verbund_consent_grants_v2',
  text: `SELECT id, version, person_id AS "personId", recipients, purposes, categories,
                to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_until, 'YYYY-MM-DD') AS "validUntil",
                withdrawn_at AS "withdrawnAt", voided_at AS "voidedAt"
           FROM consent
          WHERE person_id = ANY($1::uuid[]) AND is_current AND withdrawn_at IS NULL AND voided_at IS NULL
            AND $2 = ANY(recipients) AND $3 = ANY(purposes)`,
};

/**
 * The consents neither withdrawn nor voided for these persons that name the caller's agency and purpose:
 * nothing about other recipients or purposes. Their validity days travel as they are; the policy decides. One prepared statement; both the GraphQL query `consentGrants` and the lean
 * lookup answer from it.
 */
export async function grantsFor(db: DataSource, caller: Caller, personIds: string[]): Promise<ConsentGrant[]> {
  if (personIds.length === 0) return [];
  return runPrepared<ConsentGrant & Record<string, unknown>>(db, GRANTS, [personIds, caller.agency.id, caller.purpose]);
}

/**
 * `POST /lookup/consentGrants` with `{ "personIds": [...] }`: `{ "grants": [...] }` as `consentGrants`
 * answers, dates in ISO 8601. The data subgraphs' consent lookup (`createHttpConsentLookup`) asks here.
 * With `"signed": true` (the gateway, once per request, for at most `MAX_SIGNED_PERSONS` persons) the answer
 * also carries `statement`: the same grants signed with the registry's grant key for this request id and
 * token (`common/audit/proofs/signed-grants.ts`), which the gateway passes to every subgraph fetch of the request.
 */
export const consentGrantsLookup: LookupHandler = async (db, caller, body, request) => {
  const asked = body as { personIds?: unknown; signed?: unknown } | null;
  const personIds = lookupPersonIds(asked?.personIds, MAX_LOOKUP);
  const grants = await grantsFor(db, caller, personIds);
  if (asked?.signed !== true) return { grants };
  if (personIds.length > MAX_SIGNED_PERSONS) {
    throw badUserInput([{ field: 'personIds', message: `at most ${MAX_SIGNED_PERSONS} for a signed answer` }]);
  }
  if (!request.grantKeys) return { grants };
  return { grants, statement: signGrants(request.grantKeys, caller, request.authorization, personIds, grants) };
};
