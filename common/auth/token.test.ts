import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it, jest } from '@jest/globals';
import { loadOrCreateDevKey } from './dev-key.js';
import { createTokenVerifier, issueDevToken } from './token.js';

const ISSUER = 'verbund-test';
const claims = { officer: 'j.meyer', agency: 'jobcenter', roles: ['CASEWORKER' as const], issuer: ISSUER };

describe('a verified token, remembered until it expires', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('answers a repeat from memory, and refuses it once expired and any token that differs', async () => {
    const key = await loadOrCreateDevKey(mkdtempSync(path.join(os.tmpdir(), 'verbund-key-')));
    const verifier = createTokenVerifier({ issuer: ISSUER, devKey: key });
    const token = await issueDevToken(key.privateKey, { ...claims, expiresIn: '60s' });
    const first = await verifier.verify(token);
    assert.equal(await verifier.verify(token), first, 'the same payload, not verified again');

    // Another signature over the same claims, or the token cut short: verified afresh and refused.
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await assert.rejects(verifier.verify(forged));
    await assert.rejects(verifier.verify(token.slice(0, -2)));

    jest.useFakeTimers({ now: Date.now() + 61_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    await assert.rejects(verifier.verify(token), /exp/);
  });
});
