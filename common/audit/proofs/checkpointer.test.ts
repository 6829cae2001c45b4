import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ITEMS_PER_TURN, takingTurns } from '../../schedule.js';
import { attestationRows } from '../log/attestation.js';
import { OwnRecords } from '../log/disclosure-log.repository.js';
import { fromRow, toRowDocument, type Queryable, type RecordRow } from '../log/disclosure-log.table.js';
import { ephemeralKeyRing } from '../log/log-keys.js';
import { chainEntries, GENESIS_HASH, type DisclosureEntry, type DisclosureRecord } from '../log/record.js';
import { verifyChain } from '../log/disclosure-log.verification.js';
import { verifyCheckpointed } from './checkpoint.verification.js';
import { CHECKPOINT_PAGE, Checkpointer } from './checkpointer.js';

/** More than one checkpointer page. */
const RECORDS = CHECKPOINT_PAGE + 200;
/** The turns one pass over `n` items gives: one after every `ITEMS_PER_TURN` of them. */
const turnsOver = (n: number) => Math.floor((n - 1) / ITEMS_PER_TURN);

function entry(): DisclosureEntry {
  return {
    requestId: randomUUID(),
    agency: 'jobcenter',
    officer: 'j.meyer',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'PersonView',
    kind: 'READ',
    personId: randomUUID(),
    released: [{ field: 'Person.employment', category: 'EMPLOYMENT' }],
    refused: [],
    basis: [{ category: 'EMPLOYMENT', basis: 'OWN_TASK' }],
    changes: [],
    retention: null,
    policyVersion: 'test',
  };
}

/**
 * A log held in memory behind the statements the checkpointer and the verifications send: every answer is
 * ready at once, so the only turns the event loop gets are the ones the code gives it (no waiting on a socket).
 */
function memoryLog(keys: ReturnType<typeof ephemeralKeyRing>, copy?: { at: number; of: number }) {
  const statements: string[] = [];
  const entries = Array.from({ length: RECORDS }, entry);
  // A copy: the same content again, correctly chained, without an attestation of its own.
  if (copy) entries[copy.at] = entries[copy.of];
  const chained = chainEntries(entries, { sequence: 0, hash: GENESIS_HASH }, new Date());
  const rows: RecordRow[] = chained.map((record) => {
    const document = toRowDocument(record) as unknown as RecordRow;
    return { ...document, sequence: String(record.sequence), at: record.at, audit: null };
  });
  const attestations = attestationRows(
    keys,
    entries.filter((_, i) => i !== copy?.at),
  ).map((a) => ({ digest: a.digest, keyId: a.key_id, mac: a.mac }));
  const query = async (sql: string, parameters: unknown[] = []): Promise<unknown> => {
    statements.push(sql);
    if (sql.includes('pg_try_advisory_xact_lock')) return [{ locked: true }];
    if (sql.includes('count(*)::int AS n FROM disclosure_checkpoint')) return [{ n: 0 }];
    if (sql.includes('FROM disclosure_checkpoint')) return [];
    if (sql.includes('legacy_through')) return [{ legacy_through: '0' }];
    if (sql.includes('FROM disclosure_attestation_use')) return [];
    if (sql.includes('FROM disclosure_attestation')) {
      const wanted = new Set(parameters[0] as string[]);
      return attestations.filter((a) => wanted.has(a.digest));
    }
    if (sql.includes("kind = 'RETENTION'")) return [];
    if (sql.includes('FROM disclosure_log WHERE sequence > $1 ORDER BY sequence LIMIT')) {
      const after = Number(parameters[0]);
      const limit = Number(parameters[1] ?? /LIMIT (\d+)/.exec(sql)?.[1]);
      return rows.filter((r) => Number(r.sequence) > after).slice(0, limit);
    }
    if (sql.includes('FROM disclosure_log WHERE sequence = ANY($1::bigint[]) ORDER BY sequence')) {
      const wanted = new Set((parameters[0] as string[]).map(String));
      return rows.filter((r) => wanted.has(r.sequence));
    }
    if (sql.startsWith('INSERT')) return [];
    throw new Error(`the memory log does not answer: ${sql}`);
  };
  const db: Queryable = { query };
  /**
   * What the appending process remembers of its records, as its group commit hands them over: the records it
   * chained and the attestations it made of the entries (the copy is not among them: the process did not append it).
   */
  const remembered = () => {
    const own = new OwnRecords();
    const appended = chained.map((record, i) => ({ record, i })).filter(({ i }) => i !== copy?.at);
    own.remember(
      appended.map(({ record }) => record),
      attestationRows(
        keys,
        appended.map(({ i }) => entries[i]),
      ),
    );
    return own;
  };
  /** How many records were read back whole. */
  const readWhole = () => statements.filter((sql) => sql.startsWith('SELECT * FROM disclosure_log')).length;
  return {
    db,
    rows,
    remembered,
    readWhole,
    dataSource: { transaction: (work: (m: Queryable) => unknown) => work(db) } as unknown as DataSource,
  };
}

/** How many turns the event loop took (immediates run) while `work` ran. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return turns;
}

describe('long passes over a log give the event loop turns (a request does not wait for a whole page)', () => {
  it(`takingTurns yields every item in order, with a turn after every ${ITEMS_PER_TURN}`, async () => {
    const seen: (number | 'turn')[] = [];
    let waiting = true;
    const watch = () => {
      if (!waiting) return;
      seen.push('turn');
      setImmediate(watch);
    };
    setImmediate(watch);
    for await (const item of takingTurns([1, 2, 3, 4, 5, 6, 7], 3)) seen.push(item);
    waiting = false;
    assert.deepEqual(seen, [1, 2, 3, 'turn', 4, 5, 6, 'turn', 7]);
  });

  it(`the checkpointer covers ${RECORDS} records with a turn at least every ${ITEMS_PER_TURN}`, async () => {
    const keys = ephemeralKeyRing();
    const { dataSource } = memoryLog(keys);
    let result: Awaited<ReturnType<Checkpointer['checkpoint']>> | undefined;
    const turns = await turnsDuring(async () => {
      result = await new Checkpointer(dataSource, 'jobcenter', keys, (m) => assert.fail(m)).checkpoint();
    });
    assert.equal(result?.signed, true);
    assert.equal(result?.checkpoint?.size, RECORDS);
    // Per page, three passes give turns: the records' digests, the attestations' checks, and covering the records.
    // (The memory log answers at once, so no statement gives the event loop a turn of its own.)
    const expected = 3 * (turnsOver(CHECKPOINT_PAGE) + turnsOver(RECORDS - CHECKPOINT_PAGE));
    assert.ok(turns >= expected, `${turns} turns, at least ${expected} expected`);
  });

  it(`does not cover a copy of a record ${CHECKPOINT_PAGE} records or more after it (the next page)`, async () => {
    const keys = ephemeralKeyRing();
    const copy = { at: CHECKPOINT_PAGE + 100, of: 2 };
    const { dataSource } = memoryLog(keys, copy);
    const warnings: string[] = [];
    const result = await new Checkpointer(dataSource, 'jobcenter', keys, (m) => warnings.push(m)).checkpoint();
    assert.equal(result.checkpoint?.size, copy.at, 'covered up to the record before the copy');
    assert.equal(result.stoppedAt?.sequence, copy.at + 1);
    assert.match(result.stoppedAt?.reason ?? '', /carries no attestation/);
    assert.equal(warnings.length, 1);
  });

  it(`verifying ${RECORDS} records from the start gives turns too (the chain, the records no checkpoint covers)`, async () => {
    const keys = ephemeralKeyRing();
    const { db } = memoryLog(keys);
    let chain: Awaited<ReturnType<typeof verifyChain>> | undefined;
    const chainTurns = await turnsDuring(async () => (chain = await verifyChain(db)));
    assert.equal(chain?.intact, true, JSON.stringify(chain?.problems));
    assert.ok(chainTurns >= turnsOver(RECORDS), `chain: ${chainTurns} turns`);
    let checkpointed: Awaited<ReturnType<typeof verifyCheckpointed>> | undefined;
    const uncoveredTurns = await turnsDuring(
      async () => (checkpointed = await verifyCheckpointed(db, 'jobcenter', keys, {})),
    );
    assert.equal(checkpointed?.pending, RECORDS, JSON.stringify(checkpointed?.problems));
    // The chain, then the records no checkpoint covers: read, their digests, the attestations' checks, sorting.
    const expected = 5 * turnsOver(RECORDS);
    assert.ok(uncoveredTurns >= expected, `${uncoveredTurns} turns, at least ${expected} expected`);
  });
});

describe('records the process appended itself are not read back (OwnRecords)', () => {
  it('signs the same checkpoint without reading a record whole, and forgets what it covered', async () => {
    const keys = ephemeralKeyRing();
    // The memory log stores nothing a checkpoint writes: each run starts from record 1.
    const log = memoryLog(keys);
    const own = log.remembered();
    const before = await new Checkpointer(log.dataSource, 'jobcenter', keys, (m) => assert.fail(m)).checkpoint();
    const readBefore = log.readWhole();
    const after = await new Checkpointer(log.dataSource, 'jobcenter', keys, (m) => assert.fail(m), own).checkpoint();
    assert.equal(readBefore, 2, 'without the memory, each of the two pages is read whole');
    assert.equal(log.readWhole() - readBefore, 0, 'with it, no record is read whole');
    assert.equal(after.checkpoint?.size, RECORDS);
    assert.equal(after.checkpoint?.root, before.checkpoint?.root);
    assert.equal(own.size, 0, 'the covered records are forgotten');
  });

  it(`does not cover a copy ${CHECKPOINT_PAGE} records or more after its remembered original (the next page)`, async () => {
    const keys = ephemeralKeyRing();
    const copy = { at: CHECKPOINT_PAGE + 100, of: 2 };
    const log = memoryLog(keys, copy);
    const own = log.remembered();
    const warnings: string[] = [];
    const result = await new Checkpointer(log.dataSource, 'jobcenter', keys, (m) => warnings.push(m), own).checkpoint();
    assert.equal(log.readWhole(), 1, 'only the page with the copy had a record to read whole');
    assert.equal(result.checkpoint?.size, copy.at, 'covered up to the record before the copy');
    assert.equal(result.stoppedAt?.sequence, copy.at + 1);
    assert.match(result.stoppedAt?.reason ?? '', /carries no attestation/);
    assert.equal(warnings.length, 1, 'the operator is told once');
  });

  it('reads and checks in full a record whose stored hash is not the one remembered', async () => {
    const keys = ephemeralKeyRing();
    const copy = { at: 700, of: 2 };
    const log = memoryLog(keys, copy);
    const own = log.remembered();
    // The process remembers another hash at the copy's place: it did not append the record stored there.
    own.remember([{ ...fromRow(log.rows[copy.at]), hash: 'f'.repeat(64) }], [{ digest: 'x', key_id: '', mac: '' }]);
    const warnings: string[] = [];
    const result = await new Checkpointer(log.dataSource, 'jobcenter', keys, (m) => warnings.push(m), own).checkpoint();
    assert.equal(log.readWhole(), 1, 'the one record not remembered was read whole');
    assert.equal(result.checkpoint?.size, copy.at);
    assert.equal(result.stoppedAt?.sequence, copy.at + 1);
    assert.match(result.stoppedAt?.reason ?? '', /carries no attestation/);
    assert.equal(warnings.length, 1, 'the operator is told once');
  });

  it('covers the hash the process computed; content changed in the database afterwards is found by verification', async () => {
    const keys = ephemeralKeyRing();
    const log = memoryLog(keys);
    const own = log.remembered();
    log.rows[10] = { ...log.rows[10], officer: 'someone.else' };
    const result = await new Checkpointer(log.dataSource, 'jobcenter', keys, (m) => assert.fail(m), own).checkpoint();
    assert.equal(result.checkpoint?.size, RECORDS, 'the checkpoint signs the hashes the process wrote');
    const chain = await verifyChain(log.db);
    assert.equal(chain.intact, false);
    assert.match(JSON.stringify(chain.problems), /"sequence":11/);
  });
});

describe('OwnRecords', () => {
  const record = (sequence: number) => ({ sequence, hash: `h${sequence}` }) as unknown as DisclosureRecord;
  const attested = (sequence: number) => ({ digest: `d${sequence}`, key_id: 'k', mac: 'm' });

  it('remembers hash and digest by sequence, forgets through a checkpoint, and holds at most its limit', () => {
    const own = new OwnRecords(3);
    own.remember([record(1), record(2)], [attested(1), attested(2)]);
    assert.deepEqual(own.get(2), { hash: 'h2', digest: 'd2' });
    own.remember([record(3), record(4)], [attested(3), attested(4)]);
    assert.equal(own.size, 3);
    assert.equal(own.get(1), undefined, 'the oldest is forgotten beyond the limit');
    own.forgetThrough(3);
    assert.deepEqual([own.get(2), own.get(3), own.get(4)?.digest], [undefined, undefined, 'd4']);
  });
});
