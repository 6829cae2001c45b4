import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from '@jest/globals';
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from './merkle.js';

// The test vectors of RFC 6962 implementations (certificate-transparency-go, Trillian): eight leaves and the
// root of the tree over the first n of them.
const VECTOR_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const VECTOR_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function leaves(n: number): Hash[] {
  return Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(`record ${i}`).digest()));
}

function flipped(hash: Hash): Hash {
  const copy = Buffer.from(hash);
  copy[0] = copy[0] ^ 1;
  return copy;
}

describe('Merkle tree (RFC 9162)', () => {
  it('computes the published roots of the reference vectors', () => {
    const hashed = VECTOR_LEAVES.map((hex) => leafHash(Buffer.from(hex, 'hex')));
    for (let n = 1; n <= hashed.length; n++)
      assert.equal(rootOf(hashed.slice(0, n)).toString('hex'), VECTOR_ROOTS[n - 1]);
    assert.equal(EMPTY_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('proves every leaf of every tree up to 24 leaves, and refuses a changed leaf, proof, root or index', () => {
    const all = leaves(24);
    for (let n = 1; n <= all.length; n++) {
      const tree = all.slice(0, n);
      const root = rootOf(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, tree);
        assert.ok(verifyInclusion(i, n, tree[i], proof, root), `leaf ${i} of ${n}`);
        assert.ok(!verifyInclusion(i, n, flipped(tree[i]), proof, root));
        assert.ok(!verifyInclusion(i, n, tree[i], proof, flipped(root)));
        if (proof.length > 0) assert.ok(!verifyInclusion(i, n, tree[i], [flipped(proof[0]), ...proof.slice(1)], root));
        if (n > 1) assert.ok(!verifyInclusion((i + 1) % n, n, tree[i], proof, root), `wrong index ${i} of ${n}`);
      }
    }
  });

  it('proves that every smaller tree is the start of every larger one, and refuses a rewritten history', () => {
    const all = leaves(33);
    const rewritten = [...all];
    rewritten[5] = flipped(rewritten[5]);
    for (let n = 1; n <= all.length; n++) {
      const root2 = rootOf(all.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const root1 = rootOf(all.slice(0, m));
        const proof = consistencyProof(m, all.slice(0, n));
        assert.ok(verifyConsistency(m, n, root1, root2, proof), `${m} → ${n}`);
        assert.ok(!verifyConsistency(m, n, flipped(root1), root2, proof));
        if (m < n) {
          assert.ok(!verifyConsistency(m, n, root1, flipped(root2), proof));
          // The same proof does not carry a history in which an early record was changed.
          if (m > 5) {
            const forged = consistencyProof(m, rewritten.slice(0, n));
            assert.ok(!verifyConsistency(m, n, root1, rootOf(rewritten.slice(0, n)), forged));
          }
        }
      }
    }
  });

  it('keeps the running root of a growing log in a frontier that can be saved and restored', () => {
    const all = leaves(70);
    let frontier = Frontier.empty();
    assert.ok(frontier.root().equals(EMPTY_ROOT));
    all.forEach((leaf, i) => {
      frontier.append(leaf);
      assert.ok(frontier.root().equals(rootOf(all.slice(0, i + 1))), `size ${i + 1}`);
      if (i % 7 === 0)
        frontier = Frontier.fromJSON(JSON.parse(JSON.stringify(frontier)) as { size: number; nodes: string[] });
    });
    assert.equal(frontier.size, 70);
    assert.throws(() => Frontier.fromJSON({ size: 3, nodes: [] }), /does not match/);
  });

  it('refuses out-of-range requests instead of proving something else', () => {
    const tree = leaves(4);
    assert.throws(() => inclusionProof(4, tree), RangeError);
    assert.throws(() => consistencyProof(0, tree), RangeError);
    assert.throws(() => consistencyProof(5, tree), RangeError);
    assert.ok(!verifyInclusion(-1, 4, tree[0], inclusionProof(0, tree), rootOf(tree)));
    assert.ok(!verifyConsistency(3, 2, rootOf(tree), rootOf(tree), []));
  });
});
