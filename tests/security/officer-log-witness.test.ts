/**
 * Every log under a checkpoint, in the hub as shipped (issue #23, hole 3): the consent registry's log of officers'
 * reads is witnessed by another party in every hub, not only when an agency remembers to run `npm run witness`.
 * The county runs the registry, so the jobcenter's process witnesses it, with its own witness key, its state in
 * its own database, and hands each cosignature back; the registry's verification then says who cosigned which
 * checkpoint and checks that the records still have its root. Tried as the registry's operator would: alter a
 * cosigned checkpoint afterwards, serve a checkpoint the witness never saw extended.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { publicKeyFrom, type PublishedKey } from '../../common/audit/log/log-keys.js';
import { cosignatureProblem, type CosignedCheckpoint } from '../../common/audit/proofs/checkpoint.js';
import { createDataSource } from '../../common/db/data-source.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 6);

interface Verification {
  subgraph: string;
  intact: boolean;
  summary: string;
  checkpointSize: number | null;
  cosignedBy: string[];
  problems: { kind: string; sequence: number }[];
}

describe("the registry's log of officers' reads is witnessed by the jobcenter in every hub", () => {
  let hub: RunningHub;
  let officer: string;
  const admins: DataSource[] = [];

  /** The registry's verification of its own log, as a consent officer asks for it (itself an officer's read on record). */
  const ownVerification = async (): Promise<Verification> => {
    const response = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `{ disclosureLogVerification { subgraph intact summary checkpointSize cosignedBy problems { kind sequence } } }`,
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return (response.data!.disclosureLogVerification as Verification[]).find((v) => v.subgraph === 'consent')!;
  };
  const registry = (relative: string) => new URL(relative, hub.subgraphs.consent.url.replace(/\/graphql$/, '/'));
  const admin = async (name: 'consent' | 'jobcenter') => {
    const db = await createDataSource({ url: hub.subgraphs[name].adminUrl, entities: [] }).initialize();
    admins.push(db);
    return db;
  };

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED });
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
  }, 300_000);
  afterAll(async () => {
    for (const db of admins) await db.destroy();
    await hub?.stop();
  });

  it('says plainly that no other party has cosigned the log yet, before the jobcenter has witnessed it', async () => {
    await ownVerification();
    await hub.subgraphs.consent.checkpointer!.checkpoint();
    const before = await ownVerification();
    assert.equal(before.intact, true, before.summary);
    assert.deepEqual(before.cosignedBy, []);
    assert.equal(before.checkpointSize, null);
    assert.match(
      before.summary,
      /^consent: intact up to record \d+ with head hash [0-9a-f]{64}; no checkpoint of this log is cosigned by another party yet$/,
    );
  });

  it("cosigns the registry's checkpoint with the jobcenter's own witness key and hands the cosignature back", async () => {
    const round = await hub.subgraphs.jobcenter.officerLogWitness!.round();
    assert.equal(round.outcome.status, 'COSIGNED', JSON.stringify(round.outcome));
    assert.match(
      round.handedBack ?? '',
      /^cosignature of checkpoint \d+ handed back to the registry, which publishes it$/,
    );
    const { checkpoint } = (await (await fetch(registry('officer-log/audit/checkpoint'))).json()) as {
      checkpoint: CosignedCheckpoint;
    };
    assert.equal(checkpoint.logId, 'verbund:consent');
    assert.deepEqual(
      checkpoint.cosignatures.map((c) => c.witness),
      ['jobcenter'],
    );
    // The jobcenter publishes the key it witnesses with, apart from its log key, for the registry's operator to pin.
    const witnessKeys = (await (await fetch(new URL('/audit/witness-keys', hub.subgraphs.jobcenter.url))).json()) as {
      witness: string;
      keys: PublishedKey[];
    };
    assert.equal(witnessKeys.witness, 'jobcenter');
    const logKeys = (await (await fetch(new URL('/audit/keys', hub.subgraphs.jobcenter.url))).json()) as {
      keys: PublishedKey[];
    };
    assert.ok(!logKeys.keys.some((k) => witnessKeys.keys.some((w) => w.keyId === k.keyId)), 'not its log key');
    const keys = new Map(witnessKeys.keys.map((k) => [k.keyId, publicKeyFrom(k)]));
    assert.equal(cosignatureProblem(checkpoint, checkpoint.cosignatures[0], keys), undefined);
    // What it cosigned is kept in the jobcenter's own database, append-only for its role.
    const [kept] = await hub.subgraphs.jobcenter.db.query<{ size: string; witness: string }[]>(
      `SELECT size, witness FROM cosigned_checkpoint WHERE log_id = 'verbund:consent' ORDER BY size DESC LIMIT 1`,
    );
    assert.deepEqual(kept, { size: String(checkpoint.size), witness: 'jobcenter' });
    await assert.rejects(hub.subgraphs.jobcenter.db.query(`DELETE FROM cosigned_checkpoint`), /permission denied/);
  });

  it('has the verification name the cosigning party and the checkpoint whose root the records still have', async () => {
    const after = await ownVerification();
    assert.equal(after.intact, true, after.summary);
    assert.deepEqual(after.cosignedBy, ['jobcenter']);
    assert.ok(after.checkpointSize! > 0);
    const covered = after.checkpointSize === 1 ? 'record 1 has' : `records 1–${after.checkpointSize} have`;
    assert.match(
      after.summary,
      new RegExp(
        `^consent: intact up to record \\d+ with head hash [0-9a-f]{64}; ${covered} the root of checkpoint \\d+, cosigned by jobcenter; \\d+ newer records? await the next cosigned checkpoint$`,
      ),
    );
  });

  it('cosigns the next checkpoint only as an extension of the last one, round after round', async () => {
    await ownVerification();
    const first = await hub.subgraphs.jobcenter.officerLogWitness!.last();
    await hub.subgraphs.consent.checkpointer!.checkpoint();
    const round = await hub.subgraphs.jobcenter.officerLogWitness!.round();
    assert.equal(round.outcome.status, 'COSIGNED');
    const second = await hub.subgraphs.jobcenter.officerLogWitness!.last();
    assert.ok(second!.size > first!.size, `${second!.size} after ${first!.size}`);
    // Nothing new: the next round changes nothing and hands the same cosignature back again (kept once).
    const again = await hub.subgraphs.jobcenter.officerLogWitness!.round();
    assert.equal(again.outcome.status, 'UNCHANGED');
  });

  it("finds a cosigned checkpoint altered afterwards by the registry's administrator, and the jobcenter refuses it", async () => {
    const consent = await admin('consent');
    const [{ size }] = await consent.query<{ size: string }[]>('SELECT max(size) AS size FROM officer_log_cosignature');
    await consent.transaction(async (m) => {
      await m.query('ALTER TABLE disclosure_checkpoint DISABLE TRIGGER USER');
      await m.query(`UPDATE disclosure_checkpoint SET root = $1 WHERE size = $2`, ['ab'.repeat(32), size]);
      await m.query('ALTER TABLE disclosure_checkpoint ENABLE TRIGGER USER');
    });
    const found = await ownVerification();
    assert.equal(found.intact, false, found.summary);
    assert.deepEqual(
      found.problems.map((p) => [p.kind, p.sequence]),
      [['ALTERED', Number(size)]],
    );
    assert.match(
      found.summary,
      new RegExp(
        `records 1–${size} no longer have the root of checkpoint \\d+, cosigned by jobcenter: the log was rewritten`,
      ),
    );
    // The witness sees a checkpoint of the same size with another root: an alarm, kept, and nothing cosigned.
    const round = await hub.subgraphs.jobcenter.officerLogWitness!.round();
    assert.equal(round.outcome.status, 'ALARM');
    assert.equal(round.handedBack, undefined);
    const alarms = await hub.subgraphs.jobcenter.db.query<{ log_id: string }[]>('SELECT log_id FROM checkpoint_alarm');
    assert.deepEqual(
      alarms.map((a) => a.log_id),
      ['verbund:consent'],
    );
    // And it shows where an operator looks: the jobcenter's metrics (alert VerbundOfficerLogWitnessAlarm).
    const metrics = await (await fetch(new URL('/metrics', hub.subgraphs.jobcenter.url))).text();
    assert.match(metrics, /^verbund_officer_log_witness_alarms\{part="jobcenter"\} 1$/m);
  });
});
