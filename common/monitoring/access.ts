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
