import type { AgencyKind, Caller } from '../domain.js';
import { forbidden } from '../errors.js';

/**
 * An agency writes only its own records, as a caseworker, for a casework purpose. Consent never grants a
 * write. Throws FORBIDDEN otherwise.
 */
export function requireOwnCasework(caller: Caller, owner: AgencyKind): void {
  if (caller.agency.kind !== owner) {
    throw forbidden(`Only the ${owner} writes these records; ${caller.agency.id} may not`);
  }
  if (!caller.roles.includes('CASEWORKER')) throw forbidden('Only caseworkers write case records');
  if (caller.purpose === 'MONITORING' || caller.purpose === 'CONSENT_MANAGEMENT') {
    throw forbidden(`Case records are neither read nor written for purpose ${caller.purpose}`);
  }
}
