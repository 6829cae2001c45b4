import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { canonicalJson, newOfficerSalt, officerCommitment, opensCommitment, recordHash } from './record.js';

/** canonicalJson as the first records were hashed with it (until #27 built the string in one pass). */
function firstCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstCanonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A random JSON-like value with the awkward parts: undefined members, odd numbers, surrogates, Dates. */
function randomValue(random: () => number, depth = 0): unknown {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const strings = ['', 'a', 'Z', 'ä', 'ﬀ', '😀', '\ud800', 'a"b\\n', '\u0000\u001f', 'Straße', 'z'];
  const kind = depth > 3 ? Math.floor(random() * 5) : Math.floor(random() * 8);
  switch (kind) {
    case 0:
      return pick([null, undefined, true, false]);
    case 1:
      return pick([0, -0, 1, -1.5, 1e21, 1e-7, NaN, Infinity, Number.MAX_SAFE_INTEGER]);
    case 2:
    case 3:
      return pick(strings) + pick(strings);
    case 4:
      return new Date(Math.floor(random() * 2e12));
    case 5:
    case 6: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 6); i > 0; i--)
        object[pick(strings) + pick(strings)] = randomValue(random, depth + 1);
      return object;
    }
    default:
      return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1));
  }
}

describe("a record's officer salt", () => {
  it('is 16 random bytes in hex, never the same twice, across many refills of its pool', () => {
    const salts = Array.from({ length: 2000 }, () => newOfficerSalt());
    for (const salt of salts) assert.match(salt, /^[0-9a-f]{32}$/);
    assert.equal(new Set(salts).size, salts.length, 'every salt is new');
    // 2000 salts of 16 bytes: each hex digit should turn up about 4000 times; a constant or repeated pool would not.
    const counts = new Map<string, number>();
    for (const digit of salts.join('')) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    assert.equal(counts.size, 16);
    for (const [digit, count] of counts) assert.ok(count > 3000 && count < 5000, `${digit}: ${count}`);
  });

  it('commits to an officer so that only the same salt and officer open it', () => {
    const salt = newOfficerSalt();
    const commitment = officerCommitment(salt, 'j.meyer');
    assert.ok(opensCommitment(commitment, salt, 'j.meyer'));
    assert.ok(!opensCommitment(commitment, newOfficerSalt(), 'j.meyer'));
    assert.ok(!opensCommitment(commitment, salt, 'j.meyers'));
  });
});

describe('the canonical encoding', () => {
  it('encodes every value exactly as the records already in the logs were hashed', () => {
    // A fixed seed, so that a failure can be replayed.
    let state = 20261207;
    const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 5000; i++) {
      const value = randomValue(random);
      assert.equal(canonicalJson(value), firstCanonicalJson(value), `value ${i}`);
    }
    // Keys sort by UTF-16 code units (😀, a surrogate pair, before ﬀ), undefined members drop out of objects and
    // leave an empty place in arrays, and a Date has no members of its own.
    assert.equal(
      canonicalJson({
        z: 1,
        ﬀ: true,
        '😀': 'a',
        ä: [undefined, null, -0, NaN, '\ud800'],
        A: { y: undefined, x: new Date(0) },
      }),
      '{"A":{"x":{}},"z":1,"ä":[,null,0,null,"\\ud800"],"😀":"a","ﬀ":true}',
    );
  });

  it('gives a record the hash it was given when it was written', () => {
    // Computed with the first encoding: a change of the bytes would leave every stored record unverifiable.
    const record = {
      requestId: 'req-1',
      agency: 'county',
      officer: 'j.meyer',
      roles: ['CASEWORKER', 'CLEARING'],
      purpose: 'RESIDENCE_PROCEDURE',
      operation: 'PersonView',
      kind: 'READ' as const,
      personId: '7d3c1f7e-2f0a-4a7e-9d55-0c1d2e3f4a5b',
      released: [
        { field: 'Person.languageSkills', category: 'LANGUAGE', holders: ['county'] },
        { field: 'Person.name', category: 'IDENTITY' },
      ],
      refused: [{ field: 'Person.housing', category: 'HOUSING', reason: 'CONSENT_REQUIRED' }],
      basis: [
        { category: 'LANGUAGE', basis: 'CONSENT:c-1@3', holders: ['county'] },
        { category: 'IDENTITY', basis: 'OWN_TASK' },
      ],
      changes: [],
      retention: null,
      policyVersion: '2026-11-01',
      correlationId: 'Zürich-Ω-😀',
      sequence: 42,
      at: new Date('2026-03-29T00:30:00.123Z'),
      previousHash: 'ab'.repeat(32),
      officerSalt: '0123456789abcdef0123456789abcdef',
    };
    assert.equal(recordHash(record), 'b3e5ec51cdfd7faed3158957817afc45ad7bd3f6084e07262d7e3776ee77354d');
  });
});
