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
    // It signs the consent statements the gateway passes on with a third key of its own.
    const witnessRing = path.join(dir, 'consent-witness.pem');
    writeFileSync(witnessRing, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const grant = await start('consent', { CONSENT_LOG_KEY_FILE: ring, WITNESS_KEY_FILE: witnessRing });
    assert.equal(grant.code, 78);
    assert.match(grant.stderr, /CONSENT_GRANT_KEY_FILE is not set; NODE_ENV=production needs/);
  });

  it("stops the registry and the jobcenter in production unless another party witnesses the registry's own log", async () => {
    const run = promisify(execFile);
    const root = path.resolve(import.meta.dirname, '../../..');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-prodwitness-'));
    const file = (name: string) => {
      const target = path.join(dir, `${name}.pem`);
      writeFileSync(target, pem());
      return target;
    };
    const keys = {
      JOBCENTER_LOG_KEY_FILE: file('jobcenter-log'),
      CONSENT_LOG_KEY_FILE: file('consent-log'),
      WITNESS_KEY_FILE: file('consent-witness'),
      CONSENT_GRANT_KEY_FILE: file('consent-grant'),
    };
    const pinned = (content: unknown) => {
      const target = path.join(dir, `pinned-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(target, JSON.stringify(content));
      return target;
    };
    const dataLogs = [
      { logId: 'verbund:jobcenter', keys: publishKeys(await loadKeyRing(keys.JOBCENTER_LOG_KEY_FILE)) },
    ];
    const start = (name: string, extra: Record<string, string> = {}) =>
      run(process.execPath, ['--import', 'tsx', 'subgraphs/main.ts', name], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          DATA_DIR: dir,
          JWKS_URL: 'http://127.0.0.1:9/jwks',
          JWT_ISSUER: 'http://127.0.0.1:9',
          OIDC_CLIENT_ID: 'verbund-console',
          JOBCENTER_DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
          CONSENT_DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
          ...keys,
          ...extra,
        },
      }).then(
        () => assert.fail(`${name} must not start`),
        (error: { code: number; stderr: string }) => error,
      );
    // The jobcenter witnesses with a key of its own, never its log key, and pins the registry's log key from a file.
    const noWitnessKey = await start('jobcenter');
    assert.equal(noWitnessKey.code, 78);
    assert.match(noWitnessKey.stderr, /JOBCENTER_WITNESS_KEY_FILE is not set; NODE_ENV=production needs/);
    const witnessKey = { JOBCENTER_WITNESS_KEY_FILE: file('jobcenter-witness') };
    const noPinned = await start('jobcenter', witnessKey);
    assert.equal(noPinned.code, 78);
    assert.match(
      noPinned.stderr,
      /PINNED_LOG_KEYS_FILE is not set; NODE_ENV=production needs the consent registry's log keys/,
    );
    const withoutRegistry = await start('jobcenter', { ...witnessKey, PINNED_LOG_KEYS_FILE: pinned(dataLogs) });
    assert.equal(withoutRegistry.code, 78);
    assert.match(withoutRegistry.stderr, /has no key of verbund:consent; the jobcenter witnesses the registry's log/);
    // The registry keeps its log under another party's cosignature: a pinned file without such a witness stops it.
    const alone = await start('consent', { PINNED_LOG_KEYS_FILE: pinned(dataLogs) });
    assert.equal(alone.code, 78);
    assert.match(
      alone.stderr,
      /names no witness of the registry's log of officers' reads; add the jobcenter's GET \/audit\/witness-keys answer/,
    );
    const onlyItself = await start('consent', {
      PINNED_LOG_KEYS_FILE: pinned([
        ...dataLogs,
        { witness: 'consent', keys: publishKeys(await loadKeyRing(keys.WITNESS_KEY_FILE)) },
      ]),
    });
    assert.equal(onlyItself.code, 78, 'its own witness key does not count');
    assert.match(onlyItself.stderr, /names no witness of the registry's log/);
  });
});
