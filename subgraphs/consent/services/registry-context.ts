/**
 * What only the consent registry's context has, for the services that read and verify the disclosure logs:
 * each fails loudly when the subgraph was started without it.
 */
import type { AuditRead, OfficerAuditLog } from '../../../common/audit/log/officer-audit.js';
import type { LogKeyRing } from '../../../common/audit/log/log-keys.js';
import type { PinnedLogKeys } from '../../../common/audit/witness/checkpoint-witness.js';
import type { DisclosureLogClient } from '../../../common/audit/witness/log-client.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';

/** The data subgraphs' disclosure logs, read on the officer's behalf. */
export function logClient(ctx: SubgraphContext): DisclosureLogClient {
  if (!ctx.logs) throw new Error("The consent subgraph was started without the data subgraphs' addresses");
  return ctx.logs;
}

/** The registry's own log of consent officers' reads. */
export function officerAuditLog(ctx: SubgraphContext): OfficerAuditLog {
  if (!ctx.auditLog) throw new Error('The consent subgraph was started without its officer audit log');
  return ctx.auditLog;
}

/** The registry's witness key, with which it cosigns the data subgraphs' checkpoints. */
export function witnessKeys(ctx: SubgraphContext): LogKeyRing {
  if (!ctx.witnessKeys) throw new Error('The consent subgraph was started without its witness key');
  return ctx.witnessKeys;
}

/** Each data subgraph's log keys as configured: the registry's witness trusts no other key unannounced. */
export function pinnedLogKeys(ctx: SubgraphContext): PinnedLogKeys {
  if (!ctx.pinnedLogKeys)
    throw new Error("The consent subgraph was started without the data subgraphs' pinned log keys");
  return ctx.pinnedLogKeys;
}

/** No record, no data: an officer's read is committed to the registry's own log before its answer is returned. */
export function recordOfficerRead(ctx: SubgraphContext, read: AuditRead): Promise<void> {
  return officerAuditLog(ctx).record(ctx.caller, read);
}
