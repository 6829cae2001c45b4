import assert from 'node:assert/strict';
import { afterEach, describe, it, jest } from '@jest/globals';
import { boundLogText, type DisclosureEntry } from './record.js';
import { REMEMBER_MS, RequestRecords } from './request-records.js';

function entry(over: Partial<DisclosureEntry> = {}): DisclosureEntry {
  return {
    requestId: 'r1',
    agency: 'jobcenter',
    officer: 'j.meyer',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'PersonView',
    kind: 'READ',
    personId: 'p1',
    released: [{ field: 'Person.housing', category: 'HOUSING' }],
    refused: [],
    basis: [{ category: 'HOUSING', basis: 'OWN_TASK' }],
    changes: [],
    retention: null,
    policyVersion: 'v1',
    ...over,
  };
}

/** Every window a test opens, cleared after it: a sweep left running would fire in the next test file. */
const opened: RequestRecords[] = [];
function window(): RequestRecords {
  const records = new RequestRecords();
  opened.push(records);
  return records;
}
afterEach(() => {
  for (const records of opened.splice(0)) records.clear();
});

describe('one record per (request, person)', () => {
  it('writes a repeated entry of the same request once, and the repeat waits for that record', async () => {
    const records = window();
    const first = records.claim([entry()]);
    assert.equal(first.write.length, 1);
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    records.written(first.write, committed);
    const second = records.claim([entry()]);
    assert.deepEqual(second.write, []);
    assert.equal(second.covered.length, 1);
    let settled = false;
    void Promise.all(second.covered).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the repeat waits for the commit');
    commit();
    await Promise.all(second.covered);
  });

  it('writes an entry that says something new, or is of another request, caller or person', () => {
    const records = window();
    records.written([entry()], Promise.resolve());
    const cases: Partial<DisclosureEntry>[] = [
      { released: [{ field: 'Person.residence', category: 'RESIDENCE' }] },
      { refused: [{ field: 'Person.socialCare', category: 'SOCIAL_CARE', reason: 'CONSENT_REQUIRED' }] },
      { requestId: 'r2' },
      { officer: 'other' },
      { purpose: 'CASE_CONFERENCE' },
      { personId: 'p2' },
    ];
    for (const over of cases) assert.equal(records.claim([entry(over)]).write.length, 1, JSON.stringify(over));
    assert.equal(records.claim([entry({ released: [] })]).write.length, 0, 'a subset of what was recorded');
  });

  it('forgets a record that could not be written, so the next fetch writes its own', async () => {
    const records = window();
    const failed = Promise.reject(new Error('log down'));
    records.written([entry()], failed);
    const covered = records.claim([entry()]).covered;
    await assert.rejects(Promise.all(covered));
    assert.equal(records.claim([entry()]).write.length, 1);
  });
});

describe('a bounded window', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('stops its timer and forgets everything when cleared, as when the server stops', () => {
    jest.useFakeTimers();
    const records = window();
    records.written([entry()], Promise.resolve());
    assert.equal(jest.getTimerCount(), 1);
    records.clear();
    assert.equal(jest.getTimerCount(), 0, 'no sweep outlives the server');
    assert.equal(records.size, 0);
  });

  it('forgets a pair after REMEMBER_MS on its own timer, with no further request, and then keeps no timer', () => {
    jest.useFakeTimers();
    const records = window();
    records.written([entry()], Promise.resolve());
    records.written([entry({ personId: 'p2' })], Promise.resolve());
    assert.equal(records.size, 2);
    jest.advanceTimersByTime(REMEMBER_MS - 1000);
    assert.equal(records.size, 2, 'remembered within the window');
    assert.equal(records.claim([entry()]).write.length, 0, 'a repeat within the window writes nothing');
    jest.advanceTimersByTime(2000);
    assert.equal(records.size, 0, 'forgotten without a claim');
    assert.equal(jest.getTimerCount(), 0, 'no timer while nothing is remembered');
    assert.equal(records.claim([entry()]).write.length, 1, 'a repeat after the window writes its own record');
  });

  it('covers a repeat only with items all recorded, also after records of the pair were merged', () => {
    const records = window();
    records.written([entry()], Promise.resolve());
    const residence = { released: [{ field: 'Person.residence', category: 'RESIDENCE' as const }], basis: [] };
    records.written([entry(residence)], Promise.resolve());
    assert.equal(records.size, 1);
    assert.equal(records.claim([entry(residence)]).write.length, 0);
    assert.equal(records.claim([entry()]).write.length, 0);
    // A prefix or part of a recorded item is not that item.
    const part = { released: [{ field: 'Person.house', category: 'HOUSING' as const }] };
    assert.equal(records.claim([entry(part)]).write.length, 1);
  });
});

describe('bounded log strings', () => {
  it('keeps what fits and bounds the rest, keeping long values apart', () => {
    assert.equal(boundLogText('j.meyer', 128), 'j.meyer');
    assert.equal(boundLogText(null, 128), null);
    assert.equal(boundLogText('x'.repeat(128), 128), 'x'.repeat(128));
    const a = boundLogText(`${'x'.repeat(200)}a`, 128);
    const b = boundLogText(`${'x'.repeat(200)}b`, 128);
    assert.equal([...a].length, 128);
    assert.match(a, /^x{111}…[0-9a-f]{16}$/);
    assert.notEqual(a, b);
    assert.equal([...boundLogText('😀'.repeat(300), 128)].length, 128, 'counts characters, never splits one');
  });
});
