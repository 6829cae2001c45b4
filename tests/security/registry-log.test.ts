/**
 * Every log under a checkpoint (issue #23, hole 3, first half): the consent registry's own log of consent
 * officers' reads is attested and checkpointed with the registry's own log key — a key other than its witness
 * key — and its checkpoints are cosigned by a party other than the registry, never by the registry alone.
 * Tried as the registry's operator would: cosign its own log with its witness, sign its log with its witness
 * key, slip a read past the attestation, or show a person a receipt cosigned only by itself.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { fromRow, type RecordRow } from '../../common/audit/log/disclosure-log.table.js';
import { DisclosureLog } from '../../common/audit/log/disclosure-log.repository.js';
import {
  ephemeralKeyRing,
  loadOrCreateDevKeyRing,
  publishKeys,
  type PublishedKey,
} from '../../common/audit/log/log-keys.js';
import {
  checkpointSignatureProblem,
  cosign,
  cosignatureProblem,
  signCheckpoint,
  type Cosignature,
  type Checkpoint,
  type CosignedCheckpoint,
} from '../../common/audit/proofs/checkpoint.js';
import { parseLabelledKeys } from '../../common/audit/proofs/key-set.js';
import { TreeStore } from '../../common/audit/proofs/merkle-store.js';
import { checkReceipt, RECEIPT_FORMAT, type Receipt } from '../../common/audit/proofs/receipt.js';
import { FileWitnessStore, witnessCheckpoint } from '../../common/audit/witness/checkpoint-witness.js';
import type { Caller } from '../../common/domain.js';
import { consentSubgraph } from '../../subgraphs/consent/consent.subgraph.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';

const PERSON = randomUUID();
const officer = (name: string): Caller => ({
  officer: name,
  agency: { id: 'county', kind: 'county' },
  role: 'CONSENT_OFFICER',
  roles: ['CONSENT_OFFICER'],
  purpose: 'CONSENT_MANAGEMENT',
  requestId: randomUUID(),
});

describe("the consent registry's log of officers' reads is checkpointed and cosigned by another party", () => {
  let consent: RunningSubgraph;
  const logKeys = ephemeralKeyRing();
  const witnessKeys = ephemeralKeyRing();
  const dpoKeys = ephemeralKeyRing();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-registry-log-'));
  const base = () => consent.url.replace(/\/graphql$/, '/officer-log/');
  const read = async (relative: string) => (await fetch(new URL(relative.replace(/^\//, ''), base()))).json();
  /** The registry's log keys as the registry hands them to another party. */
  const pinned = () => ({ 'verbund:consent': publishKeys(logKeys) });
  const dpo = new FileWitnessStore(path.join(dir, 'dpo.json'));
  const reads = async (n: number) => {
    for (let i = 0; i < n; i++)
      await consent.auditLog!.record(officer(`officer.${i}`), {
        action: 'ACCESS_REPORT',
        operation: 'accessReport',
        personId: PERSON,
        filter: null,
        records: 1,
      });
  };

  beforeAll(async () => {
    consent = await startSubgraph(consentSubgraph, { logKeys, witnessKeys });
  });
  afterAll(() => consent.stop());

  it("attests every read and signs checkpoints with the registry's log key, published apart from its witness key", async () => {
    await reads(3);
    const result = await consent.checkpointer!.checkpoint();
    assert.equal(result.stoppedAt, null);
    assert.equal(result.checkpoint?.size, 3);
    const keys = (await read('/audit/keys')) as { logId: string; keys: PublishedKey[] };
    assert.equal(keys.logId, 'verbund:consent');
    assert.deepEqual(
      keys.keys.map((k) => k.keyId),
      [logKeys.keyId],
    );
    const witness = (await (await fetch(consent.url.replace(/\/graphql$/, '/audit/keys'))).json()) as {
      witness: string;
      keys: PublishedKey[];
    };
    assert.equal(witness.witness, 'consent');
    assert.notEqual(witness.keys[0].keyId, logKeys.keyId, 'the log key is not the witness key');
    const { checkpoint } = (await read('/audit/checkpoint')) as { checkpoint: Checkpoint };
    assert.equal(checkpoint.logId, 'verbund:consent');
    assert.equal(checkpointSignatureProblem(checkpoint, logKeys.publicKeys), undefined);
  });

  it('is cosigned by a witness of another party, checkpoint after consistent checkpoint', async () => {
    const first = await witnessCheckpoint({ store: dpo, keys: dpoKeys, witness: 'dpo', read, pinned: pinned() });
    assert.equal(first.status, 'COSIGNED');
    await reads(2);
    await consent.checkpointer!.checkpoint();
    const second = await witnessCheckpoint({ store: dpo, keys: dpoKeys, witness: 'dpo', read, pinned: pinned() });
    assert.equal(second.status, 'COSIGNED');
    assert.equal(second.status === 'COSIGNED' && second.checkpoint.size, 5);
  });

  it('is never witnessed by the registry itself', async () => {
    await assert.rejects(
      witnessCheckpoint({
        store: new FileWitnessStore(path.join(dir, 'self.json')),
        keys: witnessKeys,
        witness: 'consent',
        read,
        pinned: pinned(),
      }),
      /witness consent runs verbund:consent itself and does not witness its own checkpoints/,
    );
  });

  it('refuses a checkpoint of the log signed with the witness key, and a read slipped past the attestation', async () => {
    const lying = async (relative: string) => {
      const answer = (await read(relative)) as { checkpoint: Checkpoint };
      if (!relative.startsWith('/audit/checkpoint')) return answer;
      const { logId, size, root } = answer.checkpoint;
      return { ...answer, checkpoint: signCheckpoint(witnessKeys, logId, size, root) };
    };
    const outcome = await witnessCheckpoint({
      store: new FileWitnessStore(path.join(dir, 'other.json')),
      keys: dpoKeys,
      witness: 'dpo',
      read: lying,
      pinned: pinned(),
    });
    assert.equal(outcome.status, 'ALARM');
    assert.match(outcome.status === 'ALARM' ? outcome.message : '', new RegExp(`key ${witnessKeys.keyId}`));
    // A read appended through the registry's database role without the process's attestation.
    await new DisclosureLog(consent.db).append([
      {
        requestId: randomUUID(),
        agency: 'county',
        officer: 'someone.else',
        roles: ['CONSENT_OFFICER'],
        purpose: 'CONSENT_MANAGEMENT',
        operation: 'accessReport',
        kind: 'AUDIT',
        personId: PERSON,
        released: [],
        refused: [],
        basis: [],
        changes: [],
        retention: null,
        policyVersion: 'forged',
        audit: { action: 'ACCESS_REPORT', filter: null, records: 0 },
      },
    ]);
    const stopped = await consent.checkpointer!.checkpoint();
    assert.equal(stopped.stoppedAt?.sequence, 6);
    assert.match(stopped.stoppedAt?.reason ?? '', /attestation/);
    assert.equal(stopped.checkpoint?.size, 5, 'the checkpoint stops before the forged read');
  });

  it("holds in a person's receipt only with another party's cosignature", async () => {
    const rows = await consent.db.query<RecordRow[]>(
      'SELECT * FROM disclosure_log WHERE sequence <= 5 ORDER BY sequence',
    );
    const records = rows.map(fromRow);
    const { checkpoint } = (await read('/audit/checkpoint')) as { checkpoint: Checkpoint };
    assert.equal(checkpoint.size, 5);
    const tree = new TreeStore(consent.db);
    const receiptWith = async (cosignatures: CosignedCheckpoint['cosignatures']): Promise<Receipt> => ({
      format: RECEIPT_FORMAT,
      personId: PERSON,
      generatedAt: new Date().toISOString(),
      logs: { consent: { checkpoint: { ...checkpoint, cosignatures }, keys: publishKeys(logKeys) } },
      witnessKeys: [],
      disclosures: await Promise.all(
        records.map(async (record, i) => ({
          subgraph: 'consent',
          record: { ...record, at: record.at.toISOString() },
          leafIndex: i,
          proof: (await tree.inclusionProof(i, 5)).map((h) => h.toString('hex')),
        })),
      ),
      pending: [],
    });
    const keys = parseLabelledKeys([
      { logId: 'verbund:consent', keys: publishKeys(logKeys, { role: 'log', logId: 'verbund:consent' }) },
      { witness: 'consent', keys: publishKeys(witnessKeys, { role: 'witness', witness: 'consent' }) },
      { witness: 'dpo', keys: publishKeys(dpoKeys, { role: 'witness', witness: 'dpo' }) },
    ]);
    const byDpo = checkReceipt(await receiptWith([cosign(dpoKeys, 'dpo', checkpoint)]), keys);
    assert.deepEqual(byDpo.problems, []);
    assert.equal(byDpo.proven, 5);
    const bySelf = checkReceipt(await receiptWith([cosign(witnessKeys, 'consent', checkpoint)]), keys);
    assert.equal(bySelf.valid, false);
    assert.match(bySelf.problems.join('\n'), /consent runs verbund:consent and cannot witness its own checkpoints/);
    const byOwnLogKey = checkReceipt(await receiptWith([cosign(logKeys, 'dpo', checkpoint)]), keys);
    assert.equal(byOwnLogKey.valid, false);
    assert.match(byOwnLogKey.problems.join('\n'), /is the log key of verbund:consent itself/);
  });
});

describe("the registry's officers' log is published cosigned by another party, never only by itself", () => {
  let consent: RunningSubgraph;
  let dpoKeys: Awaited<ReturnType<typeof loadOrCreateDevKeyRing>>;
  const logKeys = ephemeralKeyRing();
  const witnessKeys = ephemeralKeyRing();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-registry-cosign-'));
  const base = () => consent.url.replace(/\/graphql$/, '/officer-log/');
  const checkpointNow = async () =>
    ((await (await fetch(new URL('audit/checkpoint', base()))).json()) as { checkpoint: CosignedCheckpoint })
      .checkpoint;
  const handBack = async (size: number, cosignature: Cosignature) => {
    const response = await fetch(new URL('audit/cosignature', base()), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ size, cosignature }),
    });
    return { status: response.status, body: (await response.json()) as { errors?: { message: string }[] } };
  };

  beforeAll(async () => {
    // The data protection officer's witness key as a PEM file, the way `npm run witness -- --key` reads it.
    dpoKeys = await loadOrCreateDevKeyRing(dir, 'witness-dpo');
    consent = await startSubgraph(consentSubgraph, {
      logKeys,
      witnessKeys,
      pinnedWitnessKeys: { dpo: publishKeys(dpoKeys, { role: 'witness', witness: 'dpo' }) },
    });
    for (let i = 0; i < 3; i++)
      await consent.auditLog!.record(officer(`officer.${i}`), {
        action: 'TIMELINE',
        operation: 'disclosureTimeline',
        personId: PERSON,
        filter: null,
        records: 1,
      });
    await consent.checkpointer!.checkpoint();
  });
  afterAll(() => consent.stop());

  it('is cosigned by `npm run witness` of another party, which hands its cosignature back to be published', async () => {
    assert.deepEqual((await checkpointNow()).cosignatures, [], 'not cosigned before a witness of another party ran');
    const pinnedFile = path.join(dir, 'pinned.json');
    writeFileSync(pinnedFile, JSON.stringify([{ logId: 'verbund:consent', keys: publishKeys(logKeys) }]));
    const run = promisify(execFile);
    const root = path.resolve(import.meta.dirname, '../..');
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/witness.ts',
        '--log',
        base(),
        '--pinned',
        pinnedFile,
        '--key',
        path.join(dir, 'log-keys', 'witness-dpo.pem'),
        '--name',
        'dpo',
        '--state',
        path.join(dir, 'dpo-state.json'),
        '--once',
      ],
      { cwd: root },
    );
    assert.match(stdout, /verbund:consent: cosigned checkpoint of 3 records/);
    assert.match(stdout, /cosignature of checkpoint 3 handed back to the registry/);
    const published = await checkpointNow();
    assert.equal(published.size, 3);
    assert.deepEqual(
      published.cosignatures.map((c) => [c.witness, c.keyId]),
      [['dpo', dpoKeys.keyId]],
    );
    assert.equal(
      cosignatureProblem(
        published,
        published.cosignatures[0],
        new Map([[dpoKeys.keyId, dpoKeys.publicKeys.get(dpoKeys.keyId)!]]),
      ),
      undefined,
    );
  });

  it('keeps no cosignature by the registry itself, in a wrong role, unpinned, or of a checkpoint it never signed', async () => {
    const signed = await checkpointNow();
    const { cosignatures: _c, ...checkpoint } = signed;
    const cases: [string, number, Cosignature, number, RegExp][] = [
      [
        "the registry's own witness key, as itself",
        3,
        cosign(witnessKeys, 'consent', checkpoint),
        403,
        /runs verbund:consent itself/,
      ],
      [
        "the registry's log key, passed off as the DPO's",
        3,
        cosign(logKeys, 'dpo', checkpoint),
        403,
        /log key of verbund:consent itself/,
      ],
      [
        "the registry's witness key, passed off as the DPO's",
        3,
        cosign(witnessKeys, 'dpo', checkpoint),
        403,
        /not a witness key of dpo/,
      ],
      ['a key pinned for nobody', 3, cosign(ephemeralKeyRing(), 'auditor', checkpoint), 403, /not kept/],
      [
        "the DPO's key over another root",
        3,
        cosign(dpoKeys, 'dpo', { ...checkpoint, root: 'ab'.repeat(32) }),
        400,
        /is not valid/,
      ],
      [
        'a checkpoint the registry never signed',
        99,
        cosign(dpoKeys, 'dpo', { ...checkpoint, size: 99 }),
        404,
        /no checkpoint of 99/,
      ],
    ];
    for (const [what, size, cosignature, status, message] of cases) {
      const answer = await handBack(size, cosignature);
      assert.equal(answer.status, status, what);
      assert.match(answer.body.errors?.[0]?.message ?? '', message, what);
    }
    // Not even its database role can keep a cosignature in the registry's own name.
    await assert.rejects(
      consent.db.query(
        `INSERT INTO officer_log_cosignature (size, witness, key_id, at, signature) VALUES (3, 'consent', 'k', 'a', 's')`,
      ),
      /check constraint/,
    );
    const published = await checkpointNow();
    assert.ok(published.cosignatures.length > 0 && published.cosignatures.every((c) => c.witness === 'dpo'));
  });
});
