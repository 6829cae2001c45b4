/**
 * Verification of a data subgraph's disclosure log against its signed checkpoints, resumed from the last
 * checkpoint the verifier (the consent registry) verified: it walks only the records appended since, so a
 * day's verification costs that day's records. Every record walked is checked as the chain verification
 * checks it, and the tree over them must reach each newer checkpoint's signed root. Records after the
 * newest checkpoint are unverified: those the process attested are pending (the next checkpoint covers
 * them); any other is reported as not covered by a signed checkpoint — a record the process never wrote.
 */
import { entryDigest, unusedAttestations } from '../log/attestation.js';
import { checkpointSignatureProblem, logIdOf, type Checkpoint } from './checkpoint.js';
import { checkpointOfSize, type StoredCheckpoint } from './checkpointer.js';
import { fromRow, type Queryable, type RecordRow } from '../log/disclosure-log.table.js';
import {
  verifyChain,
  type ChainProblem,
  type ChainVerification,
  type WitnessedHead,
} from '../log/disclosure-log.verification.js';
import type { LogKeyRing } from '../log/log-keys.js';
import { Frontier } from './merkle.js';
import { recordLeaf } from './merkle-store.js';
import type { DisclosureRecord } from '../log/record.js';

/** A checkpoint the verifier verified before: verification resumes there. */
export interface VerifiedPoint {
  size: number;
  root: string;
}

/** The chain verification of the walked range, with what the checkpoints say. */
export interface CheckpointedVerification extends ChainVerification {
  /** The newest checkpoint with a valid signature, null while there is none. */
  checkpoint: Checkpoint | null;
  /** Its number among the log's checkpoints (1 for the first). */
  checkpointNumber: number;
  /** The size verification resumed from (0: from the start). */
  verifiedFrom: number;
  /** Records after the newest checkpoint that the process attested: the next checkpoint covers them. */
  pending: number;
}

interface CheckpointRow {
  size: string;
  root: string;
  at: Date;
  key_id: string;
  signature: string;
}

/** Verifies the log from `from` (a checkpoint verified before) on; see the module comment. */
export async function verifyCheckpointed(
  db: Queryable,
  subgraph: string,
  keys: LogKeyRing,
  options: { from?: VerifiedPoint; witnessed?: WitnessedHead; retentionDays?: number },
): Promise<CheckpointedVerification> {
  const problems: ChainProblem[] = [];
  let start: StoredCheckpoint | null = null;
  if (options.from && options.from.size > 0) {
    start = await checkpointOfSize(db, subgraph, options.from.size, keys.publicKeys);
    if (!start || start.root !== options.from.root) {
      problems.push({
        kind: 'ALTERED',
        sequence: options.from.size,
        message: `the checkpoint of ${options.from.size} records verified before (root ${options.from.root}) is ${start ? 'changed' : 'gone'}; the log was verified again from its start`,
      });
      start = null;
    }
  }
  const rows = (await db.query(
    'SELECT size, root, at, key_id, signature FROM disclosure_checkpoint WHERE size > $1 ORDER BY size',
    [start?.size ?? 0],
  )) as CheckpointRow[];
  const checkpoints: Checkpoint[] = [];
  for (const row of rows) {
    const checkpoint: Checkpoint = {
      logId: logIdOf(subgraph),
      size: Number(row.size),
      root: row.root,
      at: row.at.toISOString(),
      keyId: row.key_id,
      signature: row.signature,
    };
    const problem = checkpointSignatureProblem(checkpoint, keys.publicKeys);
    if (problem)
      problems.push({
        kind: 'NOT_COVERED',
        sequence: checkpoint.size,
        message: `${problem}: not made by the log's process, ignored`,
      });
    else checkpoints.push(checkpoint);
  }
  const newest = checkpoints[checkpoints.length - 1] ?? start;
  const frontier = start ? Frontier.fromJSON(start.frontier) : Frontier.empty();
  let next = 0;
  let treeBroken = false;
  let treeGap = false;
  const after: DisclosureRecord[] = [];
  const chain = await verifyChain(db, options.witnessed, options.retentionDays, {
    start: start ? { sequence: start.size, hash: start.lastHash } : undefined,
    visit: (record) => {
      if (newest && record.sequence > newest.size) after.push(record);
      if (treeBroken || next >= checkpoints.length) return;
      if (record.sequence !== frontier.size + 1) {
        // Records removed by retention before the first one walked: the chain verification judges the removal;
        // the tree over them cannot be rebuilt from here (a resumed verification starts after them).
        if (frontier.size > 0) treeGap = true;
        treeBroken = true;
        return;
      }
      frontier.append(recordLeaf(record.hash));
      const checkpoint = checkpoints[next];
      if (frontier.size === checkpoint.size) {
        next += 1;
        if (frontier.root().toString('hex') !== checkpoint.root) {
          problems.push({
            kind: 'ALTERED',
            sequence: checkpoint.size,
            message: `records up to ${checkpoint.size} no longer have the root that checkpoint ${checkpoint.size} signed at ${checkpoint.at}: the log was rewritten`,
          });
        }
      }
    },
  });
  if (newest && newest.size > chain.lastSequence) {
    problems.push({
      kind: 'TRUNCATED',
      sequence: chain.lastSequence + 1,
      message: `records after ${chain.lastSequence} were cut off: checkpoint ${newest.size} signed ${newest.size} records at ${newest.at}`,
    });
  } else if (treeGap && !chain.problems.length) {
    problems.push({
      kind: 'REMOVED',
      sequence: frontier.size + 1,
      message: `record ${frontier.size + 1}, covered by a checkpoint, is missing`,
    });
  }
  // Without any checkpoint every record is after "the newest".
  if (!newest) after.push(...(await recordsAfter(db, 0)));
  const pending = await classifyUncovered(db, keys, after, problems);
  const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM disclosure_checkpoint WHERE size <= $1', [
    newest?.size ?? 0,
  ])) as { n: number }[];
  const all = [...chain.problems, ...problems].slice(0, 100);
  return {
    ...chain,
    intact: all.length === 0,
    problems: all,
    checkpoint: newest && {
      logId: newest.logId,
      size: newest.size,
      root: newest.root,
      at: newest.at,
      keyId: newest.keyId,
      signature: newest.signature,
    },
    checkpointNumber: n,
    verifiedFrom: start?.size ?? 0,
    pending,
  };
}

async function recordsAfter(db: Queryable, size: number): Promise<DisclosureRecord[]> {
  const rows = (await db.query('SELECT * FROM disclosure_log WHERE sequence > $1 ORDER BY sequence LIMIT 100000', [
    size,
  ])) as RecordRow[];
  return rows.map(fromRow);
}

/**
 * Sorts records no checkpoint covers: attested by the process (pending; counted) or not (reported, each by
 * sequence). An attestation vouches for one record only, so a copy of an attested record is reported too.
 */
async function classifyUncovered(
  db: Queryable,
  keys: LogKeyRing,
  records: DisclosureRecord[],
  problems: ChainProblem[],
): Promise<number> {
  if (records.length === 0) return 0;
  const [origin] = (await db.query('SELECT legacy_through FROM checkpoint_origin')) as { legacy_through: string }[];
  const legacyThrough = Number(origin?.legacy_through ?? 0);
  const digests = records.map(entryDigest);
  const unique = [...new Set(digests)];
  const available = await unusedAttestations(db, keys, unique);
  let pending = 0;
  for (const [i, record] of records.entries()) {
    const left = available.get(digests[i]) ?? 0;
    if (record.sequence <= legacyThrough || left > 0) {
      pending += 1;
      available.set(digests[i], left - 1);
    } else {
      problems.push({
        kind: 'NOT_COVERED',
        sequence: record.sequence,
        message: `record ${record.sequence} is not covered by a signed checkpoint and carries no attestation of the log's process: it was not written by the subgraph (forged, or inserted around it)`,
      });
    }
  }
  return pending;
}
