import type { KeyObject } from 'node:crypto';
import { verifySignature, type LogKeyRing } from '../log/log-keys.js';

/**
 * A signed checkpoint of a disclosure log: the size and RFC 9162 Merkle root of its first `size` records at
 * a time, signed by the log's process. The signed text is a few lines (after the transparency logs' signed
 * notes), so that anyone can check it with nothing but the public key.
 */
export interface Checkpoint {
  /** Which log: `verbund:<subgraph>`. */
  logId: string;
  size: number;
  /** The Merkle root over the first `size` record hashes, hex. */
  root: string;
  /** When it was signed, ISO 8601. */
  at: string;
  keyId: string;
  /** Ed25519 over `checkpointBody`, base64. */
  signature: string;
}

/** A witness's countersignature: it saw this checkpoint and that it extends every one it cosigned before. */
export interface Cosignature {
  /** The witness's name, e.g. `consent` for the consent registry. */
  witness: string;
  keyId: string;
  /** When it cosigned, ISO 8601. */
  at: string;
  /** Ed25519 over `cosignatureBody`, base64. */
  signature: string;
}

/** A checkpoint with the cosignatures it has. */
export interface CosignedCheckpoint extends Checkpoint {
  cosignatures: Cosignature[];
}

export const logIdOf = (subgraph: string) => `verbund:${subgraph}`;

/** The exact text a log signs. */
export function checkpointBody(c: Pick<Checkpoint, 'logId' | 'size' | 'root' | 'at'>): string {
  return `verbund-checkpoint-v1\n${c.logId}\n${c.size}\n${c.root}\n${c.at}\n`;
}

/** The exact text a witness signs: its name and time, then the checkpoint's own body. */
export function cosignatureBody(
  c: Pick<Checkpoint, 'logId' | 'size' | 'root' | 'at'>,
  witness: string,
  at: string,
): string {
  return `verbund-cosignature-v1\n${witness}\n${at}\n${checkpointBody(c)}`;
}

/** Signs a checkpoint of `size` records with `root` now. */
export function signCheckpoint(
  keys: LogKeyRing,
  logId: string,
  size: number,
  root: string,
  at = new Date(),
): Checkpoint {
  const unsigned = { logId, size, root, at: at.toISOString() };
  return { ...unsigned, keyId: keys.keyId, signature: keys.sign(checkpointBody(unsigned)) };
}

/** Cosigns a checkpoint as `witness`. */
export function cosign(keys: LogKeyRing, witness: string, checkpoint: Checkpoint, at = new Date()): Cosignature {
  const time = at.toISOString();
  return { witness, keyId: keys.keyId, at: time, signature: keys.sign(cosignatureBody(checkpoint, witness, time)) };
}

/** Why a checkpoint's signature does not hold, or undefined when it does. */
export function checkpointSignatureProblem(
  checkpoint: Checkpoint,
  keys: ReadonlyMap<string, KeyObject>,
): string | undefined {
  const key = keys.get(checkpoint.keyId);
  if (!key)
    return `checkpoint ${checkpoint.size} of ${checkpoint.logId} is signed with key ${checkpoint.keyId}, which is not among the log's public keys`;
  if (!verifySignature(key, checkpointBody(checkpoint), checkpoint.signature)) {
    return `checkpoint ${checkpoint.size} of ${checkpoint.logId} does not carry a valid signature of key ${checkpoint.keyId}`;
  }
  return undefined;
}

/** Why a cosignature does not hold, or undefined when it does. */
export function cosignatureProblem(
  checkpoint: Checkpoint,
  cosignature: Cosignature,
  keys: ReadonlyMap<string, KeyObject>,
): string | undefined {
  const key = keys.get(cosignature.keyId);
  if (!key)
    return `the cosignature of witness ${cosignature.witness} uses key ${cosignature.keyId}, which is not among the witness keys`;
  if (!verifySignature(key, cosignatureBody(checkpoint, cosignature.witness, cosignature.at), cosignature.signature)) {
    return `the cosignature of witness ${cosignature.witness} on checkpoint ${checkpoint.size} of ${checkpoint.logId} is not valid`;
  }
  return undefined;
}

/** Reads a checkpoint sent as JSON; throws naming the bad field. */
export function parseCheckpoint(value: unknown): Checkpoint {
  if (value === null || typeof value !== 'object') throw new Error('a checkpoint must be a JSON object');
  const c = value as Record<string, unknown>;
  const str = (name: string, pattern: RegExp) => {
    if (typeof c[name] !== 'string' || !pattern.test(c[name]))
      throw new Error(`checkpoint.${name} is missing or malformed`);
    return c[name];
  };
  if (typeof c.size !== 'number' || !Number.isSafeInteger(c.size) || c.size < 0)
    throw new Error('checkpoint.size must be a whole number');
  return {
    logId: str('logId', /^[\w:.-]{1,100}$/),
    size: c.size,
    root: str('root', /^[0-9a-f]{64}$/),
    at: str('at', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    keyId: str('keyId', /^[0-9a-f]{16}$/),
    signature: str('signature', /^[A-Za-z0-9+/]{86}==$/),
  };
}
