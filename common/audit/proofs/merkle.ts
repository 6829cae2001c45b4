import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1) over a disclosure log: leaves are
 * the records' hashes in log order. A tree head (size + root) summarises a log; an inclusion proof shows
 * that one record is in it, a consistency proof that a larger head extends a smaller one without rewriting
 * anything. Proofs are lists of 32-byte hashes, verified here with nothing but SHA-256.
 */

export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

function sha256(...parts: Buffer[]): Hash {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The hash of a leaf holding `data` (for a disclosure record: its record hash as bytes). */
export function leafHash(data: Buffer): Hash {
  return sha256(LEAF_PREFIX, data);
}

/** The hash of an inner node over two subtrees. */
export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(NODE_PREFIX, left, right);
}

/** The root of the empty tree. */
export const EMPTY_ROOT: Hash = sha256();

/** The largest power of two smaller than `n` (n > 1): where RFC 9162 splits a tree of n leaves. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root over `leaves` (leaf hashes). Linear in their number; for a log's running head use `Frontier`. */
export function rootOf(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** PATH(m, D[n]): the inclusion proof of leaf `index` in the tree over `leaves`. */
export function inclusionProof(index: number, leaves: readonly Hash[]): Hash[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError('leaf index out of range');
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...inclusionProof(index, leaves.slice(0, k)), rootOf(leaves.slice(k))]
    : [...inclusionProof(index - k, leaves.slice(k)), rootOf(leaves.slice(0, k))];
}

/** PROOF(m, D[n]): the consistency proof between the tree of the first `size` leaves and the tree over all. */
export function consistencyProof(size: number, leaves: readonly Hash[]): Hash[] {
  if (!Number.isInteger(size) || size < 1 || size > leaves.length) throw new RangeError('tree size out of range');
  return subproof(size, leaves, true);
}

function subproof(m: number, leaves: readonly Hash[], complete: boolean): Hash[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [rootOf(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), rootOf(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), rootOf(leaves.slice(0, k))];
}

/** RFC 9162 2.1.3.2: whether `proof` shows leaf `index` (hash `leaf`) in the tree of `size` with `root`. */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 2.1.4.2: whether `proof` shows that the tree of `size2` with `root2` extends the tree of `size1`
 * with `root1` (every leaf of the first is, unchanged and in order, the start of the second).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Hash,
  root2: Hash,
  proof: readonly Hash[],
): boolean {
  if (!Number.isInteger(size1) || !Number.isInteger(size2) || size1 < 1 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  const path = [...proof];
  // A first tree that is a complete subtree is itself the first node of the path.
  if (isPowerOfTwo(size1)) path.unshift(root1);
  if (path.length === 0) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * The right edge of a growing tree: the roots of its complete subtrees, largest first. Appending a leaf
 * costs O(log n) hashes and the root is available at any size without the leaves, so a log's writer can keep
 * its tree head current as it appends and a verifier can resume from a checkpoint's frontier.
 */
export class Frontier {
  private constructor(
    private size_: number,
    /** Roots of the complete subtrees, from the largest (leftmost) to the smallest. */
    private readonly nodes: Hash[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** Restores a frontier saved with `toJSON`; refuses one whose node count does not fit its size. */
  static fromJSON(saved: { size: number; nodes: string[] }): Frontier {
    const expected = popcount(saved.size);
    if (!Number.isInteger(saved.size) || saved.size < 0 || saved.nodes.length !== expected) {
      throw new RangeError('frontier does not match its size');
    }
    return new Frontier(
      saved.size,
      saved.nodes.map((n) => Buffer.from(n, 'hex')),
    );
  }

  get size(): number {
    return this.size_;
  }

  append(leaf: Hash): void {
    let node = leaf;
    // Each trailing one bit of the old size is a complete subtree the new leaf completes.
    for (let s = this.size_; s % 2 === 1; s = Math.floor(s / 2)) node = nodeHash(this.nodes.pop()!, node);
    this.nodes.push(node);
    this.size_ += 1;
  }

  root(): Hash {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let root = this.nodes[this.nodes.length - 1];
    for (let i = this.nodes.length - 2; i >= 0; i--) root = nodeHash(this.nodes[i], root);
    return root;
  }

  toJSON(): { size: number; nodes: string[] } {
    return { size: this.size_, nodes: this.nodes.map((n) => n.toString('hex')) };
  }
}

function popcount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}
