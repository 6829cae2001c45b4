/**
 * What every disclosure record of a request says about who asked and what they ran, and the record of a
 * change: shared by the disclosure plugin, the mutations' change log and the consent officers' audit log.
 */
import type { AccessService } from '../../access/access.service.js';
import type { Caller } from '../../domain.js';
import type { DisclosureEntry } from './record.js';

/** The gateway names subgraph operations `<client operation>__<subgraph>__<n>`; the log keeps the client's name. */
export function clientOperationName(name: string | null | undefined): string | null {
  if (!name) return null;
  return /^(.*)__[a-z]+__\d+$/.exec(name)?.[1] ?? name;
}

/** Who asked, as every record of a request states it: request and correlation id, agency, officer, roles, purpose. */
export function callerFields(
  caller: Caller,
): Pick<DisclosureEntry, 'requestId' | 'correlationId' | 'agency' | 'officer' | 'roles' | 'purpose'> {
  return {
    requestId: caller.requestId,
    correlationId: caller.correlationId ?? null,
    agency: caller.agency.id,
    officer: caller.officer,
    roles: [...caller.roles].sort(),
    purpose: caller.purpose,
  };
}

/** The record of a change, written in the mutation's own transaction. */
export function changeEntry(options: {
  access: AccessService;
  operation: string | null;
  personId: string;
  change: { operation: string; record: string };
  policyVersion: string;
}): DisclosureEntry {
  return {
    ...callerFields(options.access.caller),
    operation: options.operation,
    kind: 'WRITE',
    personId: options.personId,
    released: [],
    refused: [],
    basis: [],
    changes: [options.change],
    retention: null,
    policyVersion: options.policyVersion,
  };
}
