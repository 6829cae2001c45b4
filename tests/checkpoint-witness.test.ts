import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { promisify } from 'node:util';
import {
  FileWitnessStore,
  witnessCheckpoint,
  type WitnessOutcome,
} from '../common/audit/witness/checkpoint-witness.js';
import { cosignatureProblem } from '../common/audit/proofs/checkpoint.js';
import { ephemeralKeyRing, publishKeys, type LogKeyRing } from '../common/audit/log/log-keys.js';
import type { DisclosureEntry } from '../common/audit/log/record.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';

function entries(n: number, officer = 'j.meyer'): DisclosureEntry[] {
  return Array.from({ length: n }, () => ({
    requestId: randomUUID(),
    agency: 'county',
    officer,
    roles: ['CASEWORKER'],
    purpose: 'RESIDENCE_PROCEDURE',
    operation: 'PersonView',
    kind: 'READ' as const,
    personId: randomUUID(),
    released: [{ field: 'Person.employment', category: 'EMPLOYMENT' }],
    refused: [],
    basis: [{ category: 'EMPLOYMENT', basis: 'STATUTE:x' }],
    changes: [],
    retention: null,
    policyVersion: 'test',
    correlationId: null,
  }));
}

/** Reads a log's public endpoints over HTTP, as a witness elsewhere does. */
const reader = (s: RunningSubgraph) => async (relative: string) =>
  (await fetch(s.url.replace(/\/graphql$/, relative))).json();

describe('a witness of checkpoints accepts only consistent extensions and cosigns them', () => {
  let logKeys: LogKeyRing;
  let genuine: RunningSubgraph;
  const witnessKeys = ephemeralKeyRing();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-witness-'));
  const store = new FileWitnessStore(path.join(dir, 'state.json'));
  /** The genuine log's keys, as the agency handed them to this witness. */
  const pinned = () => ({ 'verbund:jobcenter': publishKeys(logKeys) });
  const witness = (s: RunningSubgraph): Promise<WitnessOutcome> =>
    witnessCheckpoint({ store, keys: witnessKeys, witness: 'district-dpo', read: reader(s), pinned: pinned() });
  /** A log served under the same identity and signed with the same key, holding another history of `size` records. */
  const rewritten = async (size: number, keys = logKeys) => {
    const log = await startSubgraph(jobcenterSubgraph, { logKeys: keys });
    await log.log!.append(entries(size, 'someone.else'));
    await log.checkpointer!.checkpoint();
    return log;
  };

  beforeAll(async () => {
    logKeys = ephemeralKeyRing();
    genuine = await startSubgraph(jobcenterSubgraph, { logKeys });
  });
  afterAll(() => genuine.stop());

  it('cosigns the first checkpoint, then each one a consistency proof shows extends it', async () => {
    await genuine.log!.append(entries(4));
    await genuine.checkpointer!.checkpoint();
    const first = await witness(genuine);
    assert.equal(first.status, 'COSIGNED');
    await genuine.log!.append(entries(300));
    await genuine.checkpointer!.checkpoint();
    const second = await witness(genuine);
    assert.equal(second.status, 'COSIGNED');
    assert.equal(second.status === 'COSIGNED' && second.checkpoint.size, 304);
    const cosigned = second.status === 'COSIGNED' ? second.checkpoint : undefined;
    assert.equal(cosignatureProblem(cosigned!, cosigned!.cosignatures[0], witnessKeys.publicKeys), undefined);
    assert.match(
      cosignatureProblem({ ...cosigned!, size: 305 }, cosigned!.cosignatures[0], witnessKeys.publicKeys) ?? '',
      /is not valid/,
    );
    assert.equal((await witness(genuine)).status, 'UNCHANGED');
  });

  it('keeps an alarm, and cosigns nothing, for a rewritten history with a fresh signature', async () => {
    const cases: [string, () => Promise<RunningSubgraph>, RegExp][] = [
      [
        'a longer rewritten history',
        () => rewritten(400),
        /is not consistent with checkpoint 304 .* the history up to record 304 was rewritten/,
      ],
      [
        'a rewritten history of the same size',
        () => rewritten(304),
        /checkpoint 304 has root .* not the root .* cosigned before: the log was rewritten/,
      ],
      ['a shorter history', () => rewritten(100), /checkpoint 100 is smaller than checkpoint 304.*cut off/],
      [
        'a history signed with a key the log never published before',
        () => rewritten(500, ephemeralKeyRing()),
        /no longer publishes any key this witness saw before/,
      ],
    ];
    for (const [what, make, message] of cases) {
      const forged = await make();
      try {
        const outcome = await witness(forged);
        assert.equal(outcome.status, 'ALARM', what);
        assert.match(outcome.status === 'ALARM' ? outcome.message : '', message, what);
      } finally {
        await forged.stop();
      }
      assert.equal(
        (await store.last('verbund:jobcenter'))!.size,
        304,
        `${what}: the witness stays on the last good checkpoint`,
      );
    }
    const state = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      logs: Record<string, { alarms: unknown[] }>;
    };
    assert.equal(state.logs['verbund:jobcenter'].alarms.length, cases.length, 'every alarm is kept');
    // The genuine log goes on and is cosigned again.
    await genuine.log!.append(entries(3));
    await genuine.checkpointer!.checkpoint();
    assert.equal((await witness(genuine)).status, 'COSIGNED');
  });

  it('refuses a malformed or unsigned checkpoint answer', async () => {
    const base = reader(genuine);
    const lying = (change: (answer: Record<string, any>) => void) => async (relative: string) => {
      const answer = (await base(relative)) as Record<string, any>;
      if (relative.startsWith('/audit/checkpoint')) change(answer);
      return answer;
    };
    await genuine.log!.append(entries(2));
    await genuine.checkpointer!.checkpoint();
    const lies: [string, (a: Record<string, any>) => void, RegExp][] = [
      ['no consistency proof', (a) => (a.consistency = null), /not consistent/],
      ['a proof with a changed hash', (a) => (a.consistency[0] = 'ab'.repeat(32)), /not consistent/],
      ['a root the key did not sign', (a) => (a.checkpoint.root = 'ab'.repeat(32)), /does not carry a valid signature/],
      ['a malformed size', (a) => (a.checkpoint.size = 'many'), /malformed checkpoint/],
      ['another log id', (a) => (a.checkpoint.logId = 'verbund:county'), /names log verbund:county/],
    ];
    for (const [what, change, message] of lies) {
      const outcome = await witnessCheckpoint({
        store,
        keys: witnessKeys,
        witness: 'district-dpo',
        read: lying(change),
        pinned: pinned(),
      });
      assert.equal(outcome.status, 'ALARM', what);
      assert.match(outcome.status === 'ALARM' ? outcome.message : '', message, what);
    }
  });

  it('runs as a process of its own: `npm run witness -- --log <url> --once`', async () => {
    const run = promisify(execFile);
    const root = path.resolve(import.meta.dirname, '..');
    const state = path.join(dir, 'cli-state.json');
    const keyFile = path.join(dir, 'witness.pem');
    const pinnedFile = path.join(dir, 'pinned.json');
    writeFileSync(pinnedFile, JSON.stringify([{ logId: 'verbund:jobcenter', keys: publishKeys(logKeys) }]));
    writeFileSync(
      keyFile,
      (await import('node:crypto')).generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const witnessCli = (log: string) =>
      run(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/witness.ts',
          '--log',
          log,
          '--once',
          '--state',
          state,
          '--key',
          keyFile,
          '--name',
          'jobcenter-dpo',
          '--pinned',
          pinnedFile,
        ],
        { cwd: root },
      );
    const { stdout } = await witnessCli(genuine.url);
    assert.match(stdout, /verbund:jobcenter: cosigned checkpoint of \d+ records/);
    const forged = await rewritten(900);
    try {
      const failed = await witnessCli(forged.url).then(
        () => assert.fail('the witness must exit 1 on an alarm'),
        (error: { code: number; stdout: string }) => error,
      );
      assert.equal(failed.code, 1);
      assert.match(failed.stdout, /ALARM .*not consistent with checkpoint/);
    } finally {
      await forged.stop();
    }
    const usage = await run(process.execPath, ['--import', 'tsx', 'scripts/witness.ts', '--log', 'ftp://x'], {
      cwd: root,
    }).catch((error: { code: number; stderr: string }) => error);
    assert.equal((usage as { code: number }).code, 64);
    assert.match((usage as { stderr: string }).stderr, /is not an http\(s\) URL/);
  });
});
