import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { entryDigest } from '../common/audit/log/attestation.js';
import { checkpointSignatureProblem, type Checkpoint } from '../common/audit/proofs/checkpoint.js';
import { verifyCheckpointed } from '../common/audit/proofs/checkpoint.verification.js';
import { removeExpiredRecords } from '../common/audit/log/disclosure-log.retention.js';
import { fromRow, readHead, type Queryable } from '../common/audit/log/disclosure-log.table.js';
import { ephemeralKeyRing, publicKeyFrom, type LogKeyRing, type PublishedKey } from '../common/audit/log/log-keys.js';
import {
  consistencyProof,
  inclusionProof,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../common/audit/proofs/merkle.js';
import { recordLeaf, TreeStore } from '../common/audit/proofs/merkle-store.js';
import { chainEntries, type DisclosureEntry } from '../common/audit/log/record.js';
import { createDataSource } from '../common/db/data-source.js';
import { roleName } from '../common/db/provision.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

/** An entry as the disclosure plugin writes it for one person of one request. */
function entry(personId = randomUUID(), requestId = randomUUID()): DisclosureEntry {
  return {
    requestId,
    agency: 'municipality:08999001',
    officer: 'm.koch',
    roles: ['CASEWORKER'],
    purpose: 'HOUSING_ALLOCATION',
    operation: 'PersonView',
    kind: 'READ',
    personId,
    released: [{ field: 'Person.employment', category: 'EMPLOYMENT' }],
    refused: [],
    basis: [{ category: 'EMPLOYMENT', basis: 'STATUTE:sgb2-housing' }],
    changes: [],
    retention: null,
    policyVersion: 'test',
    correlationId: null,
  };
}

/** Appends a correctly chained record after the head, as someone with `db`'s rights, around the process. */
async function forge(db: Queryable, content: DisclosureEntry = entry()): Promise<number> {
  const [record] = chainEntries([content], await readHead(db), new Date());
  await db.query(
    `INSERT INTO disclosure_log (sequence, at, request_id, agency, officer, roles, purpose, operation, kind, person_id, released,
       refused, basis, changes, retention, policy_version, previous_hash, hash, correlation_id, officer_salt)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
    [
      record.sequence,
      record.at,
      record.requestId,
      record.agency,
      record.officer,
      record.roles,
      record.purpose,
      record.operation,
      record.kind,
      record.personId,
      JSON.stringify(record.released),
      JSON.stringify(record.refused),
      JSON.stringify(record.basis),
      JSON.stringify(record.changes),
      null,
      record.policyVersion,
      record.previousHash,
      record.hash,
      null,
      record.officerSalt ?? null,
    ],
  );
  return record.sequence;
}

describe('signed checkpoints of a disclosure log', () => {
  let subgraph: RunningSubgraph;
  let keys: LogKeyRing;
  const base = () => subgraph.url.replace(/\/graphql$/, '');

  beforeAll(async () => {
    keys = ephemeralKeyRing();
    subgraph = await startSubgraph(jobcenterSubgraph, { logKeys: keys });
  });
  afterAll(() => subgraph.stop());

  it('covers what the process appended, signs it, and publishes key and checkpoint without a token', async () => {
    await subgraph.log!.append([entry(), entry(), entry()]);
    assert.equal(subgraph.log!.own!.size, 3, 'the process remembers what it appended');
    const result = await subgraph.checkpointer!.checkpoint();
    assert.equal(result.signed, true);
    assert.equal(result.stoppedAt, null);
    assert.equal(result.checkpoint!.size, 3);
    assert.equal(subgraph.log!.own!.size, 0, 'forgotten once covered');

    const published = (await (await fetch(`${base()}/audit/keys`)).json()) as { logId: string; keys: PublishedKey[] };
    assert.equal(published.logId, 'verbund:jobcenter');
    assert.deepEqual(
      published.keys.map((k) => k.keyId),
      [keys.keyId],
    );
    const publicKeys = new Map(published.keys.map((k) => [k.keyId, publicKeyFrom(k)]));
    const answer = (await (await fetch(`${base()}/audit/checkpoint`)).json()) as { checkpoint: Checkpoint };
    assert.deepEqual(answer.checkpoint, result.checkpoint);
    assert.equal(checkpointSignatureProblem(answer.checkpoint, publicKeys), undefined);
    const forgedRoot = {
      ...answer.checkpoint,
      root: answer.checkpoint.root.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    };
    assert.match(checkpointSignatureProblem(forgedRoot, publicKeys) ?? '', /does not carry a valid signature/);
    assert.match(
      checkpointSignatureProblem(answer.checkpoint, new Map([[keys.keyId, publicKeyFrom({ ...published.keys[0] })]])) ??
        'ok',
      /ok/,
    );
    assert.match(checkpointSignatureProblem(answer.checkpoint, new Map()) ?? '', /not among the log's public keys/);

    // Nothing new: no new checkpoint.
    assert.equal((await subgraph.checkpointer!.checkpoint()).signed, false);
    const verification = await verifyCheckpointed(subgraph.db, 'jobcenter', keys, {});
    assert.equal(verification.intact, true, JSON.stringify(verification.problems));
    assert.equal(verification.checkpoint!.size, 3);
    assert.equal(verification.checkpointNumber, 1);
    assert.equal(verification.pending, 0);
  });

  it("remembers each record of its group commit as stored (either path), never a change's, until a checkpoint covers it", async () => {
    // The first batch after a checkpoint goes in by one statement (the process knows the tail); the change's
    // record goes in within the change's own transaction, which the process cannot see commit.
    await subgraph.log!.append([entry(), entry()]);
    await subgraph.log!.append([entry()]);
    const [changed] = await subgraph.db.transaction((manager) => subgraph.log!.appendWithin(manager, [entry()]));
    const stored = await subgraph.db.query<Parameters<typeof fromRow>[0][]>(
      'SELECT * FROM disclosure_log WHERE sequence > (SELECT max(size) FROM disclosure_checkpoint) ORDER BY sequence',
    );
    assert.equal(stored.length, 4);
    const remembered = stored.map((row) => subgraph.log!.own!.get(Number(row.sequence)));
    assert.deepEqual(
      remembered.slice(0, 3),
      stored.slice(0, 3).map((row) => ({ hash: row.hash, digest: entryDigest(fromRow(row)) })),
      'hash and attested digest of each record, paired as stored',
    );
    assert.equal(remembered[3], undefined, "the change's record is not remembered");
    assert.equal(Number(stored[3].sequence), changed.sequence);
    const run = await subgraph.checkpointer!.checkpoint();
    assert.equal(run.stoppedAt, null);
    assert.equal(run.checkpoint!.size, changed.sequence, "the change's record is read and covered too");
    assert.equal(subgraph.log!.own!.size, 0);
  });

  it('verifies from the last verified checkpoint, walking only the records since', async () => {
    const first = (await subgraph.checkpointer!.latest())!;
    await subgraph.log!.append(Array.from({ length: 5 }, () => entry()));
    const second = (await subgraph.checkpointer!.checkpoint()).checkpoint!;
    assert.equal(second.size, first.size + 5);
    const resumed = await verifyCheckpointed(subgraph.db, 'jobcenter', keys, {
      from: { size: first.size, root: first.root },
    });
    assert.equal(resumed.intact, true, JSON.stringify(resumed.problems));
    assert.equal(resumed.records, 5, 'only the five new records were read');
    assert.equal(resumed.verifiedFrom, first.size);
    assert.equal(resumed.checkpoint!.size, second.size);
    // A verified point whose root the log no longer has is reported, and the log is verified from its start.
    const wrong = await verifyCheckpointed(subgraph.db, 'jobcenter', keys, {
      from: { size: first.size, root: 'ab'.repeat(32) },
    });
    assert.equal(wrong.verifiedFrom, 0);
    assert.equal(wrong.records, second.size);
    assert.deepEqual(
      wrong.problems.map((p) => p.kind),
      ['ALTERED'],
    );
    // Attested records newer than the checkpoint are pending, not problems.
    await subgraph.log!.append([entry()]);
    const pending = await verifyCheckpointed(subgraph.db, 'jobcenter', keys, {
      from: { size: second.size, root: second.root },
    });
    assert.equal(pending.intact, true, JSON.stringify(pending.problems));
    assert.equal(pending.pending, 1);
  });

  it('gives O(log n) inclusion and consistency proofs from stored nodes that match the RFC 9162 tree', async () => {
    // Across several 256-leaf tiles, with checkpoints at sizes that are not powers of two.
    const sizes: number[] = [];
    for (const batch of [300, 211, 290]) {
      await subgraph.log!.append(Array.from({ length: batch }, () => entry()));
      sizes.push((await subgraph.checkpointer!.checkpoint()).checkpoint!.size);
    }
    const rows = await subgraph.db.query<{ hash: string }[]>('SELECT hash FROM disclosure_log ORDER BY sequence');
    const leaves = rows.map((r) => recordLeaf(r.hash));
    const tree = new TreeStore(subgraph.db);
    for (const size of sizes) {
      const root = rootOf(leaves.slice(0, size));
      assert.equal(
        (
          await subgraph.db.query<{ root: string }[]>('SELECT root FROM disclosure_checkpoint WHERE size = $1', [size])
        )[0].root,
        root.toString('hex'),
      );
      for (const index of [0, 1, 255, 256, 257, 511, 512, size - 2, size - 1].filter((i) => i < size)) {
        const proof = await tree.inclusionProof(index, size);
        assert.deepEqual(proof, inclusionProof(index, leaves.slice(0, size)), `inclusion of ${index} in ${size}`);
        assert.ok(verifyInclusion(index, size, leaves[index], proof, root));
      }
    }
    for (const [m, n] of [
      [sizes[0], sizes[1]],
      [sizes[0], sizes[2]],
      [1, sizes[2]],
      [256, sizes[2]],
    ]) {
      const proof = await tree.consistencyProof(m, n);
      assert.deepEqual(proof, consistencyProof(m, leaves.slice(0, n)), `consistency ${m} → ${n}`);
      assert.ok(verifyConsistency(m, n, rootOf(leaves.slice(0, m)), rootOf(leaves.slice(0, n)), proof));
    }
    const stored = await subgraph.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM merkle_node');
    assert.ok(stored[0].n >= 3 && stored[0].n <= 6, `few stored nodes for ${sizes[2]} leaves: ${stored[0].n}`);
  });

  it('answers the checkpoint endpoints by the operation table, and refuses bad input with a clear message', async () => {
    const caseworker = await tokenFor('jobcenter', ['CASEWORKER']);
    const officer = await tokenFor('county', ['CONSENT_OFFICER']);
    const analyst = await tokenFor('county', ['ANALYST']);
    const postAs = (path: string, token: string | null, purpose: string, body: unknown) =>
      fetch(`${base()}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-purpose': purpose,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const size = (await subgraph.checkpointer!.latest())!.size;
    for (const path of ['/audit/checkpoint', '/audit/proofs']) {
      const body = path === '/audit/proofs' ? { sequences: [1], size } : {};
      assert.equal((await postAs(path, null, 'CONSENT_MANAGEMENT', body)).status, 401, `${path} without a token`);
      assert.equal((await postAs(path, caseworker, 'JOB_PLACEMENT', body)).status, 403, `${path} for a caseworker`);
      assert.equal((await postAs(path, analyst, 'MONITORING', body)).status, 403, `${path} for an analyst`);
      assert.equal(
        (await postAs(path, officer, 'CONSENT_MANAGEMENT', body)).status,
        200,
        `${path} for a consent officer`,
      );
    }
    const bad: [unknown, RegExp][] = [
      [{ sequences: [1], size: size + 1 }, /no checkpoint of/],
      [{ sequences: [], size }, /sequences must list 1 to 500/],
      [{ sequences: Array.from({ length: 501 }, (_, i) => i + 1), size }, /sequences must list 1 to 500/],
      [{ sequences: [0], size }, /from 1 to size/],
      [{ sequences: [size + 1], size }, /from 1 to size/],
      [{ sequences: ['1'], size }, /from 1 to size/],
      [{ sequences: [1], size: -1 }, /size must be/],
    ];
    for (const [body, message] of bad) {
      const response = await postAs('/audit/proofs', officer, 'CONSENT_MANAGEMENT', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      assert.equal(answer.errors[0].extensions.code, 'BAD_USER_INPUT');
      assert.match(answer.errors[0].message, message);
    }
    for (const from of ['abc', '0', '-3', '1.5']) {
      assert.equal((await fetch(`${base()}/audit/checkpoint?from=${from}`)).status, 400, `from=${from}`);
    }
    const beyond = (await (await fetch(`${base()}/audit/checkpoint?from=${size + 10}`)).json()) as {
      consistency: unknown;
      message: string;
    };
    assert.equal(beyond.consistency, null);
    assert.match(beyond.message, /no checkpoint beyond/);
    const verifyBad = await postAs('/audit/verify', officer, 'CONSENT_MANAGEMENT', {
      witnessed: null,
      from: { size: 1, root: 'nope' },
    });
    assert.equal(verifyBad.status, 400);
  });
  it('goes on past a RETENTION record that the retention operation attested with the log key', async () => {
    const before = (await subgraph.checkpointer!.checkpoint()).checkpoint!;
    const admin = await createDataSource({ url: subgraph.adminUrl, entities: [] }).initialize();
    try {
      const removed = await removeExpiredRecords(admin, {
        cutoff: new Date(Date.now() + 60_000),
        operator: 'audit:retention',
        agency: 'jobcenter',
        policyVersion: 'test',
        reason: 'test',
        keys,
      });
      assert.equal(removed!.removedThrough, before.size);
    } finally {
      await admin.destroy();
    }
    await subgraph.log!.append([entry()]);
    const after = await subgraph.checkpointer!.checkpoint();
    assert.equal(after.stoppedAt, null, JSON.stringify(after.stoppedAt));
    assert.equal(after.checkpoint!.size, before.size + 2);
    const resumed = await verifyCheckpointed(subgraph.db, 'jobcenter', keys, {
      from: { size: before.size, root: before.root },
    });
    assert.equal(resumed.intact, true, JSON.stringify(resumed.problems));
    const full = await verifyCheckpointed(subgraph.db, 'jobcenter', keys, {});
    assert.equal(full.intact, true, JSON.stringify(full.problems));
  });
});

describe('a forged record that is correctly chained is not covered by a signed checkpoint', () => {
  /**
   * Each way in: the subgraph's runtime role used by someone with database access (an administrator who sets
   * the role), and an attacker who has the process's own database credentials. Each appends a record that
   * extends the hash chain exactly as the process would, and tries to vouch for it.
   */
  const attackers: [string, (s: RunningSubgraph) => Promise<{ db: Queryable; close(): Promise<void> }>][] = [
    [
      "the subgraph's runtime role, set by someone with database access",
      async (s) => {
        const admin = await createDataSource({ url: s.adminUrl, entities: [] }).initialize();
        const runner = admin.createQueryRunner();
        await runner.query(`SET ROLE ${roleName('jobcenter')}`);
        return {
          db: runner,
          close: async () => {
            await runner.release();
            await admin.destroy();
          },
        };
      },
    ],
    [
      "an attacker with the process's database credentials",
      async (s) => {
        const options = s.db.options as { url?: string };
        const stolen: DataSource = await createDataSource({ url: options.url!, entities: [] }).initialize();
        return { db: stolen, close: () => stolen.destroy() };
      },
    ],
  ];

  for (const [who, connect] of attackers) {
    describe(who, () => {
      let subgraph: RunningSubgraph;
      let keys: LogKeyRing;
      let attacker: { db: Queryable; close(): Promise<void> };
      beforeAll(async () => {
        keys = ephemeralKeyRing();
        subgraph = await startSubgraph(jobcenterSubgraph, { logKeys: keys });
        attacker = await connect(subgraph);
      });
      afterAll(async () => {
        await attacker.close();
        await subgraph.stop();
      });

      it('names the forged record, whatever attestation it brings, and covers nothing from it on', async () => {
        await subgraph.log!.append([entry(), entry()]);
        const before = (await subgraph.checkpointer!.checkpoint()).checkpoint!;
        assert.equal(before.size, 2);

        const content = entry();
        const forged = await forge(attacker.db, content);
        assert.equal(forged, 3, 'the chain trigger let the role extend the chain');
        // Its own attestation, with a MAC it cannot compute: a random one, and one of the right form under a key id of the log.
        await attacker.db.query('INSERT INTO disclosure_attestation (digest, key_id, mac) VALUES ($1, $2, $3)', [
          entryDigest(content),
          keys.keyId,
          randomBytes(32).toString('hex'),
        ]);
        // A signed checkpoint it makes up: not signed by the log's key.
        await attacker.db.query(
          `INSERT INTO disclosure_checkpoint (size, root, at, key_id, signature, frontier, last_hash) VALUES (3, $1, now(), $2, $3, $4, $5)`,
          [
            'cd'.repeat(32),
            keys.keyId,
            randomBytes(64).toString('base64'),
            JSON.stringify({ size: 3, nodes: ['cd'.repeat(32), 'ef'.repeat(32)] }),
            'cd'.repeat(32),
          ],
        );
        // The process goes on appending after it.
        await subgraph.log!.append([entry()]);

        const run = await subgraph.checkpointer!.checkpoint();
        assert.equal(run.signed, false, 'no checkpoint covers the forged record');
        assert.equal(run.checkpoint!.size, before.size, 'the newest valid checkpoint is still the one before');
        assert.equal(run.stoppedAt!.sequence, forged);
        assert.match(run.stoppedAt!.reason, /carries no attestation of the jobcenter subgraph's process/);

        const verification = await verifyCheckpointed(subgraph.db, 'jobcenter', keys, {
          from: { size: before.size, root: before.root },
        });
        assert.equal(verification.intact, false);
        const notCovered = verification.problems.filter((p) => p.kind === 'NOT_COVERED');
        assert.ok(
          notCovered.some(
            (p) => p.sequence === forged && /record 3 is not covered by a signed checkpoint/.test(p.message),
          ),
          JSON.stringify(verification.problems),
        );
        assert.ok(
          notCovered.some((p) => p.sequence === 3 && /not made by the log's process, ignored/.test(p.message)),
          'the made-up checkpoint is named',
        );
        assert.equal(verification.pending, 1, "the process's own record after it is attested, pending");
        assert.ok(
          !verification.problems.some((p) => p.sequence === 4),
          'the genuine record after it is not called forged',
        );
      });

      it('cannot pass off a copy of a genuine record: one attestation vouches for one record', async () => {
        const fresh = await startSubgraph(jobcenterSubgraph, { logKeys: keys });
        const thief = await connect(fresh);
        try {
          const genuine = entry();
          await fresh.log!.append([genuine]);
          const copy = await forge(thief.db, genuine);
          const run = await fresh.checkpointer!.checkpoint();
          assert.equal(run.checkpoint!.size, 1);
          assert.equal(run.stoppedAt!.sequence, copy);
          const verification = await verifyCheckpointed(fresh.db, 'jobcenter', keys, {});
          assert.deepEqual(
            verification.problems.map((p) => [p.kind, p.sequence]),
            [['NOT_COVERED', copy]],
          );
        } finally {
          await thief.close();
          await fresh.stop();
        }
      });
    });
  }

  it('a process with another key cannot vouch either: attestations are keyed', async () => {
    const subgraph = await startSubgraph(jobcenterSubgraph, { logKeys: ephemeralKeyRing() });
    const other = await startSubgraph(jobcenterSubgraph, { logKeys: ephemeralKeyRing() });
    try {
      const content = entry();
      // The other process attests the entry in its own database; the attacker copies that attestation over.
      await other.log!.append([content]);
      const [copied] = await other.db.query<{ digest: string; key_id: string; mac: string }[]>(
        'SELECT digest, key_id, mac FROM disclosure_attestation',
      );
      const admin = await createDataSource({ url: subgraph.adminUrl, entities: [] }).initialize();
      try {
        await admin.query('INSERT INTO disclosure_attestation (digest, key_id, mac) VALUES ($1, $2, $3)', [
          copied.digest,
          copied.key_id,
          copied.mac,
        ]);
        await forge(admin, content);
      } finally {
        await admin.destroy();
      }
      const run = await subgraph.checkpointer!.checkpoint();
      assert.equal(run.checkpoint, null);
      assert.equal(run.stoppedAt!.sequence, 1);
    } finally {
      await other.stop();
      await subgraph.stop();
    }
  });
});

describe('a busy log is checkpointed by its count of records, not only on the timer', () => {
  let subgraph: RunningSubgraph;
  beforeAll(async () => {
    subgraph = await startSubgraph(jobcenterSubgraph, { logKeys: ephemeralKeyRing() });
  });
  afterAll(() => subgraph.stop());

  /** The newest checkpoint's size once it reaches `size`, waiting up to about five seconds for the run. */
  const checkpointedSize = async (size: number) => {
    for (let i = 0; i < 100; i++) {
      const latest = await subgraph.checkpointer!.latest();
      if ((latest?.size ?? 0) >= size) return latest!.size;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return (await subgraph.checkpointer!.latest())?.size ?? 0;
  };

  it('starts a run once the process has appended that many records since the last one began', async () => {
    // An hour's interval: only the count can start a run during the test.
    const stop = subgraph.checkpointer!.start(3_600_000, subgraph.log, 5, 0);
    try {
      await subgraph.log!.append([entry(), entry()]);
      await subgraph.log!.append([entry(), entry(), entry()]);
      assert.equal(await checkpointedSize(5), 5);
      // Four more: below the count, no run; the fifth starts one.
      await subgraph.log!.append([entry(), entry(), entry(), entry()]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await subgraph.checkpointer!.latest())?.size, 5);
      await subgraph.log!.append([entry()]);
      assert.equal(await checkpointedSize(10), 10);
    } finally {
      stop();
    }
  });

  it("draws each run's count afresh within the spread, so that subgraphs do not checkpoint in step", async () => {
    const start = (await subgraph.checkpointer!.latest())?.size ?? 0;
    assert.equal(Number((await subgraph.log!.head()).sequence), start, 'every record so far is checkpointed');
    // Every draw at the bottom of the spread: 8 records × (1 − 0.5/2) = 6.
    const stop = subgraph.checkpointer!.start(3_600_000, subgraph.log, 8, 0.5, () => 0);
    try {
      await subgraph.log!.append([entry(), entry(), entry(), entry(), entry()]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await subgraph.checkpointer!.latest())?.size, start, 'five of six: no run yet');
      await subgraph.log!.append([entry()]);
      assert.equal(await checkpointedSize(start + 6), start + 6);
    } finally {
      stop();
    }
    // Every draw at the top: 8 × 1.25 = 10; nine records start no run.
    const draws: number[] = [];
    const stopTop = subgraph.checkpointer!.start(3_600_000, subgraph.log, 8, 0.5, () => {
      draws.push(1);
      return 0.9999;
    });
    try {
      await subgraph.log!.append(Array.from({ length: 9 }, () => entry()));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await subgraph.checkpointer!.latest())?.size, start + 6, 'nine of ten: no run yet');
      await subgraph.log!.append([entry()]);
      assert.equal(await checkpointedSize(start + 16), start + 16);
      // One draw at the start and one for the run that began.
      assert.equal(draws.length, 2);
    } finally {
      stopTop();
    }
  });
});
