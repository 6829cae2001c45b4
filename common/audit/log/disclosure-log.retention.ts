/**
 * Retention: the one sanctioned way records leave a disclosure log, a prefix of the chain removed by the
 * database's administrator and marked by a RETENTION record from which verification resumes.
 */
import type { DataSource } from 'typeorm';
import { APPEND_LOCK, appendInTransaction, readHead } from './disclosure-log.table.js';
import { attest } from './attestation.js';
import type { LogKeyRing } from './log-keys.js';
import type { DisclosureEntry, RetentionDetail } from './record.js';

/**
 * Removes records older than `cutoff`, the documented retention operation. It runs as the database's
 * administrator (the subgraph's role may not delete), removes a prefix of the chain only, and appends a
 * RETENTION record naming the removed range and the last removed hash, from which verification resumes.
 */
export async function removeExpiredRecords(
  adminDb: DataSource,
  options: {
    cutoff: Date;
    operator: string;
    agency: string;
    policyVersion: string;
    reason: string;
    /** The subgraph's log key: the RETENTION record is attested with it, so that checkpoints go on past it. */
    keys?: LogKeyRing;
  },
): Promise<RetentionDetail | null> {
  return adminDb.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    const [bounds] = await manager.query<{ first: string | null; first_kept: string | null; last: string | null }[]>(
      `SELECT min(sequence) AS first, (SELECT min(sequence) FROM disclosure_log WHERE at >= $1) AS first_kept,
              max(sequence) AS last
       FROM disclosure_log`,
      [options.cutoff],
    );
    if (bounds.first === null) return null;
    const first = Number(bounds.first);
    const removedThrough = (bounds.first_kept === null ? Number(bounds.last) + 1 : Number(bounds.first_kept)) - 1;
    if (removedThrough < first) return null;
    const head = await readHead(manager);
    const [anchor] = await manager.query<{ hash: string }[]>('SELECT hash FROM disclosure_log WHERE sequence = $1', [
      removedThrough,
    ]);
    await manager.query(`SET LOCAL verbund.retention = 'on'`);
    const deleted = await manager.query<[unknown, number]>('DELETE FROM disclosure_log WHERE sequence <= $1', [
      removedThrough,
    ]);
    await manager.query(`SET LOCAL verbund.retention = 'off'`);
    const detail: RetentionDetail = {
      removedFrom: first,
      removedThrough,
      count: deleted[1],
      anchorHash: anchor.hash,
      cutoff: options.cutoff.toISOString(),
      reason: options.reason,
    };
    const entries: DisclosureEntry[] = [
      {
        requestId: `retention-${new Date().toISOString()}`,
        agency: options.agency,
        officer: options.operator,
        roles: [],
        purpose: 'RETENTION',
        operation: 'removeExpiredRecords',
        kind: 'RETENTION',
        personId: null,
        released: [],
        refused: [],
        basis: [],
        changes: [],
        retention: detail,
        policyVersion: options.policyVersion,
      },
    ];
    if (options.keys) await attest(manager, options.keys, entries);
    await appendInTransaction(manager, entries, head);
    return detail;
  });
}
