/**
 * The checkpointer of a data subgraph's disclosure log, in the subgraph's own process (on a timer and on
 * demand): it extends the Merkle tree by the records appended since the last checkpoint, in sequence order,
 * and signs a new checkpoint over them — but only over records it can vouch for. A record is covered when
 * its content matches its hash, it follows the chain, and an attestation of its content made with the
 * process's key (which the database never holds) is there and not used by an earlier record. The first record
 * that fails stops the checkpoint before it: that record and every later one stay unverified, and the reason
 * is reported. Records from before the checkpoint migration are covered on the strength of the chain alone.
 *
 * A record this process appended itself is not read back: its log remembers the hash the process computed
 * over the content it built and the digest it attested (`OwnRecords`), and the stored hash must be that one.
 * The checkpoint then signs the hash of what the process wrote; whether the stored content still matches it
 * is what every verification checks, record by record. Under load this was most of a checkpoint's cost
 * (reading each record whole, parsing it, hashing it twice). Records of other replicas, from before a restart,
 * from a change's transaction, or from anyone else are read and checked in full, as before.
 */
import { partLogger } from '../../log.js';
import { runEvery, takingTurns } from '../../schedule.js';
import type { DataSource } from 'typeorm';
import { entryDigest, unusedAttestations } from '../log/attestation.js';
import { checkpointSignatureProblem, logIdOf, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { fromRow, type Queryable, type RecordRow } from '../log/disclosure-log.table.js';
import type { LogKeyRing } from '../log/log-keys.js';
import { Frontier, nodeHash, type Hash } from './merkle.js';
import { recordLeaf, STORED_LEVEL } from './merkle-store.js';
import { GENESIS_HASH, recordHash } from '../log/record.js';
import type { DisclosureLog, OwnRecords } from '../log/disclosure-log.repository.js';
import type { DisclosureRecord } from '../log/record.js';

/** A record without its hash: what the hash is computed over. */
function withoutHash(record: DisclosureRecord): Omit<DisclosureRecord, 'hash'> {
  const { hash: _hash, ...unhashed } = record;
  return unhashed;
}

/** Held while a checkpoint is made, so that two replicas never extend the tree at once. */
export const CHECKPOINT_LOCK = 7_366_202;
/** Records read per statement; each page's records are then handled a hundred per turn of the event loop. */
export const CHECKPOINT_PAGE = 1000;
/** A process that has appended this many records since its last checkpoint run starts the next one at once. */
export const CHECKPOINT_EVERY_RECORDS = 1000;
/**
 * How far each run's count strays from `CHECKPOINT_EVERY_RECORDS`, as a fraction of it (here 750 to 1,250
 * records). The data subgraphs of a person view append about equally many records, so equal counts made all
 * four checkpoint at the same moment; drawn afresh for each run, the counts drift apart and the runs take
 * turns on the machine instead of arriving together.
 */
export const CHECKPOINT_COUNT_SPREAD = 0.5;

/** A stored checkpoint with what the next one resumes from. */
export interface StoredCheckpoint extends Checkpoint {
  frontier: { size: number; nodes: string[] };
  /** The hash of record `size`, which record `size + 1` must point to. */
  lastHash: string;
}

/** Why a record was left out of checkpoints. */
export interface Uncovered {
  sequence: number;
  reason: string;
}

/** What a checkpoint run did. */
export interface CheckpointResult {
  /** The newest checkpoint after the run (new or unchanged); null while the log has none. */
  checkpoint: Checkpoint | null;
  /** Whether this run signed a new one. */
  signed: boolean;
  /** The first record the run could not cover, when it stopped before the head. */
  stoppedAt: Uncovered | null;
}

/** A `disclosure_checkpoint` row as pg returns it (bigint size as text, jsonb parsed). */
export interface CheckpointRow {
  size: string;
  root: string;
  at: Date;
  key_id: string;
  signature: string;
  frontier: { size: number; nodes: string[] };
  last_hash: string;
}

/** The columns that hold the signed checkpoint itself. */
export type SignedCheckpointRow = Pick<CheckpointRow, 'size' | 'root' | 'at' | 'key_id' | 'signature'>;

/** The signed checkpoint a row holds (its signature not yet checked). */
export function checkpointOfRow(row: SignedCheckpointRow, subgraph: string): Checkpoint {
  return {
    logId: logIdOf(subgraph),
    size: Number(row.size),
    root: row.root,
    at: row.at.toISOString(),
    keyId: row.key_id,
    signature: row.signature,
  };
}

function fromCheckpointRow(row: CheckpointRow, subgraph: string): StoredCheckpoint {
  return { ...checkpointOfRow(row, subgraph), frontier: row.frontier, lastHash: row.last_hash };
}

/**
 * The newest checkpoint whose signature holds under `keys` and whose frontier has its root; rows that do
 * not (inserted by someone without the key) are passed over. Null when there is none.
 */
export async function latestCheckpoint(
  db: Queryable,
  subgraph: string,
  keys: ReadonlyMap<string, import('node:crypto').KeyObject>,
): Promise<StoredCheckpoint | null> {
  const rows = (await db.query('SELECT * FROM disclosure_checkpoint ORDER BY size DESC LIMIT 20')) as CheckpointRow[];
  for (const row of rows) {
    const checkpoint = fromCheckpointRow(row, subgraph);
    if (checkpointSignatureProblem(checkpoint, keys)) continue;
    try {
      if (Frontier.fromJSON(checkpoint.frontier).root().toString('hex') === checkpoint.root) return checkpoint;
    } catch {
      // a malformed frontier: not one of ours
    }
  }
  return null;
}

/** The checkpoint of exactly `size` records, when a valid one exists. */
export async function checkpointOfSize(
  db: Queryable,
  subgraph: string,
  size: number,
  keys: ReadonlyMap<string, import('node:crypto').KeyObject>,
): Promise<StoredCheckpoint | null> {
  const [row] = (await db.query('SELECT * FROM disclosure_checkpoint WHERE size = $1', [size])) as CheckpointRow[];
  if (!row) return null;
  const checkpoint = fromCheckpointRow(row, subgraph);
  return checkpointSignatureProblem(checkpoint, keys) ? null : checkpoint;
}

/** A frontier that also reports the complete subtrees it closes (256 leaves and more), with their level and position. */
export class GrowingTree {
  readonly frontier: Frontier;
  /** Level of each frontier node, largest first, as the size's one bits. */
  private levels: number[];
  private nodes: Hash[];
  readonly closed: { level: number; position: number; hash: Hash }[] = [];

  constructor(saved: { size: number; nodes: string[] }) {
    this.frontier = Frontier.fromJSON(saved);
    this.nodes = saved.nodes.map((n) => Buffer.from(n, 'hex'));
    this.levels = [];
    for (let bit = 52; bit >= 0; bit--) if (Math.floor(saved.size / 2 ** bit) % 2 === 1) this.levels.push(bit);
  }

  append(leaf: Hash): void {
    const index = this.frontier.size;
    this.frontier.append(leaf);
    let node = leaf;
    let level = 0;
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      this.levels.pop();
      node = nodeHash(this.nodes.pop()!, node);
      level += 1;
      if (level >= STORED_LEVEL) this.closed.push({ level, position: Math.floor(index / 2 ** level), hash: node });
    }
    this.nodes.push(node);
    this.levels.push(level);
  }
}

/** Extends a log's tree and signs checkpoints; one per data subgraph process. */
export class Checkpointer {
  constructor(
    private readonly db: DataSource,
    private readonly subgraph: string,
    private readonly keys: LogKeyRing,
    private readonly warn: (message: string) => void = (message) => partLogger(subgraph).warn(message),
    /** The records this process appended itself (its log's `own`), which a checkpoint need not read back. */
    private readonly own?: Pick<OwnRecords, 'get' | 'forgetThrough'>,
  ) {}

  /** The newest valid checkpoint, without making one. */
  latest(): Promise<StoredCheckpoint | null> {
    return latestCheckpoint(this.db, this.subgraph, this.keys.publicKeys);
  }

  /**
   * Covers the records appended since the newest checkpoint and signs a new one when there are any. Another
   * replica making one at the same moment makes this run return the newest one as it finds it.
   */
  async checkpoint(): Promise<CheckpointResult> {
    const result = await this.coverAndSign();
    // Forgotten only once the checkpoint is committed: a run that fails leaves them to the next one.
    if (result.signed && result.checkpoint) this.own?.forgetThrough(result.checkpoint.size);
    return result;
  }

  private coverAndSign(): Promise<CheckpointResult> {
    return this.db.transaction(async (transaction) => {
      const manager: Queryable = transaction;
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        CHECKPOINT_LOCK,
      ])) as { locked: boolean }[];
      const previous = await latestCheckpoint(manager, this.subgraph, this.keys.publicKeys);
      // What a checkpoint covers (another replica's too) need not be remembered any longer.
      if (previous) this.own?.forgetThrough(previous.size);
      if (!locked) return { checkpoint: previous, signed: false, stoppedAt: null };
      const [origin] = (await manager.query('SELECT legacy_through FROM checkpoint_origin')) as {
        legacy_through: string;
      }[];
      const legacyThrough = Number(origin?.legacy_through ?? 0);
      const tree = new GrowingTree(previous?.frontier ?? { size: 0, nodes: [] });
      let lastHash = previous?.lastHash ?? GENESIS_HASH;
      let stoppedAt: Uncovered | null = null;
      const uses: { sequence: number; digest: string }[] = [];
      // Attestations this run has given to records of earlier pages: not yet stored as used (that happens after
      // the last page), so each page's count from the database is reduced by them. Otherwise a copy of a record a
      // page later would find the original's attestation unused and be covered.
      const claimed = new Map<string, number>();
      pages: for (;;) {
        // Each page's place in the chain first; the content only of records this process cannot vouch for
        // from memory (appended by another replica, before a restart, within a change's transaction, or not
        // by the process at all).
        const heads = (await manager.query(
          'SELECT sequence, previous_hash, hash FROM disclosure_log WHERE sequence > $1 ORDER BY sequence LIMIT $2',
          [tree.frontier.size, CHECKPOINT_PAGE],
        )) as Pick<RecordRow, 'sequence' | 'previous_hash' | 'hash'>[];
        if (heads.length === 0) break;
        const own = heads.map((row) => {
          const known = this.own?.get(Number(row.sequence));
          return known?.hash === row.hash ? known : undefined;
        });
        const unknown = heads.filter((_, i) => !own[i]).map((row) => row.sequence);
        const read = new Map<string, DisclosureRecord>();
        if (unknown.length > 0) {
          const rows = (await manager.query(
            'SELECT * FROM disclosure_log WHERE sequence = ANY($1::bigint[]) ORDER BY sequence',
            [unknown],
          )) as RecordRow[];
          for (const row of rows) read.set(row.sequence, fromRow(row));
        }
        const digests: string[] = [];
        for await (const [i, row] of takingTurns(heads.entries())) {
          const record = read.get(row.sequence);
          digests.push(own[i]?.digest ?? (record ? entryDigest(record) : ''));
        }
        const available = await unusedAttestations(manager, this.keys, [
          ...new Set(digests.filter((digest, i) => digest && Number(heads[i].sequence) > legacyThrough)),
        ]);
        for (const [digest, left] of available) available.set(digest, left - (claimed.get(digest) ?? 0));
        for await (const [i, row] of takingTurns(heads.entries())) {
          const sequence = Number(row.sequence);
          const expected = tree.frontier.size + 1;
          const record = read.get(row.sequence);
          let reason: string | undefined;
          if (sequence !== expected) reason = `record ${expected} is missing`;
          else if (row.previous_hash !== lastHash)
            reason = `record ${sequence} does not follow record ${sequence - 1} in the chain`;
          else if (!own[i] && !record) reason = `record ${sequence} is missing`;
          else if (record && recordHash(withoutHash(record)) !== row.hash)
            reason = `record ${sequence}'s content does not match its hash`;
          else if (sequence > legacyThrough) {
            const left = available.get(digests[i]) ?? 0;
            if (left <= 0)
              reason = `record ${sequence} carries no attestation of the ${this.subgraph} subgraph's process: it was not appended by the process (forged, or written around it)`;
            else available.set(digests[i], left - 1);
          }
          if (reason) {
            stoppedAt = { sequence: Math.min(sequence, expected), reason };
            break pages;
          }
          if (sequence > legacyThrough) {
            uses.push({ sequence, digest: digests[i] });
            claimed.set(digests[i], (claimed.get(digests[i]) ?? 0) + 1);
          }
          tree.append(recordLeaf(row.hash));
          lastHash = row.hash;
        }
        if (heads.length < CHECKPOINT_PAGE) break;
      }
      if (stoppedAt)
        this.warn(`disclosure log not checkpointed beyond record ${tree.frontier.size}: ${stoppedAt.reason}`);
      if (previous && tree.frontier.size === previous.size) return { checkpoint: previous, signed: false, stoppedAt };
      if (!previous && tree.frontier.size === 0) return { checkpoint: null, signed: false, stoppedAt };
      for (let start = 0; start < uses.length; start += 10_000) {
        const chunk = uses.slice(start, start + 10_000);
        await manager.query(
          'INSERT INTO disclosure_attestation_use (sequence, digest) SELECT * FROM unnest($1::bigint[], $2::text[])',
          [chunk.map((u) => u.sequence), chunk.map((u) => u.digest)],
        );
      }
      if (tree.closed.length > 0) {
        await manager.query(
          'INSERT INTO merkle_node (level, position, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
          [tree.closed.map((n) => n.level), tree.closed.map((n) => n.position), tree.closed.map((n) => n.hash)],
        );
      }
      const checkpoint = signCheckpoint(
        this.keys,
        logIdOf(this.subgraph),
        tree.frontier.size,
        tree.frontier.root().toString('hex'),
      );
      await manager.query(
        'INSERT INTO disclosure_checkpoint (size, root, at, key_id, signature, frontier, last_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          checkpoint.size,
          checkpoint.root,
          checkpoint.at,
          checkpoint.keyId,
          checkpoint.signature,
          JSON.stringify(tree.frontier.toJSON()),
          lastHash,
        ],
      );
      return { checkpoint, signed: true, stoppedAt };
    });
  }

  /**
   * Checkpoints every `intervalMs`, and, given the process's `log`, as soon as it has appended about
   * `everyRecords` records since the last run began (each run's count drawn anew between 1 − `spread`/2 and
   * 1 + `spread`/2 times it), until stopped. Runs never overlap; a failed one is reported and retried at the
   * next tick. Under load the work comes in slices of about `everyRecords` records instead of one large one per
   * interval, which took the subgraph (and a machine it shares) hundreds of milliseconds of CPU at once.
   */
  start(
    intervalMs: number,
    log?: Pick<DisclosureLog, 'onAppended'>,
    everyRecords = CHECKPOINT_EVERY_RECORDS,
    spread = CHECKPOINT_COUNT_SPREAD,
    random: () => number = Math.random,
  ): () => void {
    let running = false;
    let pending = 0;
    const count = () => Math.max(1, Math.round(everyRecords * (1 - spread / 2 + spread * random())));
    let due = count();
    const run = () => {
      if (running) return;
      running = true;
      pending = 0;
      due = count();
      this.checkpoint()
        .catch((error: unknown) => this.warn(`checkpoint failed: ${(error as Error).message}`))
        .finally(() => (running = false));
    };
    const stopTimer = runEvery(intervalMs, async () => run());
    const stopCounting = log?.onAppended((records) => {
      pending += records;
      if (pending >= due) run();
    });
    return () => {
      stopTimer();
      stopCounting?.();
    };
  }
}
