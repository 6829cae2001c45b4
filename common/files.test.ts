import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { exportJWK } from 'jose';
import { loadOrCreateDevKeyRing } from './audit/log/log-keys.js';
import { loadOrCreateDevKey } from './auth/dev-key.js';
import { createFileOnce } from './files.js';

describe('a file created once', () => {
  it('is never seen empty or half-written by a reader, and only the first of two creators wins', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'verbund-once-')), 'key');
    // Large enough to be written in many chunks, so that a reader could come between them.
    const content = 'k'.repeat(32 * 1024 * 1024);
    const seen = new Set<number>();
    let done = false;
    const reader = (async () => {
      while (!done) {
        try {
          seen.add((await readFile(file, 'utf8')).length);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    })();
    const created = await createFileOnce(file, content);
    done = true;
    await reader;
    assert.equal(created, true);
    assert.deepEqual(
      [...seen].filter((length) => length !== content.length),
      [],
      'lengths a reader saw',
    );
    assert.equal(await createFileOnce(file, 'another'), false);
    assert.equal((await readFile(file, 'utf8')).length, content.length);
  });
});

describe('development keys asked for by many parts at the same time', () => {
  it('are created once, and nobody reads a half-written key file', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-race-'));
      // Staggered by a few milliseconds, so that some readers come while the first key is being written.
      const callers = Array.from({ length: 40 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 8));
        const token = await loadOrCreateDevKey(dir);
        const ring = await loadOrCreateDevKeyRing(dir, 'county');
        return `${(await exportJWK(token.publicKey)).x} ${ring.keyId}`;
      });
      const keys = await Promise.all(callers);
      assert.equal(new Set(keys).size, 1, 'every caller has the same keys');
      // No draft left behind beside the keys.
      assert.deepEqual([...readdirSync(dir)].sort(), ['dev-signing-key.json', 'log-keys']);
      assert.deepEqual([...readdirSync(path.join(dir, 'log-keys'))], ['county.pem']);
    }
  });
});
