import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from '@jest/globals';
import { checkpointSignatureProblem, signCheckpoint } from '../proofs/checkpoint.js';
import { keyRingFromPem, loadKeyRing, loadOrCreateDevKeyRing, publicKeyFrom, publishKeys } from './log-keys.js';

const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('log keys', () => {
  it('signs with the first key of a file and still verifies what a retired key signed (rotation)', () => {
    const [oldPem, newPem] = [pem(), pem()];
    const before = keyRingFromPem(oldPem);
    const old = signCheckpoint(before, 'verbund:county', 10, 'ab'.repeat(32));
    const rotated = keyRingFromPem(`${newPem}\n${oldPem}`);
    assert.notEqual(rotated.keyId, before.keyId);
    const published = publishKeys(rotated);
    assert.deepEqual(
      published.map((k) => [k.keyId, k.current]),
      [
        [rotated.keyId, true],
        [before.keyId, false],
      ],
    );
    const keys = new Map(published.map((k) => [k.keyId, publicKeyFrom(k)]));
    assert.equal(checkpointSignatureProblem(old, keys), undefined, 'the retired key still verifies');
    assert.equal(
      checkpointSignatureProblem(signCheckpoint(rotated, 'verbund:county', 11, 'cd'.repeat(32)), keys),
      undefined,
    );
    assert.ok(
      rotated.macKey(before.keyId)?.equals(before.macKey(before.keyId)!),
      'attestations of the retired key still verify',
    );
    assert.equal(rotated.macKey('0000000000000000'), undefined);
  });

  it('refuses what is not an Ed25519 private key, naming the file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-logkey-'));
    const rsa = path.join(dir, 'rsa.pem');
    writeFileSync(
      rsa,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const empty = path.join(dir, 'empty.pem');
    writeFileSync(empty, 'no key here');
    await assert.rejects(
      loadKeyRing(rsa),
      /rsa\.pem holds no usable Ed25519 private key: a log key must be Ed25519, not rsa/,
    );
    await assert.rejects(loadKeyRing(empty), /empty\.pem holds no usable Ed25519 private key/);
    await assert.rejects(loadKeyRing(path.join(dir, 'missing.pem')), /cannot read the key file .*missing\.pem/);
    const published = publishKeys(keyRingFromPem(pem()))[0];
    assert.throws(() => publicKeyFrom({ ...published, keyId: '0123456789abcdef' }), /does not have that key id/);
  });

  it('creates one development key per part, shared by every process that asks', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-devkey-'));
    const [a, b] = await Promise.all([
      loadOrCreateDevKeyRing(dir, 'jobcenter'),
      loadOrCreateDevKeyRing(dir, 'jobcenter'),
    ]);
    assert.equal(a.keyId, b.keyId);
    assert.notEqual((await loadOrCreateDevKeyRing(dir, 'county')).keyId, a.keyId);
  });

  it('stops a data subgraph in production without its key file, naming the variable', async () => {
    const run = promisify(execFile);
    const root = path.resolve(import.meta.dirname, '../../..');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-prodkey-'));
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATA_DIR: dir,
      JWKS_URL: 'http://127.0.0.1:9/jwks',
      JWT_ISSUER: 'http://127.0.0.1:9',
      OIDC_CLIENT_ID: 'verbund-console',
      JOBCENTER_DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
      CONSENT_DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
    };
    const start = (name: string, extra: Record<string, string> = {}) =>
      run(process.execPath, ['--import', 'tsx', 'subgraphs/main.ts', name], {
        cwd: root,
        env: { ...env, ...extra },
      }).then(
        () => assert.fail(`${name} must not start`),
        (error: { code: number; stderr: string }) => error,
      );
    const missing = await start('jobcenter');
    assert.equal(missing.code, 78);
    assert.match(
      missing.stderr,
      /JOBCENTER_LOG_KEY_FILE is not set; NODE_ENV=production needs the Ed25519 signing key from a file/,
    );
    const unreadable = await start('jobcenter', { JOBCENTER_LOG_KEY_FILE: path.join(dir, 'nope.pem') });
    assert.equal(unreadable.code, 78);
    assert.match(unreadable.stderr, /JOBCENTER_LOG_KEY_FILE: cannot read the key file/);
    // The consent registry signs its officers' log with a log key and cosigns others' logs with a witness key.
    const registryLog = await start('consent');
    assert.equal(registryLog.code, 78);
    assert.match(registryLog.stderr, /CONSENT_LOG_KEY_FILE is not set/);
    const ring = path.join(dir, 'consent-log.pem');
    writeFileSync(ring, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const witness = await start('consent', { CONSENT_LOG_KEY_FILE: ring });
    assert.equal(witness.code, 78);
    assert.match(witness.stderr, /WITNESS_KEY_FILE is not set/);
  });
});
