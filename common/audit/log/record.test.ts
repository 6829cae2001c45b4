import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { newOfficerSalt, officerCommitment, opensCommitment } from './record.js';

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
