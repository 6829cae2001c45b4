import type { Queryable } from '../log/disclosure-log.table.js';
import { EMPTY_ROOT, leafHash, nodeHash, type Hash } from './merkle.js';

/** Subtrees of 2^STORED_LEVEL leaves and more are stored (`merkle_node`); smaller ones are recomputed. */
export const STORED_LEVEL = 8;

/** The leaf of a record: the RFC 9162 leaf hash of its record hash (hex) as bytes. */
export function recordLeaf(recordHash: string): Hash {
  return leafHash(Buffer.from(recordHash, 'hex'));
}

/**
 * Reads a disclosure log's Merkle tree for proofs: leaf `i` is record `i + 1`. Complete subtrees of 256
 * leaves and more come from `merkle_node`, smaller ones from the records' hashes (at most 256 per proof), so
 * an inclusion or consistency proof costs O(log n) rows however long the log. Nodes are only asked for
 * within a checkpointed size, where the checkpointer has stored them.
 */
export class TreeStore {
  private readonly leaves = new Map<number, Hash[]>();
  private readonly nodes = new Map<string, Hash>();

  constructor(private readonly db: Queryable) {}

  private async tile(tile: number): Promise<Hash[]> {
    let leaves = this.leaves.get(tile);
    if (!leaves) {
      const span = 1 << STORED_LEVEL;
      const rows = (await this.db.query(
        'SELECT sequence, hash FROM disclosure_log WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence',
        [tile * span, (tile + 1) * span],
      )) as { sequence: string; hash: string }[];
      leaves = [];
      for (const row of rows) {
        const index = Number(row.sequence) - 1 - tile * span;
        if (index !== leaves.length) break;
        leaves.push(recordLeaf(row.hash));
      }
      this.leaves.set(tile, leaves);
    }
    return leaves;
  }

  /** The root of the complete subtree at `level` (2^level leaves) and `position` among them. */
  async node(level: number, position: number): Promise<Hash> {
    const key = `${level}:${position}`;
    const known = this.nodes.get(key);
    if (known) return known;
    let hash: Hash;
    if (level >= STORED_LEVEL) {
      const [row] = (await this.db.query('SELECT hash FROM merkle_node WHERE level = $1 AND position = $2', [
        level,
        position,
      ])) as { hash: Buffer }[];
      if (!row)
        throw new Error(`the tree has no stored node at level ${level}, position ${position}: not yet checkpointed`);
      hash = row.hash;
    } else {
      const first = position * 2 ** level;
      const leaves = await this.tile(Math.floor(first / (1 << STORED_LEVEL)));
      const offset = first % (1 << STORED_LEVEL);
      let level0 = leaves.slice(offset, offset + 2 ** level);
      if (level0.length !== 2 ** level)
        throw new Error(`records ${first + 1} to ${first + 2 ** level} are not all in the log`);
      while (level0.length > 1) {
        const up: Hash[] = [];
        for (let i = 0; i < level0.length; i += 2) up.push(nodeHash(level0[i], level0[i + 1]));
        level0 = up;
      }
      hash = level0[0];
    }
    this.nodes.set(key, hash);
    return hash;
  }

  /** The RFC 9162 root of leaves [start, end), where start is a multiple of the largest power of two below end - start. */
  async rangeRoot(start: number, end: number): Promise<Hash> {
    if (end <= start) return EMPTY_ROOT;
    // The range splits into complete subtrees, largest first; the root folds them from the right.
    const parts: Hash[] = [];
    let at = start;
    for (let level = Math.floor(Math.log2(end - start)); level >= 0; level--) {
      if (at + 2 ** level <= end) {
        parts.push(await this.node(level, at / 2 ** level));
        at += 2 ** level;
      }
    }
    let root = parts[parts.length - 1];
    for (let i = parts.length - 2; i >= 0; i--) root = nodeHash(parts[i], root);
    return root;
  }

  /** PATH(index, D[size]) of RFC 9162, over the stored tree. */
  async inclusionProof(index: number, size: number): Promise<Hash[]> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError('leaf index out of range');
    return this.path(index, 0, size);
  }

  private async path(m: number, start: number, end: number): Promise<Hash[]> {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m < start + k
      ? [...(await this.path(m, start, start + k)), await this.rangeRoot(start + k, end)]
      : [...(await this.path(m, start + k, end)), await this.rangeRoot(start, start + k)];
  }

  /** PROOF(size1, D[size2]) of RFC 9162, over the stored tree. */
  async consistencyProof(size1: number, size2: number): Promise<Hash[]> {
    if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2) throw new RangeError('tree size out of range');
    return this.subproof(size1, 0, size2, true);
  }

  private async subproof(m: number, start: number, end: number, complete: boolean): Promise<Hash[]> {
    const n = end - start;
    if (m === n) return complete ? [] : [await this.rangeRoot(start, end)];
    const k = split(n);
    return m <= k
      ? [...(await this.subproof(m, start, start + k, complete)), await this.rangeRoot(start + k, end)]
      : [...(await this.subproof(m - k, start + k, end, false)), await this.rangeRoot(start, start + k)];
  }
}

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
