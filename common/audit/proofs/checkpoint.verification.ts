/**
 * Verification of a data subgraph's disclosure log against its signed checkpoints, resumed from the last
 * checkpoint the verifier (the consent registry) verified: it walks only the records appended since, so a
 * day's verification costs that day's records. Every record walked is checked as the chain verification
 * checks it, and the tree over them must reach each newer checkpoint's signed root. Records after the
 * newest checkpoint are unverified: those the process attested are pending (the next checkpoint covers
 * them); any other is reported as not covered by a signed checkpoint — a record the process never wrote.
 */
import { entryDigest, unusedAttestations } from '../log/attestation.js';
import { checkpointSignatureProblem, type Checkpoint } from './checkpoint.js';
import { checkpointOfRow, checkpointOfSize, type SignedCheckpointRow, type StoredCheckpoint } from './checkpointer.js';
import { fromRow, type Queryable, type RecordRow } from '../log/disclosure-log.table.js';
import {
  verifyChain,
  type ChainProblem,
  type ChainVerification,
  type WitnessedHead,
} from '../log/disclosure-log.verification.js';
import type { LogKeyRing } from '../log/log-keys.js';
import { takingTurns } from '../../schedule.js';
import { Frontier } from './merkle.js';
import { recordLeaf } from './merkle-store.js';
import { GENESIS_HASH, recordHash, type DisclosureRecord } from '../log/record.js';

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
  )) as SignedCheckpointRow[];
  const checkpoints: Checkpoint[] = [];
  for await (const row of takingTurns(rows)) {
    const checkpoint = checkpointOfRow(row, subgraph);
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
  const records: DisclosureRecord[] = [];
  for await (const row of takingTurns(rows)) records.push(fromRow(row));
  return records;
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
  const digests: string[] = [];
  for await (const record of takingTurns(records)) digests.push(entryDigest(record));
  const unique = [...new Set(digests)];
  const available = await unusedAttestations(db, keys, unique);
  let pending = 0;
  for await (const [i, record] of takingTurns(records.entries())) {
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

/** What re-reading a stretch of older records found. */
export interface SliceVerification {
  /** The first and last record re-read (0 and 0 when none could be). */
  from: number;
  through: number;
  /** Records re-read. */
  records: number;
  intact: boolean;
  problems: ChainProblem[];
}

/**
 * Re-reads the records after checkpoint `from` (the start without one) up to checkpoint `until`, both
 * verified before: each record's content against its hash, the chain between them, and the tree over them
 * against `until`'s signed root — so a record altered, re-hashed or deleted below a verified checkpoint is
 * found here, not only by a walk from the start. A start checkpoint's frontier is taken only when it gives
 * the checkpoint's signed root; after records were removed by retention, a walk from the start begins at the
 * first signed checkpoint past them.
 */
export async function verifySlice(
  db: Queryable,
  subgraph: string,
  keys: LogKeyRing,
  range: { from?: VerifiedPoint; until: VerifiedPoint },
): Promise<SliceVerification> {
  const problems: ChainProblem[] = [];
  const none = (problem: ChainProblem): SliceVerification => ({
    from: 0,
    through: 0,
    records: 0,
    intact: false,
    problems: [problem],
  });
  const end = await checkpointOfSize(db, subgraph, range.until.size, keys.publicKeys);
  if (!end || end.root !== range.until.root) {
    return none({
      kind: 'ALTERED',
      sequence: range.until.size,
      message: `checkpoint ${range.until.size} (root ${range.until.root}), verified and cosigned before, is ${end ? 'changed' : 'gone'} in the log`,
    });
  }
  let start: StoredCheckpoint | null = null;
  if (range.from && range.from.size > 0) {
    start = await checkpointOfSize(db, subgraph, range.from.size, keys.publicKeys);
    if (!start || start.root !== range.from.root) {
      return none({
        kind: 'ALTERED',
        sequence: range.from.size,
        message: `checkpoint ${range.from.size} (root ${range.from.root}), verified and cosigned before, is ${start ? 'changed' : 'gone'} in the log`,
      });
    }
  } else {
    const [first] = (await db.query('SELECT min(sequence) AS first FROM disclosure_log')) as { first: string | null }[];
    const removedThrough = Number(first?.first ?? 1) - 1;
    const retained = removedThrough > 0 && (await removedByRetention(db, removedThrough));
    if (retained) {
      // The tree over removed records cannot be rebuilt: begin at the first signed checkpoint past them.
      const rows = (await db.query(
        'SELECT size FROM disclosure_checkpoint WHERE size >= $1 AND size < $2 ORDER BY size LIMIT 20',
        [removedThrough, range.until.size],
      )) as { size: string }[];
      for (const row of rows) {
        const candidate = await checkpointOfSize(db, subgraph, Number(row.size), keys.publicKeys);
        if (candidate && frontierHolds(candidate)) {
          start = candidate;
          break;
        }
      }
      if (!start) return { from: 0, through: 0, records: 0, intact: true, problems: [] };
    }
  }
  if (start && !frontierHolds(start)) {
    return none({
      kind: 'ALTERED',
      sequence: start.size,
      message: `the tree saved with checkpoint ${start.size} no longer gives its signed root`,
    });
  }
  const frontier = start ? Frontier.fromJSON(start.frontier) : Frontier.empty();
  let expected = (start?.size ?? 0) + 1;
  let previousHash = start ? start.lastHash : GENESIS_HASH;
  let records = 0;
  const report = (problem: ChainProblem) => {
    if (problems.length < 100) problems.push(problem);
  };
  for (;;) {
    const rows = (await db.query(
      'SELECT * FROM disclosure_log WHERE sequence >= $1 AND sequence <= $2 ORDER BY sequence LIMIT 5000',
      [expected, range.until.size],
    )) as RecordRow[];
    if (rows.length === 0) break;
    for await (const row of takingTurns(rows)) {
      const record = fromRow(row);
      records += 1;
      if (record.sequence > expected) {
        const [a, b] = [expected, record.sequence - 1];
        report({
          kind: 'REMOVED',
          sequence: a,
          message: `${a === b ? `record ${a} was` : `records ${a} to ${b} were`} removed below checkpoint ${end.size}`,
        });
        // Without the removed leaves the tree cannot reach the root; the root check below names that too.
        for (let s = a; s <= b; s++) frontier.append(Buffer.alloc(32));
      } else if (record.previousHash !== previousHash) {
        report({
          kind: 'ALTERED',
          sequence: record.sequence - 1,
          message: `record ${record.sequence} does not follow record ${record.sequence - 1}: record ${record.sequence - 1} was altered or replaced below checkpoint ${end.size}`,
        });
      }
      const { hash, ...unhashed } = record;
      if (recordHash(unhashed) !== hash) {
        report({
          kind: 'ALTERED',
          sequence: record.sequence,
          message: `record ${record.sequence} was altered: its content no longer matches its hash (below checkpoint ${end.size})`,
        });
      }
      frontier.append(recordLeaf(hash));
      previousHash = hash;
      expected = record.sequence + 1;
    }
  }
  if (expected <= range.until.size) {
    report({
      kind: 'REMOVED',
      sequence: expected,
      message: `records ${expected} to ${range.until.size}, covered by checkpoint ${end.size}, are missing`,
    });
  } else if (problems.length === 0 && frontier.root().toString('hex') !== end.root) {
    // Records rewritten with fresh hashes and a chain to match: only the signed root shows it.
    report({
      kind: 'ALTERED',
      sequence: end.size,
      message: `records ${(start?.size ?? 0) + 1} to ${end.size} no longer have the root that checkpoint ${end.size} signed at ${end.at}: a record there was rewritten`,
    });
  }
  return {
    from: (start?.size ?? 0) + 1,
    through: end.size,
    records,
    intact: problems.length === 0,
    problems,
  };
}

function frontierHolds(checkpoint: StoredCheckpoint): boolean {
  try {
    return Frontier.fromJSON(checkpoint.frontier).root().toString('hex') === checkpoint.root;
  } catch {
    return false;
  }
}

/** Whether a RETENTION record accounts for the removal of records 1 to `through`. */
async function removedByRetention(db: Queryable, through: number): Promise<boolean> {
  const rows = (await db.query(`SELECT * FROM disclosure_log WHERE kind = 'RETENTION'`)) as RecordRow[];
  return rows.map(fromRow).some((r) => (r.retention?.removedThrough ?? 0) >= through);
}
