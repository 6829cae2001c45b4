/**
 * A witness of disclosure log checkpoints (after the transparency logs' witnesses): it accepts a log's new
 * checkpoint only when the log's signature holds and a consistency proof shows that it extends the last
 * checkpoint this witness cosigned — every record the old one covered still there, unchanged and in order —
 * and then cosigns it with its own key. A checkpoint that fails is kept as an alarm and not cosigned; the
 * witness stays on the last good one. The consent registry runs it in its process for every data subgraph;
 * any agency can run the same code as a process of its own (`npm run witness -- --log <url>`), so that no
 * single operator can rewrite a log's history unseen.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import {
  checkpointSignatureProblem,
  cosign,
  parseCheckpoint,
  type Checkpoint,
  type Cosignature,
  type CosignedCheckpoint,
} from '../proofs/checkpoint.js';
import type { Queryable } from '../log/disclosure-log.table.js';
import { publicKeyFrom, type LogKeyRing, type PublishedKey } from '../log/log-keys.js';
import { acceptKeys } from '../proofs/key-set.js';
import { REGISTRY_WITNESS } from '../proofs/receipt.js';
import { verifyConsistency } from '../proofs/merkle.js';
import { LOGGING_SUBGRAPHS, type LoggingSubgraph } from './log-client.js';
import { runEvery } from '../../schedule.js';

/** What a witness keeps per log. */
export interface WitnessStore {
  /** The last checkpoint this witness cosigned of the log. */
  last(logId: string): Promise<CosignedCheckpoint | null>;
  /** The log's keys this witness accepted beyond the pinned ones (each announced by one it trusted; never replaced). */
  keys(logId: string): Promise<PublishedKey[]>;
  addKeys(logId: string, keys: PublishedKey[]): Promise<void>;
  save(checkpoint: Checkpoint, cosignature: Cosignature): Promise<void>;
  alarm(logId: string, size: number, message: string, checkpoint: unknown): Promise<void>;
}

/** How a witness reaches a log: GET a path below the log's base URL, the parsed JSON answer back. */
export type LogReader = (path: string) => Promise<unknown>;

/** What one witnessing found. */
export type WitnessOutcome =
  | { status: 'COSIGNED'; checkpoint: CosignedCheckpoint }
  | { status: 'UNCHANGED'; checkpoint: CosignedCheckpoint | null }
  | { status: 'ALARM'; message: string };

function keyMap(keys: PublishedKey[]): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const k of keys) {
    try {
      map.set(k.keyId, publicKeyFrom(k));
    } catch {
      // a malformed published key is no key
    }
  }
  return map;
}

/** Each log's pinned keys (log id → keys), from configuration: the only keys a witness trusts without an announcement. */
export type PinnedLogKeys = Readonly<Record<string, PublishedKey[]>>;

/** Witnesses one log once; see the module comment. */
export async function witnessCheckpoint(options: {
  store: WitnessStore;
  keys: LogKeyRing;
  witness: string;
  read: LogReader;
  /**
   * The logs' keys as configured (`PINNED_LOG_KEYS_FILE`, `npm run witness -- --pinned`): a log's key counts
   * when pinned here or announced, signed by a key that counts; a log with no pinned key is not witnessed.
   */
  pinned: PinnedLogKeys;
}): Promise<WitnessOutcome> {
  const { store, read } = options;
  const published = (await read('/audit/keys')) as { logId?: unknown; keys?: PublishedKey[] };
  if (typeof published?.logId !== 'string' || !Array.isArray(published.keys))
    throw new Error('the log did not answer /audit/keys with its log id and keys');
  const logId = published.logId;
  if (`verbund:${options.witness}` === logId)
    throw new Error(`witness ${options.witness} runs ${logId} itself and does not witness its own checkpoints`);
  const pinned = options.pinned[logId] ?? [];
  if (pinned.length === 0)
    throw new Error(
      `no key of ${logId} is pinned for this witness: a log's keys are never trusted on first sight; pin the key the agency gave you`,
    );
  const known = await store.keys(logId);
  const trusted = [...pinned, ...known];
  // A rotation publishes the new key beside the retired one; a log that drops every key seen before is not trusted on its word.
  if (!published.keys.some((k) => trusted.some((o) => o.keyId === k.keyId))) {
    const message = `the log no longer publishes any key this witness saw before (${trusted.map((k) => k.keyId).join(', ')}); its new keys are not accepted`;
    await store.alarm(logId, 0, message, published.keys);
    return { status: 'ALARM', message };
  }
  const { accepted, rejected } = acceptKeys({ role: 'log', logId }, published.keys, trusted);
  const fresh = accepted.filter((k) => !trusted.some((o) => o.keyId === k.keyId));
  if (fresh.length) await store.addKeys(logId, fresh);
  const keys = keyMap(accepted);
  const last = await store.last(logId);
  const answer = (await read(last ? `/audit/checkpoint?from=${last.size}` : '/audit/checkpoint')) as {
    checkpoint?: unknown;
    consistency?: unknown;
  };
  if (!answer?.checkpoint) return { status: 'UNCHANGED', checkpoint: last };
  const raise = async (message: string, size: number): Promise<WitnessOutcome> => {
    await store.alarm(logId, size, message, answer.checkpoint);
    return { status: 'ALARM', message };
  };
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(answer.checkpoint);
  } catch (error) {
    return raise(`the log answered a malformed checkpoint: ${(error as Error).message}`, 0);
  }
  if (checkpoint.logId !== logId)
    return raise(`the checkpoint names log ${checkpoint.logId}, not ${logId}`, checkpoint.size);
  const refusedKey = rejected.find((r) => r.keyId === checkpoint.keyId);
  if (refusedKey)
    return raise(
      `checkpoint ${checkpoint.size} is signed with key ${checkpoint.keyId}, which this witness does not accept: ${refusedKey.reason}; not cosigned`,
      checkpoint.size,
    );
  const signatureProblem = checkpointSignatureProblem(checkpoint, keys);
  if (signatureProblem) return raise(signatureProblem, checkpoint.size);
  if (last) {
    if (checkpoint.size < last.size) {
      return raise(
        `checkpoint ${checkpoint.size} is smaller than checkpoint ${last.size}, cosigned at ${last.cosignatures[0]?.at}: records were cut off`,
        checkpoint.size,
      );
    }
    if (checkpoint.size === last.size) {
      if (checkpoint.root !== last.root)
        return raise(
          `checkpoint ${checkpoint.size} has root ${checkpoint.root}, not the root ${last.root} cosigned before: the log was rewritten`,
          checkpoint.size,
        );
      return { status: 'UNCHANGED', checkpoint: last };
    }
    const proof =
      Array.isArray(answer.consistency) &&
      answer.consistency.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))
        ? (answer.consistency as string[]).map((h) => Buffer.from(h, 'hex'))
        : null;
    if (
      !proof ||
      !verifyConsistency(
        last.size,
        checkpoint.size,
        Buffer.from(last.root, 'hex'),
        Buffer.from(checkpoint.root, 'hex'),
        proof,
      )
    ) {
      return raise(
        `checkpoint ${checkpoint.size} (root ${checkpoint.root}) is not consistent with checkpoint ${last.size} (root ${last.root}) cosigned before: the history up to record ${last.size} was rewritten`,
        checkpoint.size,
      );
    }
  }
  const cosignature = cosign(options.keys, options.witness, checkpoint);
  await store.save(checkpoint, cosignature);
  return { status: 'COSIGNED', checkpoint: { ...checkpoint, cosignatures: [cosignature] } };
}

/** The consent registry's witness state, in its own database (append-only for its role). */
export class DatabaseWitnessStore implements WitnessStore {
  constructor(private readonly db: Queryable) {}

  async last(logId: string): Promise<CosignedCheckpoint | null> {
    const [row] = (await this.db.query(
      'SELECT * FROM cosigned_checkpoint WHERE log_id = $1 ORDER BY size DESC LIMIT 1',
      [logId],
    )) as CosignedRow[];
    return row ? fromCosignedRow(row) : null;
  }

  /** The cosigned checkpoint of exactly `size` records, or the newest. */
  async at(logId: string, size?: number): Promise<CosignedCheckpoint | null> {
    if (size === undefined) return this.last(logId);
    const [row] = (await this.db.query('SELECT * FROM cosigned_checkpoint WHERE log_id = $1 AND size = $2', [
      logId,
      size,
    ])) as CosignedRow[];
    return row ? fromCosignedRow(row) : null;
  }

  async keys(logId: string): Promise<PublishedKey[]> {
    const rows = (await this.db.query('SELECT key_id, public_key FROM witnessed_log_key WHERE log_id = $1', [
      logId,
    ])) as { key_id: string; public_key: string }[];
    return rows.map((r) => ({ keyId: r.key_id, publicKey: r.public_key, algorithm: 'Ed25519', current: false }));
  }

  async addKeys(logId: string, keys: PublishedKey[]): Promise<void> {
    for (const k of keys) {
      await this.db.query(
        'INSERT INTO witnessed_log_key (log_id, key_id, public_key, first_seen) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING',
        [logId, k.keyId, k.publicKey],
      );
    }
  }

  async save(c: Checkpoint, s: Cosignature): Promise<void> {
    await this.db.query(
      `INSERT INTO cosigned_checkpoint (log_id, size, root, at, key_id, signature, witness, witness_key_id, cosigned_at, cosignature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [c.logId, c.size, c.root, c.at, c.keyId, c.signature, s.witness, s.keyId, s.at, s.signature],
    );
  }

  async alarm(logId: string, size: number, message: string, checkpoint: unknown): Promise<void> {
    await this.db.query(
      'INSERT INTO checkpoint_alarm (log_id, size, message, checkpoint, detected_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING',
      [logId, size, message, JSON.stringify(checkpoint ?? null)],
    );
  }

  async alarms(logId: string): Promise<{ size: number; message: string; detectedAt: Date }[]> {
    const rows = (await this.db.query(
      'SELECT size, message, detected_at FROM checkpoint_alarm WHERE log_id = $1 ORDER BY detected_at',
      [logId],
    )) as { size: string; message: string; detected_at: Date }[];
    return rows.map((r) => ({ size: Number(r.size), message: r.message, detectedAt: r.detected_at }));
  }
}

interface CosignedRow {
  log_id: string;
  size: string;
  root: string;
  at: Date;
  key_id: string;
  signature: string;
  witness: string;
  witness_key_id: string;
  cosigned_at: Date;
  cosignature: string;
}

function fromCosignedRow(r: CosignedRow): CosignedCheckpoint {
  return {
    logId: r.log_id,
    size: Number(r.size),
    root: r.root,
    at: r.at.toISOString(),
    keyId: r.key_id,
    signature: r.signature,
    cosignatures: [
      { witness: r.witness, keyId: r.witness_key_id, at: r.cosigned_at.toISOString(), signature: r.cosignature },
    ],
  };
}

interface FileState {
  logs: Record<
    string,
    {
      keys: PublishedKey[];
      cosigned: CosignedCheckpoint[];
      alarms: { size: number; message: string; detectedAt: string; checkpoint: unknown }[];
    }
  >;
}

/** A standalone witness's state in one JSON file (written whole, then renamed into place). */
export class FileWitnessStore implements WitnessStore {
  constructor(private readonly file: string) {}

  private async read(): Promise<FileState> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as FileState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { logs: {} };
      throw new Error(`cannot read the witness state ${this.file}: ${(error as Error).message}`);
    }
  }

  private async update(logId: string, change: (log: FileState['logs'][string]) => void): Promise<void> {
    const state = await this.read();
    const log = (state.logs[logId] ??= { keys: [], cosigned: [], alarms: [] });
    change(log);
    await writeFile(`${this.file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
    await rename(`${this.file}.tmp`, this.file);
  }

  async last(logId: string): Promise<CosignedCheckpoint | null> {
    return (await this.read()).logs[logId]?.cosigned.at(-1) ?? null;
  }

  async keys(logId: string): Promise<PublishedKey[]> {
    return (await this.read()).logs[logId]?.keys ?? [];
  }

  async addKeys(logId: string, keys: PublishedKey[]): Promise<void> {
    await this.update(logId, (log) => log.keys.push(...keys));
  }

  async save(checkpoint: Checkpoint, cosignature: Cosignature): Promise<void> {
    await this.update(logId(checkpoint), (log) => log.cosigned.push({ ...checkpoint, cosignatures: [cosignature] }));
  }

  async alarm(id: string, size: number, message: string, checkpoint: unknown): Promise<void> {
    await this.update(id, (log) =>
      log.alarms.push({ size, message, detectedAt: new Date().toISOString(), checkpoint }),
    );
  }
}

const logId = (c: Checkpoint) => c.logId;

export { REGISTRY_WITNESS };

/**
 * The consent registry witnesses every data subgraph's newest checkpoint; a log that does not answer is
 * reported and skipped, an alarm is reported and kept.
 */
export async function witnessLogs(
  db: Queryable,
  client: { read(subgraph: LoggingSubgraph, path: string): Promise<unknown> },
  keys: LogKeyRing,
  pinned: PinnedLogKeys,
  warn: (message: string) => void,
  subgraphs: readonly LoggingSubgraph[] = LOGGING_SUBGRAPHS,
): Promise<Map<LoggingSubgraph, WitnessOutcome>> {
  const store = new DatabaseWitnessStore(db);
  const outcomes = new Map<LoggingSubgraph, WitnessOutcome>();
  await Promise.all(
    subgraphs.map(async (subgraph) => {
      try {
        const outcome = await witnessCheckpoint({
          store,
          keys,
          witness: REGISTRY_WITNESS,
          read: (path) => client.read(subgraph, path),
          pinned,
        });
        if (outcome.status === 'ALARM') warn(`ALARM ${subgraph}'s disclosure log checkpoint: ${outcome.message}`);
        outcomes.set(subgraph, outcome);
      } catch (error) {
        warn(`checkpoint of ${subgraph}'s disclosure log not witnessed: ${(error as Error).message}`);
      }
    }),
  );
  return outcomes;
}

/** Witnesses every `intervalMs` until stopped. */
export function startCheckpointWitness(
  db: Queryable,
  client: { read(subgraph: LoggingSubgraph, path: string): Promise<unknown> },
  keys: LogKeyRing,
  pinned: PinnedLogKeys,
  intervalMs: number,
  warn: (message: string) => void,
): () => void {
  return runEvery(intervalMs, () => witnessLogs(db, client, keys, pinned, warn));
}
