import type { Caller } from '../domain.js';
import { forbidden } from '../errors.js';

/**
 * Indicators are read by analysts for purpose MONITORING, and by no one else; analysts in turn read no
 * person-level field (the policy's role gate). Throws FORBIDDEN otherwise.
 */
export function requireMonitoring(caller: Caller): void {
  if (!caller.roles.includes('ANALYST')) throw forbidden('Indicators are read by analysts only (role ANALYST)');
  if (caller.purpose !== 'MONITORING') {
    throw forbidden(`Indicators are read for purpose MONITORING only, not ${caller.purpose}`);
  }
}

/**
 * A caller who is only an analyst learns nothing about a person, not even whether one is registered: for
 * lookups that would answer that (the county's `person` query and its Person entities). Throws FORBIDDEN.
 */
export function refuseAnalystOnly(caller: Caller): void {
  if (caller.roles.every((role) => role === 'ANALYST')) {
    throw forbidden('Analysts read aggregated indicators only, never person-level data');
  }
}
