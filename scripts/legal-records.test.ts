import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { loadConfig } from '../common/config.js';
import { keyFilesOf } from './legal-records.js';

describe('the keys a backup takes', () => {
  it("takes each part's log key, and the consent registry's witness key beside its own log key", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-backup-keys-'));
    mkdirSync(path.join(dataDir, 'log-keys'));
    for (const file of ['jobcenter.pem', 'consent.pem', 'witness-consent.pem'])
      writeFileSync(path.join(dataDir, 'log-keys', file), 'a key');
    const config = loadConfig({ DATA_DIR: dataDir });
    const inDevelopment = (file: string) => path.join(dataDir, 'log-keys', file);
    assert.deepEqual(keyFilesOf('jobcenter', config), [inDevelopment('jobcenter.pem')]);
    assert.deepEqual(keyFilesOf('consent', config), [
      inDevelopment('consent.pem'),
      inDevelopment('witness-consent.pem'),
    ]);
    assert.deepEqual(keyFilesOf('county', config), [], 'no key file, none taken');

    // The operator's secrets folder (deploy/k8s/secrets/ layout) comes first.
    const secrets = mkdtempSync(path.join(os.tmpdir(), 'verbund-secrets-'));
    for (const file of ['consent-log-key.pem', 'consent-witness-key.pem'])
      writeFileSync(path.join(secrets, file), 'a key');
    assert.deepEqual(keyFilesOf('consent', config, secrets), [
      path.join(secrets, 'consent-log-key.pem'),
      path.join(secrets, 'consent-witness-key.pem'),
    ]);
  });
});
