import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { DisclosureLog } from '../common/audit/log/disclosure-log.repository.js';
import { removeExpiredRecords } from '../common/audit/log/disclosure-log.retention.js';
import type { Queryable } from '../common/audit/log/disclosure-log.table.js';
import { verifyChain } from '../common/audit/log/disclosure-log.verification.js';
import type { DisclosureRecord } from '../common/audit/log/record.js';
import { StatementCounter, createDataSource } from '../common/db/data-source.js';
import { connectionOf } from '../common/db/prepared.js';
import type { DisclosureEntry } from '../common/audit/log/record.js';
import type { ConsentGrant } from '../common/policy/policy.js';
import { demoPersons } from '../seed/world.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';
import { codes, post, type GraphQLResponse } from './support/graphql.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { capturedLog } from './support/quiet-log.js';
import { roundTrips } from './support/round-trips.js';
import { tokenFor } from './support/tokens.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 40);
const MUNICIPALITY = 'municipality:08999002';
/** Every gated Person field of the jobcenter, as the municipality asks for them. */
const GATED = ['employment', 'employmentHistory', 'measures', 'integrationCourse', 'integrationCourses', 'benefits'];
const FIELDS = `employment { status since } employmentHistory { status } measures { kind } integrationCourse { status }
  integrationCourses { courseType } benefits { kind since }`;

/** The Person fields the response carries for entity `index`: present, and no error at that path. */
function receivedFields(response: GraphQLResponse, index: number): string[] {
  const entity = (response.data?._entities as Record<string, unknown>[] | undefined)?.[index];
  if (!entity) return [];
  return GATED.filter(
    (field) =>
      entity[field] !== undefined && !response.errors?.some((e) => e.path?.[1] === index && e.path?.[2] === field),
  ).map((field) => `Person.${field}`);
}

describe('disclosure log of a data subgraph', () => {
  let jobcenter: RunningSubgraph;
  let admin: DataSource;
  let grants: ConsentGrant[] = [];

  const entities = async (token: string, purpose: string, ids: string[], fields = FIELDS, requestId = randomUUID()) =>
    post(jobcenter.url, {
      token,
      purpose,
      headers: { 'x-request-id': requestId },
      query: `query PersonView__jobcenter__0($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id ${fields} } } }`,
      variables: { r: ids.map((id) => ({ __typename: 'Person', id })) },
    });
  const recordsOf = async (requestId: string): Promise<DisclosureRecord[]> =>
    (await jobcenter.log!.records({ limit: 500 })).filter((r) => r.requestId === requestId);
  /** Runs `work` as administrator in a transaction that is rolled back, so tampering leaves no trace. */
  const tamper = async (work: (db: Queryable) => Promise<void>) => {
    const runner = admin.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
      await work(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };

  beforeAll(async () => {
    jobcenter = await startSubgraph(jobcenterSubgraph, {
      seed: { persons, seed: SEED },
      consentLookup: async (_caller, _auth, ids) => grants.filter((g) => ids.includes(g.personId)),
    });
    admin = await createDataSource({ url: jobcenter.adminUrl, entities: [] }).initialize();
  });
  afterAll(async () => {
    await admin.destroy();
    await jobcenter.stop();
  });

  it('records per person exactly the fields the caller received, the refusals and the basis', async () => {
    const [withConsent, without] = [persons[0].id, persons[1].id];
    const consentId = randomUUID();
    grants = [
      {
        id: consentId,
        version: 2,
        personId: withConsent,
        recipients: [MUNICIPALITY],
        purposes: ['HOUSING_ALLOCATION'],
        categories: ['EMPLOYMENT'],
        validFrom: '2026-01-01',
        validUntil: null,
        withdrawnAt: null,
        voidedAt: null,
      },
    ];
    const requestId = randomUUID();
    const response = await entities(
      await tokenFor(MUNICIPALITY, ['CASEWORKER'], 'm.officer'),
      'HOUSING_ALLOCATION',
      [withConsent, without],
      FIELDS,
      requestId,
    );
    assert.equal(response.status, 200);
    const records = await recordsOf(requestId);
    assert.equal(records.length, 2, 'one record per person');
    for (const [index, personId] of [withConsent, without].entries()) {
      const record = records.find((r) => r.personId === personId)!;
      assert.deepEqual(record.released.map((f) => f.field).sort(), receivedFields(response, index).sort());
      assert.equal(record.agency, MUNICIPALITY);
      assert.equal(record.officer, 'm.officer');
      assert.equal(record.purpose, 'HOUSING_ALLOCATION');
      assert.equal(record.operation, 'PersonView');
      assert.equal(record.kind, 'READ');
    }
    const consented = records.find((r) => r.personId === withConsent)!;
    assert.deepEqual(
      consented.released.map((f) => f.field),
      ['Person.employment', 'Person.employmentHistory', 'Person.measures'],
    );
    assert.deepEqual(consented.basis, [{ category: 'EMPLOYMENT', basis: `CONSENT:${consentId}@2` }]);
    assert.deepEqual(
      consented.refused.map((f) => `${f.field} ${f.category} ${f.reason}`),
      [
        'Person.benefits BENEFITS CONSENT_REQUIRED',
        'Person.integrationCourse INTEGRATION_COURSE CONSENT_REQUIRED',
        'Person.integrationCourses INTEGRATION_COURSE CONSENT_REQUIRED',
      ],
    );
    const refusedAll = records.find((r) => r.personId === without)!;
    assert.deepEqual(refusedAll.released, []);
    assert.equal(refusedAll.refused.length, GATED.length);
    grants = [];
  });

  it("records the owning agency's own reads too, with basis OWN_TASK", async () => {
    const requestId = randomUUID();
    const response = await entities(
      await tokenFor('jobcenter'),
      'JOB_PLACEMENT',
      [persons[2].id],
      'employment { status }',
      requestId,
    );
    assert.deepEqual(codes(response), []);
    const [record] = await recordsOf(requestId);
    assert.deepEqual(record.released, [{ field: 'Person.employment', category: 'EMPLOYMENT' }]);
    assert.deepEqual(record.basis, [{ category: 'EMPLOYMENT', basis: 'OWN_TASK' }]);
  });

  it('records a write: who changed which record of which person, for which purpose', async () => {
    const personId = persons[3].id;
    const response = await post(jobcenter.url, {
      token: await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer'),
      purpose: 'JOB_PLACEMENT',
      query: `mutation Record($p: ID!) { recordEmploymentStatus(personId: $p, input: { status: SEEKING, since: "2026-10-01" }) { id } }`,
      variables: { p: personId },
    });
    assert.deepEqual(codes(response), []);
    const id = (response.data!.recordEmploymentStatus as { id: string }).id;
    const [record] = await jobcenter.log!.records({ personId, decision: 'WRITE', limit: 5 });
    assert.equal(record.kind, 'WRITE');
    assert.equal(record.officer, 'j.meyer');
    assert.equal(record.purpose, 'JOB_PLACEMENT');
    assert.deepEqual(record.changes, [{ operation: 'recordEmploymentStatus', record: `EmploymentStatus:${id}` }]);
  });

  it('writes a change and its record together, or neither', async () => {
    const personId = persons[6].id;
    const count = async () =>
      (
        await jobcenter.db.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM employment_status WHERE person_id = $1',
          [personId],
        )
      )[0].n;
    const before = await count();
    const head = (await jobcenter.log!.head()).sequence;
    await admin.query('REVOKE INSERT ON disclosure_log FROM verbund_jobcenter');
    try {
      const response = await post(jobcenter.url, {
        token: await tokenFor('jobcenter'),
        purpose: 'JOB_PLACEMENT',
        query: `mutation($p: ID!) { recordEmploymentStatus(personId: $p, input: { status: SEEKING, since: "2026-10-02" }) { id } }`,
        variables: { p: personId },
      });
      assert.equal(response.data, null);
      assert.deepEqual(codes(response), ['DISCLOSURE_LOG_UNAVAILABLE']);
    } finally {
      await admin.query('GRANT INSERT ON disclosure_log TO verbund_jobcenter');
    }
    assert.equal(await count(), before, 'no change without its record');
    assert.equal((await jobcenter.log!.head()).sequence, head);
  });

  it('cannot be changed: the role may only insert, and a trigger refuses even the owner', async () => {
    for (const statement of [
      'UPDATE disclosure_log SET officer = $1',
      'DELETE FROM disclosure_log WHERE officer <> $1',
      'TRUNCATE disclosure_log',
    ]) {
      await assert.rejects(
        jobcenter.db.query(statement, statement.includes('$1') ? ['x'] : []),
        /permission denied/,
        `${statement} as the subgraph's role`,
      );
    }
    // The role can only extend the chain by one: no far-off sequence that would block every later append.
    const copyLast = `INSERT INTO disclosure_log (sequence, at, request_id, agency, officer, roles, purpose, operation, kind, person_id,
      released, refused, basis, changes, retention, policy_version, previous_hash, hash)
      SELECT $1, at, request_id, agency, officer, roles, purpose, operation, kind, person_id, released, refused, basis, changes,
      retention, policy_version, $2, hash FROM disclosure_log ORDER BY sequence DESC LIMIT 1`;
    const head = await jobcenter.log!.head();
    // Refused as an append that lost a race (check_violation, which the process retries under the lock)...
    const offChain = { code: '23514', message: /does not follow record/ };
    await assert.rejects(jobcenter.db.query(copyLast, ['9223372036854775807', head.hash]), offChain);
    await assert.rejects(jobcenter.db.query(copyLast, [head.sequence + 1, 'f'.repeat(64)]), offChain);
    // ...while a row without a previous hash is left to its NOT NULL constraint, never taken for a lost race.
    await assert.rejects(jobcenter.db.query(copyLast, [head.sequence + 1, null]), { code: '23502' });
    assert.deepEqual(await jobcenter.log!.head(), head);
    // The trigger in the database reads the chain before it asks whether the writer owns the table.
    const [trigger] = await admin.query<{ chain_first: boolean }[]>(
      `SELECT position('pg_has_role' IN prosrc) > position('FROM disclosure_log ORDER BY sequence DESC' IN prosrc) AS chain_first
       FROM pg_proc WHERE proname = 'disclosure_log_next_in_chain'`,
    );
    assert.equal(trigger.chain_first, true);
    // The trigger reads the chain first and asks for the owner only for a row that does not extend it: the
    // owner (who runs the retention operation) is still exempt. Tried in a transaction that is rolled back.
    const runner = admin.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(copyLast, [head.sequence + 5, 'f'.repeat(64)]);
      const [row] = (await runner.query('SELECT max(sequence)::int AS last FROM disclosure_log')) as { last: number }[];
      assert.equal(row.last, head.sequence + 5, "the owner's row off the chain went in");
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    assert.deepEqual(await jobcenter.log!.head(), head);
    await assert.rejects(admin.query(`UPDATE disclosure_log SET officer = 'x'`), /append-only: UPDATE refused/);
    await assert.rejects(admin.query(`DELETE FROM disclosure_log`), /append-only: DELETE refused/);
    await assert.rejects(admin.query(`TRUNCATE disclosure_log`), /append-only: TRUNCATE refused/);
  });

  it('releases nothing when the log cannot be written', async () => {
    const before = (await jobcenter.log!.head()).sequence;
    await admin.query('REVOKE INSERT ON disclosure_log FROM verbund_jobcenter');
    try {
      const response = await entities(await tokenFor('jobcenter'), 'JOB_PLACEMENT', [persons[2].id, persons[4].id]);
      assert.equal(response.data, null);
      assert.deepEqual(codes(response), ['DISCLOSURE_LOG_UNAVAILABLE']);
      assert.doesNotMatch(JSON.stringify(response), /SEEKING|EMPLOYED|IN_TRAINING|IN_MEASURE|NOT_AVAILABLE/);
      // The operator is told why, in the subgraph's log: an error line with the database's own reason.
      const told = capturedLog().filter((line) => /"level":"error"/.test(line) && /permission denied/.test(line));
      assert.ok(told.length > 0, `an error line naming the refused append, among:\n${capturedLog().join('\n')}`);
    } finally {
      await admin.query('GRANT INSERT ON disclosure_log TO verbund_jobcenter');
    }
    assert.equal((await jobcenter.log!.head()).sequence, before);
  });

  it('keeps one linear chain under 50 concurrent requests, committing them in shared batches', async () => {
    const start = (await jobcenter.log!.head()).sequence;
    const token = await tokenFor('jobcenter');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        entities(token, 'JOB_PLACEMENT', [persons[i % persons.length].id, persons[(i + 7) % persons.length].id]),
      ),
    );
    for (const response of responses) assert.deepEqual(codes(response), []);
    const verification = await verifyChain(jobcenter.db);
    assert.equal(verification.intact, true, JSON.stringify(verification.problems));
    assert.equal(verification.lastSequence, start + 100);
    const rows = await jobcenter.db.query<{ batches: number }[]>(
      'SELECT count(DISTINCT at)::int AS batches FROM disclosure_log WHERE sequence > $1',
      [start],
    );
    assert.ok(rows[0].batches < 50, `50 requests were committed in ${rows[0].batches} transactions`);
  });

  it('appends a batch in one statement while the process holds the head, and in the locked transaction when it does not', async () => {
    const counter = new StatementCounter();
    const pool = await createDataSource({ url: jobcenter.roleUrl, entities: [], counter }).initialize();
    try {
      const log = new DisclosureLog(pool);
      const entry = (i: number): DisclosureEntry => readEntry(`one-statement-${i}`, persons[i % persons.length].id);
      const initial = counter.count;
      await log.append([entry(0)]);
      assert.equal(
        counter.count - initial,
        5,
        'the first append reads the head under the lock: BEGIN, lock, head, INSERT, COMMIT',
      );
      for (let i = 1; i <= 3; i++) {
        const before = counter.count;
        await log.append([entry(i), entry(i + 10)]);
        assert.equal(counter.count - before, 1, `append ${i} with the head known`);
      }
      // Another writer moves the chain on: this process's head is stale, the database refuses the one
      // statement, and the batch goes in under the lock, after the other writer's record.
      await jobcenter.log!.append([entry(30)]);
      const before = counter.count;
      await log.append([entry(31)]);
      assert.equal(counter.count - before, 1 + 5, 'the refused statement, then the locked transaction');
      const verification = await verifyChain(jobcenter.db);
      assert.equal(verification.intact, true, JSON.stringify(verification.problems));
      const [last] = await log.records({ limit: 1 });
      assert.equal(last.requestId, 'one-statement-31');
    } finally {
      await pool.destroy();
    }
  });

  it("appends a change's record by one statement sent with its savepoint, and never builds on a rolled-back change", async () => {
    const counter = new StatementCounter();
    const pool = await createDataSource({ url: jobcenter.roleUrl, entities: [], counter }).initialize();
    const inTransaction = async <T>(work: (manager: EntityManager) => Promise<T>, commit: boolean): Promise<T> => {
      const runner = pool.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        return await work(runner.manager);
      } finally {
        if (commit) await runner.commitTransaction();
        else await runner.rollbackTransaction();
        await runner.release();
      }
    };
    try {
      const log = new DisclosureLog(pool);
      const entry = (name: string) => readEntry(`change-${name}`, persons[1].id);
      await log.append([entry('first')]); // the process learns the tail
      let statements = 0;
      let trips = 0;
      let writes = 0;
      await inTransaction(async (manager) => {
        const wire = roundTrips(await connectionOf(manager));
        const before = counter.count;
        await log.appendWithin(manager, [entry('kept')]);
        statements = counter.count - before;
        writes = wire.writes;
        trips = wire.stop();
      }, true);
      assert.equal(statements, 2, 'SAVEPOINT and the one statement');
      assert.equal(trips, 1, 'sent together: one round trip');
      assert.equal(writes, 1, 'and one write to the socket');
      // Outside a transaction the savepoint would fail and the append, sent with it, go in on its own: refused
      // before anything is sent.
      const loose = pool.createQueryRunner();
      try {
        const count = await loose.query('SELECT count(*)::int AS n FROM disclosure_log');
        await assert.rejects(log.appendWithin(loose.manager, [entry('loose')]), /needs a transaction/);
        assert.deepEqual(await loose.query('SELECT count(*)::int AS n FROM disclosure_log'), count);
      } finally {
        await loose.release();
      }
      // A change rolled back after its record was appended: the tail goes back, so the next append does not
      // follow a record that never committed (which the database would refuse, costing a retry).
      const lost = await inTransaction((manager) => log.appendWithin(manager, [entry('rolled-back')]), false);
      log.abandoned(lost);
      const before = counter.count;
      await log.append([entry('after')]);
      assert.equal(counter.count - before, 5, 'the locked append with the head read there, and no refused statement');
      // Another writer moved the chain on while this process held an old tail: refused, undone to the
      // savepoint, and appended under the lock in the same transaction.
      await jobcenter.log!.append([entry('other-writer')]);
      await inTransaction(async (manager) => {
        const wire = roundTrips(await connectionOf(manager));
        const start = counter.count;
        await log.appendWithin(manager, [entry('after-other')]);
        statements = counter.count - start;
        trips = wire.stop();
      }, true);
      assert.equal(statements, 2 + 1 + 3, 'SAVEPOINT, the refused statement, ROLLBACK TO, then lock, head, INSERT');
      assert.equal(trips, 1 + 1 + 3, 'SAVEPOINT with the refused statement, then one each');
      const verification = await verifyChain(jobcenter.db);
      assert.equal(verification.intact, true, JSON.stringify(verification.problems));
      const names = (await log.records({ limit: 5 })).map((r) => r.requestId).reverse();
      assert.deepEqual(names.slice(-4), ['change-kept', 'change-after', 'change-other-writer', 'change-after-other']);
    } finally {
      await pool.destroy();
    }
  });

  it('keeps one linear chain under concurrent writes and reads of one subgraph, every change with its record', async () => {
    const start = (await jobcenter.log!.head()).sequence;
    const token = await tokenFor('jobcenter');
    const write = (i: number) =>
      post(jobcenter.url, {
        token,
        purpose: 'JOB_PLACEMENT',
        query: `mutation($p: ID!) { recordEmploymentStatus(personId: $p, input: { status: SEEKING, since: "2026-10-03" }) { id } }`,
        variables: { p: persons[i % persons.length].id },
      });
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 3 ? entities(token, 'JOB_PLACEMENT', [persons[i % persons.length].id]) : write(i),
      ),
    );
    for (const response of responses) assert.deepEqual(codes(response), []);
    const verification = await verifyChain(jobcenter.db);
    assert.equal(verification.intact, true, JSON.stringify(verification.problems));
    assert.equal(verification.lastSequence, start + 40);
    const [writes] = await jobcenter.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM disclosure_log WHERE sequence > $1 AND kind = 'WRITE'`,
      [start],
    );
    assert.equal(writes.n, 30);
  });

  it('stays one linear chain when two processes (two pools) and a mutation append at once', async () => {
    const start = (await jobcenter.log!.head()).sequence;
    const pools = await Promise.all(
      [0, 1].map(() => createDataSource({ url: jobcenter.roleUrl, entities: [], poolSize: 4 }).initialize()),
    );
    try {
      const writers = pools.map((pool) => new DisclosureLog(pool));
      const appends: Promise<void>[] = [];
      for (let round = 0; round < 40; round++) {
        writers.forEach((writer, w) => {
          appends.push(writer.append([readEntry(`replica-${w}-${round}`, persons[round % persons.length].id)]));
          if (round % 3 === 0)
            appends.push(
              writer.append([
                readEntry(`replica-${w}-${round}-b`, persons[(round + 1) % persons.length].id),
                readEntry(`replica-${w}-${round}-c`, persons[(round + 2) % persons.length].id),
              ]),
            );
        });
        // A third writer: a transaction of the subgraph's own pool, as a mutation's WRITE record takes it.
        if (round % 10 === 0) appends.push(jobcenter.log!.append([readEntry(`subgraph-x-${round}`, persons[0].id)]));
      }
      const results = await Promise.allSettled(appends);
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
        "every append commits, however stale a writer's head",
      );
      const written = 2 * (40 + 14 * 2) + 4;
      const verification = await verifyChain(jobcenter.db);
      assert.equal(verification.intact, true, JSON.stringify(verification.problems));
      assert.equal(verification.lastSequence, start + written);
      const rows = await jobcenter.db.query<{ sequence: string; previous_hash: string; request_id: string }[]>(
        'SELECT sequence, previous_hash, request_id FROM disclosure_log WHERE sequence > $1 ORDER BY sequence',
        [start],
      );
      assert.equal(rows.length, written);
      assert.equal(
        new Set(rows.map((r) => r.previous_hash)).size,
        written,
        'no two records follow the same record (no fork)',
      );
      const writerOf = rows.map((r) => r.request_id.split('-').slice(0, 2).join('-'));
      const changes = writerOf.filter((w, i) => i > 0 && w !== writerOf[i - 1]).length;
      assert.ok(
        new Set(writerOf).size >= 3 && changes >= 2,
        `all three writers interleave on one chain (${changes} changes of writer)`,
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.destroy()));
    }
  });

  it('detects an altered record, a removed record and a cut-off end', async () => {
    const head = await jobcenter.log!.head();
    const witnessed = { ...head, seenAt: new Date() };
    assert.equal((await verifyChain(jobcenter.db, witnessed)).intact, true);

    await tamper(async (db) => {
      await db.query(`UPDATE disclosure_log SET released = '[]'::jsonb WHERE sequence = 3`);
      const v = await verifyChain(db, witnessed);
      assert.deepEqual(
        v.problems.map((p) => [p.kind, p.sequence]),
        [['ALTERED', 3]],
      );
    });
    await tamper(async (db) => {
      // Altered and re-hashed: the record itself checks out, but its successor no longer follows it.
      const [row] = (await db.query('SELECT hash FROM disclosure_log WHERE sequence = 4')) as { hash: string }[];
      await db.query(`UPDATE disclosure_log SET hash = $1 WHERE sequence = 4`, [
        row.hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      ]);
      const v = await verifyChain(db, witnessed);
      assert.ok(
        v.problems.some((p) => p.kind === 'ALTERED' && p.sequence === 4),
        JSON.stringify(v.problems),
      );
    });
    await tamper(async (db) => {
      await db.query('DELETE FROM disclosure_log WHERE sequence IN (5, 6)');
      const v = await verifyChain(db, witnessed);
      assert.deepEqual(
        v.problems.map((p) => p.message),
        ['records 5 to 6 were removed'],
      );
    });
    await tamper(async (db) => {
      await db.query('DELETE FROM disclosure_log WHERE sequence = 1');
      const v = await verifyChain(db, witnessed);
      assert.deepEqual(
        v.problems.map((p) => p.message),
        ['record 1 was removed without a retention record'],
      );
    });
    await tamper(async (db) => {
      await db.query('DELETE FROM disclosure_log WHERE sequence > $1', [head.sequence - 3]);
      const alone = await verifyChain(db);
      assert.equal(alone.intact, true, 'a plain hash chain cannot see its end cut off');
      const v = await verifyChain(db, witnessed);
      assert.deepEqual(
        v.problems.map((p) => [p.kind, p.sequence]),
        [['TRUNCATED', head.sequence - 2]],
      );
      assert.match(
        v.problems[0].message,
        new RegExp(`records after ${head.sequence - 3} were cut off: the consent registry saw record ${head.sequence}`),
      );
    });
    assert.equal(
      (await verifyChain(jobcenter.db, witnessed)).intact,
      true,
      'the rolled-back tampering left the log as it was',
    );
  });

  it('removes expired records only by the retention operation, which leaves a verifiable record', async () => {
    const head = await jobcenter.log!.head();
    await entities(await tokenFor('jobcenter'), 'JOB_PLACEMENT', [persons[5].id]);
    const [kept] = await jobcenter.db.query<{ at: Date }[]>(
      'SELECT at FROM disclosure_log ORDER BY sequence DESC LIMIT 1',
    );
    const detail = await removeExpiredRecords(admin, {
      cutoff: kept.at,
      operator: 'retention-test',
      agency: 'jobcenter',
      policyVersion: 'test',
      reason: 'test retention',
    });
    assert.deepEqual(
      { from: detail?.removedFrom, through: detail?.removedThrough, count: detail?.count },
      { from: 1, through: head.sequence, count: head.sequence },
    );
    const v = await verifyChain(jobcenter.db, { ...head, seenAt: new Date() });
    assert.equal(v.intact, true, JSON.stringify(v.problems));
    assert.equal(v.firstSequence, head.sequence + 1);
    assert.equal(v.records, 2, 'the kept record and the retention record');
    const [retention] = await jobcenter.log!.records({ limit: 1 });
    assert.equal(retention.kind, 'RETENTION');
    assert.equal(retention.retention?.reason, 'test retention');
    // Removing records younger than the retention period shows when verification knows that period.
    const strict = await verifyChain(jobcenter.db, undefined, 730);
    assert.deepEqual(
      strict.problems.map((p) => [p.kind, p.sequence]),
      [['REMOVED', 1]],
    );
    assert.match(strict.problems[0].message, /inside the retention period of 730 days/);
  });
});

/** A READ record of the jobcenter's own, as the plugin writes one. */
function readEntry(requestId: string, personId: string): DisclosureEntry {
  return {
    requestId,
    agency: 'jobcenter',
    officer: 'j.meyer',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'ChainTest',
    kind: 'READ',
    personId,
    released: [{ field: 'Person.employment', category: 'EMPLOYMENT' }],
    refused: [],
    basis: [{ category: 'EMPLOYMENT', basis: 'OWN_TASK' }],
    changes: [],
    retention: null,
    policyVersion: 'test',
  };
}
