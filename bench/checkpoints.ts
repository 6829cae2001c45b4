/**
 * `npm run bench:checkpoints -- [--records 100000] [--synthetic 1000000]` (needs DATABASE_URL): measures the
 * signed checkpoints of a disclosure log and prints the figures.
 *
 * - With `--records` real records (chained, attested, as the process appends them): the checkpointer's cost
 *   over all of them and over 1000 new ones, a full verification and one resumed from the checkpoint before,
 *   signing, and witnessing (consistency proof, check, cosignature).
 * - With `--synthetic` records whose hashes are made up (the tree does not look at content): inclusion and
 *   consistency proofs read from the stored nodes, their size, and their verification time.
 * Figures for sizes not measured are extrapolated in the output from what is (linear or logarithmic, as said).
 */
import 'reflect-metadata';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { attest, attestationRows } from '../common/audit/log/attestation.js';
import { OwnRecords } from '../common/audit/log/disclosure-log.repository.js';
import { witnessCheckpoint, type WitnessStore } from '../common/audit/witness/checkpoint-witness.js';
import {
  cosign,
  signCheckpoint,
  type Checkpoint,
  type Cosignature,
  type CosignedCheckpoint,
} from '../common/audit/proofs/checkpoint.js';
import { verifyCheckpointed } from '../common/audit/proofs/checkpoint.verification.js';
import { Checkpointer, GrowingTree } from '../common/audit/proofs/checkpointer.js';
import { readHead } from '../common/audit/log/disclosure-log.table.js';
import { ephemeralKeyRing, publishKeys, type PublishedKey } from '../common/audit/log/log-keys.js';
import { verifyConsistency, verifyInclusion } from '../common/audit/proofs/merkle.js';
import { recordLeaf, TreeStore } from '../common/audit/proofs/merkle-store.js';
import { chainEntries, type DisclosureEntry } from '../common/audit/log/record.js';
import { loadConfigOrExit } from '../common/config.js';
import { createDataSource } from '../common/db/data-source.js';
import { dropDatabase, provisionDatabase } from '../common/db/provision.js';
import { migrateSubgraph } from '../common/subgraph/runtime.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';

const { values } = parseArgs({ options: { records: { type: 'string' }, synthetic: { type: 'string' } } });
const realCount = Number(values.records ?? 100_000);
const syntheticCount = Number(values.synthetic ?? 1_000_000);
const config = loadConfigOrExit();
if (!config.databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server for the benchmark databases.');
  process.exit(64);
}
const adminUrl = config.databaseUrl;
const out = (line: string) => console.log(line);
const ms = (start: number) => performance.now() - start;

function entry(i: number): DisclosureEntry {
  return {
    requestId: `bench-${i}`,
    agency: 'municipality:08999001',
    officer: 'bench.officer',
    roles: ['CASEWORKER'],
    purpose: 'HOUSING_ALLOCATION',
    operation: 'PersonView',
    kind: 'READ',
    personId: '00000000-0000-4000-8000-' + String(i % 1e12).padStart(12, '0'),
    released: [
      { field: 'Person.employment', category: 'EMPLOYMENT' },
      { field: 'Person.benefits', category: 'BENEFITS' },
    ],
    refused: [{ field: 'Person.integrationCourse', category: 'INTEGRATION_COURSE', reason: 'CONSENT_REQUIRED' }],
    basis: [{ category: 'EMPLOYMENT', basis: 'STATUTE:sgb2-housing' }],
    changes: [],
    retention: null,
    policyVersion: 'bench',
    correlationId: null,
  };
}

async function database(name: string) {
  await dropDatabase(adminUrl, name);
  const provisioned = await provisionDatabase(adminUrl, 'jobcenter', name);
  await migrateSubgraph(jobcenterSubgraph, provisioned);
  const admin = await createDataSource({ url: provisioned.adminUrl, entities: [] }).initialize();
  return {
    admin,
    drop: async () => {
      await admin.destroy();
      await dropDatabase(adminUrl, name);
    },
  };
}

const keys = ephemeralKeyRing();

/**
 * Appends `count` records as the process would (attested, chained), in batches, as administrator for speed;
 * into `own`, what the process remembers of the records it appended (hash and attested digest).
 */
async function appendReal(
  db: Awaited<ReturnType<typeof database>>['admin'],
  from: number,
  count: number,
  own?: OwnRecords,
) {
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, i) => entry(from + start + i));
    await attest(db, keys, batch);
    const records = chainEntries(batch, await readHead(db), new Date());
    const params: unknown[] = [];
    const rows = records.map((r, i) => {
      params.push(
        r.sequence,
        r.at,
        r.requestId,
        r.agency,
        r.officer,
        r.roles,
        r.purpose,
        r.operation,
        r.kind,
        r.personId,
        JSON.stringify(r.released),
        JSON.stringify(r.refused),
        JSON.stringify(r.basis),
        '[]',
        r.policyVersion,
        r.previousHash,
        r.hash,
        r.officerSalt ?? null,
      );
      const b = i * 18;
      return `(${Array.from({ length: 18 }, (_, k) => `$${b + k + 1}`).join(', ')})`;
    });
    await db.query(
      `INSERT INTO disclosure_log (sequence, at, request_id, agency, officer, roles, purpose, operation, kind, person_id, released, refused, basis, changes, policy_version, previous_hash, hash, officer_salt) VALUES ${rows.join(', ')}`,
      params,
    );
    own?.remember(records, attestationRows(keys, batch));
  }
}

class MemoryStore implements WitnessStore {
  cosigned: CosignedCheckpoint[] = [];
  pinned: PublishedKey[] = [];
  async last() {
    return this.cosigned.at(-1) ?? null;
  }
  async keys() {
    return this.pinned;
  }
  async addKeys(_l: string, k: PublishedKey[]) {
    this.pinned.push(...k);
  }
  async save(c: Checkpoint, s: Cosignature) {
    this.cosigned.push({ ...c, cosignatures: [s] });
  }
  async alarm(_l: string, _s: number, message: string) {
    throw new Error(message);
  }
}

out(`# Disclosure log checkpoints: figures (node ${process.version})`);
// --- real records ---
{
  const { admin, drop } = await database('verbund_benchckp_real');
  try {
    let t = performance.now();
    await appendReal(admin, 0, realCount);
    out(`appended ${realCount} attested records in ${(ms(t) / 1000).toFixed(1)} s (set-up, not a figure of the hub)`);
    const checkpointer = new Checkpointer(admin, 'jobcenter', keys, () => undefined);
    t = performance.now();
    const first = await checkpointer.checkpoint();
    const full = ms(t);
    out(
      `checkpoint over ${realCount} new records: ${(full / 1000).toFixed(2)} s = ${((full * 1000) / realCount).toFixed(1)} µs per record (read, rehash, attestation check, tree, node rows, sign)`,
    );
    const store = new MemoryStore();
    const read = async (path: string): Promise<unknown> => {
      if (path === '/audit/keys') return { logId: 'verbund:jobcenter', keys: publishKeys(keys) };
      const latest = (await checkpointer.latest())!;
      const from = Number(new URL(path, 'http://x').searchParams.get('from') ?? 0);
      const { frontier: _f, lastHash: _h, ...checkpoint } = latest;
      return {
        checkpoint,
        consistency: from
          ? (await new TreeStore(admin).consistencyProof(from, latest.size)).map((h) => h.toString('hex'))
          : null,
      };
    };
    const witnessKeys = ephemeralKeyRing();
    const pinned = { 'verbund:jobcenter': publishKeys(keys) };
    await witnessCheckpoint({ store, keys: witnessKeys, witness: 'bench', read, pinned });
    await appendReal(admin, realCount, 1000);
    t = performance.now();
    const second = await checkpointer.checkpoint();
    const incremental = ms(t);
    out(
      `checkpoint over 1000 new records after ${realCount}: ${incremental.toFixed(0)} ms = ${incremental.toFixed(1)} µs per record`,
    );
    t = performance.now();
    const witnessed = await witnessCheckpoint({ store, keys: witnessKeys, witness: 'bench', read, pinned });
    out(
      `witnessing it (keys, checkpoint + consistency proof ${realCount} → ${second.checkpoint!.size} read from the stored nodes, signature, proof check, cosignature): ${ms(t).toFixed(1)} ms (${witnessed.status})`,
    );
    const n = 2000;
    t = performance.now();
    for (let i = 0; i < n; i++) signCheckpoint(keys, 'verbund:jobcenter', i, 'ab'.repeat(32));
    out(
      `signing one checkpoint (Ed25519): ${((ms(t) * 1000) / n).toFixed(0)} µs; cosigning: ${(() => {
        const s = performance.now();
        for (let i = 0; i < n; i++) cosign(witnessKeys, 'bench', first.checkpoint!);
        return ((ms(s) * 1000) / n).toFixed(0);
      })()} µs`,
    );
    const verifyLoop = monitorEventLoopDelay({ resolution: 1 });
    verifyLoop.enable();
    t = performance.now();
    const fromStart = await verifyCheckpointed(admin, 'jobcenter', keys, {});
    const fullVerify = ms(t);
    verifyLoop.disable();
    t = performance.now();
    const resumed = await verifyCheckpointed(admin, 'jobcenter', keys, {
      from: { size: first.checkpoint!.size, root: first.checkpoint!.root },
    });
    const resumedVerify = ms(t);
    out(
      `verification from the start (${fromStart.records} records, intact ${fromStart.intact}): ${(fullVerify / 1000).toFixed(2)} s = ${((fullVerify * 1000) / fromStart.records).toFixed(1)} µs per record; longest pause of the event loop meanwhile ${(verifyLoop.max / 1e6).toFixed(1)} ms`,
    );
    out(
      `verification resumed from the checkpoint before (${resumed.records} records, intact ${resumed.intact}): ${resumedVerify.toFixed(0)} ms`,
    );
    out(
      `extrapolated, linear in records: a checkpoint over a day of 100,000 new records ≈ ${(((full / realCount) * 100_000) / 1000).toFixed(1)} s; verification from the start at 1M ≈ ${(((fullVerify / fromStart.records) * 1e6) / 1000).toFixed(0)} s, at 10M ≈ ${(((fullVerify / fromStart.records) * 1e7) / 1000).toFixed(0)} s (resumed: the new records only)`,
    );
    // A minute of a busy subgraph (100 records/s): the checkpointer runs in the subgraph's own process, so the
    // longest stretch it holds the event loop is how long a request arriving then waits for it.
    await appendReal(admin, realCount + 1000, 6000);
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    t = performance.now();
    await checkpointer.checkpoint();
    const minute = ms(t);
    loop.disable();
    out(
      `checkpoint over 6000 new records (a minute at 100 records/s): ${minute.toFixed(0)} ms; longest pause of the process's event loop meanwhile ${(loop.max / 1e6).toFixed(1)} ms (a request arriving then waits that long)`,
    );
    // The same for records the process appended itself: the checkpointer takes their hashes and digests from
    // what the process remembers and does not read them back (OwnRecords).
    const own = new OwnRecords();
    const ownCheckpointer = new Checkpointer(admin, 'jobcenter', keys, (message) => out(`warning: ${message}`), own);
    for (const count of [1000, 6000]) {
      const head = await readHead(admin);
      await appendReal(admin, head.sequence, count, own);
      const ownLoop = monitorEventLoopDelay({ resolution: 1 });
      ownLoop.enable();
      t = performance.now();
      const result = await ownCheckpointer.checkpoint();
      const took = ms(t);
      ownLoop.disable();
      if (result.checkpoint?.size !== head.sequence + count)
        throw new Error(
          `the checkpoint over the process's own records stopped early: ${JSON.stringify(result.stoppedAt)}`,
        );
      out(
        `checkpoint over ${count} new records the process appended itself (not read back): ${took.toFixed(0)} ms = ${((took * 1000) / count).toFixed(1)} µs per record; longest pause of the event loop ${(ownLoop.max / 1e6).toFixed(1)} ms (covered through ${result.checkpoint?.size})`,
      );
    }
  } finally {
    await drop();
  }
}

// --- synthetic records: proofs ---
{
  const { admin, drop } = await database('verbund_benchckp_synthetic');
  try {
    let t = performance.now();
    await admin.query(`ALTER TABLE disclosure_log DISABLE TRIGGER USER`);
    for (let start = 0; start < syntheticCount; start += 200_000) {
      const end = Math.min(syntheticCount, start + 200_000);
      await admin.query(
        `INSERT INTO disclosure_log (sequence, at, request_id, agency, officer, roles, purpose, operation, kind, person_id, released, refused, basis, changes, policy_version, previous_hash, hash)
         SELECT i, now(), 'r' || i, 'county', 'o', '{CASEWORKER}', 'CLEARING', null, 'READ', null, '[]', '[]', '[]', '[]', 'bench',
                encode(sha256(((i - 1)::text)::bytea), 'hex'), encode(sha256((i::text)::bytea), 'hex')
         FROM generate_series($1::bigint, $2::bigint) AS i`,
        [start + 1, end],
      );
    }
    const tree = new GrowingTree({ size: 0, nodes: [] });
    for (let after = 0; after < syntheticCount; after += 100_000) {
      const rows = await admin.query<{ hash: string }[]>(
        'SELECT hash FROM disclosure_log WHERE sequence > $1 ORDER BY sequence LIMIT 100000',
        [after],
      );
      for (const row of rows) tree.append(recordLeaf(row.hash));
    }
    for (let i = 0; i < tree.closed.length; i += 10_000) {
      const chunk = tree.closed.slice(i, i + 10_000);
      await admin.query(
        'INSERT INTO merkle_node (level, position, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
        [chunk.map((c) => c.level), chunk.map((c) => c.position), chunk.map((c) => c.hash)],
      );
    }
    const root = tree.frontier.root();
    out(
      `\nsynthetic log of ${syntheticCount} records and its tree built in ${(ms(t) / 1000).toFixed(1)} s (set-up); ${tree.closed.length} stored nodes (${((tree.closed.length * 32) / 1e6).toFixed(1)} MB of hashes, ${((tree.closed.length / syntheticCount) * 100).toFixed(2)} rows per 100 records)`,
    );
    for (const size of [syntheticCount / 10, syntheticCount].map(Math.floor)) {
      const indices = Array.from({ length: 200 }, (_, i) => Math.floor((i * 7919 * 104729) % size));
      t = performance.now();
      const proofs: Buffer[][] = [];
      for (const index of indices) proofs.push(await new TreeStore(admin).inclusionProof(index, size));
      const generate = ms(t) / indices.length;
      const bytes = proofs[0].length * 32;
      if (size === syntheticCount) {
        const leaves = await admin.query<{ sequence: string; hash: string }[]>(
          'SELECT sequence, hash FROM disclosure_log WHERE sequence = ANY($1)',
          [indices.map((i) => i + 1)],
        );
        const bySequence = new Map(leaves.map((l) => [Number(l.sequence), recordLeaf(l.hash)]));
        t = performance.now();
        let ok = 0;
        for (let k = 0; k < 20; k++)
          for (const [j, index] of indices.entries())
            if (verifyInclusion(index, size, bySequence.get(index + 1)!, proofs[j], root)) ok += 1;
        const verify = (ms(t) * 1000) / (20 * indices.length);
        out(
          `inclusion proof in a log of ${size}: ${proofs[0].length} hashes = ${bytes} bytes; read from the database in ${generate.toFixed(2)} ms; verified in ${verify.toFixed(1)} µs (${ok / 20} of ${indices.length} valid)`,
        );
        t = performance.now();
        const consistency = await new TreeStore(admin).consistencyProof(Math.floor(size / 3), size);
        const consistencyMs = ms(t);
        const third = Math.floor(size / 3);
        const oldRoot = await new TreeStore(admin).rangeRoot(0, third);
        t = performance.now();
        const consistent = verifyConsistency(third, size, oldRoot, root, consistency);
        out(
          `consistency proof ${third} → ${size}: ${consistency.length} hashes = ${consistency.length * 32} bytes, read in ${consistencyMs.toFixed(1)} ms, verified in ${(ms(t) * 1000).toFixed(0)} µs (${consistent})`,
        );
      } else {
        out(
          `inclusion proof in a log of ${size}: ${proofs[0].length} hashes = ${bytes} bytes; read from the database in ${generate.toFixed(2)} ms`,
        );
      }
    }
    out(
      `extrapolated to 10,000,000 records: an inclusion proof has ${Math.ceil(Math.log2(1e7))} hashes = ${Math.ceil(Math.log2(1e7)) * 32} bytes (⌈log2 n⌉ · 32); reading and verifying it grows with log n, not n`,
    );
  } finally {
    await admin.query(`ALTER TABLE disclosure_log ENABLE TRIGGER USER`).catch(() => undefined);
    await drop();
  }
}
process.exit(0);
