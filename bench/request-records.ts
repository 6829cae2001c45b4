/**
 * `node --expose-gc --import tsx bench/request-records.ts [--pairs 20000]`: the memory one subgraph's
 * `RequestRecords` holds per remembered (request, person) pair, for the entries of a person view as the county
 * records them, measured as the heap used after a full collection before and after remembering `--pairs` of
 * them; and how many pairs its window holds at a given rate of person views.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { DisclosureEntry } from '../common/audit/log/record.js';
import { REMEMBER_MS, RequestRecords } from '../common/audit/log/request-records.js';

const { values } = parseArgs({ options: { pairs: { type: 'string' } } });
const pairs = Number(values.pairs ?? 20_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('Run with node --expose-gc --import tsx bench/request-records.ts');
  process.exit(64);
}

/** A person view's entry at the county: identity, residence and language skills released, education refused. */
function entry(): DisclosureEntry {
  return {
    requestId: randomUUID(),
    agency: 'jobcenter',
    officer: 'bench.jobcenter',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'PersonView',
    kind: 'READ',
    personId: randomUUID(),
    released: [
      { field: 'Person.givenName', category: 'IDENTITY' },
      { field: 'Person.familyName', category: 'IDENTITY' },
      { field: 'Person.residence', category: 'RESIDENCE' },
      { field: 'ClearingProfile.languages', category: 'CLEARING_LANGUAGE' },
    ],
    refused: [{ field: 'ClearingProfile.qualifications', category: 'CLEARING_EDUCATION', reason: 'CONSENT_REQUIRED' }],
    basis: [
      { category: 'IDENTITY', basis: 'STATUTE:jobcenter-placement-identity' },
      { category: 'RESIDENCE', basis: 'STATUTE:jobcenter-placement-identity' },
      { category: 'CLEARING_LANGUAGE', basis: `CONSENT:${randomUUID()}@1` },
    ],
    changes: [],
    retention: null,
    policyVersion: 'rules-1+catalogue-example-2026-11',
  };
}

/** Heap used after full collections (two: the first may leave what finalizers free). */
function liveHeap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const entries = Array.from({ length: pairs }, entry);
const records = new RequestRecords();
// Warm: the code paths compiled and their garbage collected before the first reading.
records.written([entry()], Promise.resolve());
await new Promise((resolve) => setImmediate(resolve));
const before = liveHeap();
for (const e of entries) records.written([e], Promise.resolve());
await new Promise((resolve) => setImmediate(resolve));
const perPair = (liveHeap() - before) / pairs;
if (entries.length !== pairs) throw new Error('the entries stay alive throughout');
console.log(
  `RequestRecords: ${pairs} pairs remembered, ${(perPair / 1024).toFixed(2)} KiB each (heap after a full collection)`,
);
console.log(
  `window ${REMEMBER_MS / 1000} s: at 200 person views/s a subgraph remembers ${200 * (REMEMBER_MS / 1000)} pairs, ${((200 * (REMEMBER_MS / 1000) * perPair) / 2 ** 20).toFixed(1)} MiB`,
);
