import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { joined, oldestLastReread, planSlice, rangesText, subtract, type Reread } from './reread.js';

const DAY = 86_400_000;
const at = (day: number) => new Date(Date.UTC(2026, 11, 1) + day * DAY);
const points = (sizes: number[]) => sizes.map((size) => ({ size, root: 'ab'.repeat(32) }));
const reread = (kind: Reread['kind'], fromSize: number, throughSize: number, day: number, intact = true): Reread => ({
  kind,
  fromSize,
  throughSize,
  intact,
  at: at(day),
});

describe('the rotating slice', () => {
  const verified = points([10, 20, 30, 40, 50, 60, 70]);

  it('is sized by the time since the last slice, so that a sweep takes at most one cycle', () => {
    const rereads = [reread('NEW', 0, 70, 0), reread('SLICE', 0, 20, 0)];
    // One day of a seven-day cycle: 70/7 = 10 records past the last slice's end.
    assert.deepEqual(planSlice({ covered: 70, verified, rereads, cycleMs: 7 * DAY, now: at(1) }), {
      from: verified[1],
      until: verified[2],
    });
    // Three days: 30 records.
    assert.deepEqual(planSlice({ covered: 70, verified, rereads, cycleMs: 7 * DAY, now: at(3) })?.until, verified[4]);
    // More than a cycle without verification: everything overdue at once (to the end of the covered records).
    assert.deepEqual(planSlice({ covered: 70, verified, rereads, cycleMs: 7 * DAY, now: at(30) })?.until, verified[6]);
    // Seconds later: at least one checkpoint's stretch.
    assert.deepEqual(
      planSlice({ covered: 70, verified, rereads, cycleMs: 7 * DAY, now: new Date(at(0).getTime() + 1000) })?.until,
      verified[2],
    );
  });

  it('starts over at the start after a sweep, and has nothing to do below an empty log', () => {
    const swept = [reread('NEW', 0, 70, 0), reread('SLICE', 60, 70, 0)];
    const next = planSlice({ covered: 70, verified, rereads: swept, cycleMs: 7 * DAY, now: at(1) });
    assert.equal(next?.from, undefined);
    assert.equal(next?.until.size, 10);
    assert.equal(planSlice({ covered: 0, verified: [], rereads: [], cycleMs: 7 * DAY, now: at(1) }), null);
  });

  it('every record is re-read within one cycle of daily runs', () => {
    const sizes = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    const rereads: Reread[] = [reread('NEW', 0, 1000, 0)];
    const seen = new Set<number>();
    for (let day = 1; day <= 7; day++) {
      const slice = planSlice({ covered: 1000, verified: points(sizes), rereads, cycleMs: 7 * DAY, now: at(day) })!;
      for (let s = (slice.from?.size ?? 0) + 1; s <= slice.until.size; s++) seen.add(s);
      rereads.push(reread('SLICE', slice.from?.size ?? 0, slice.until.size, day));
    }
    assert.equal(seen.size, 1000);
  });
});

describe('what a verification says it re-read', () => {
  it('subtracts, joins and names ranges', () => {
    assert.deepEqual(subtract([{ from: 1, through: 100 }], [{ from: 21, through: 40 }]), [
      { from: 1, through: 20 },
      { from: 41, through: 100 },
    ]);
    assert.deepEqual(
      joined([
        { from: 41, through: 50 },
        { from: 1, through: 40 },
        { from: 61, through: 70 },
      ]),
      [
        { from: 1, through: 50 },
        { from: 61, through: 70 },
      ],
    );
    assert.equal(
      rangesText([
        { from: 1, through: 20 },
        { from: 41, through: 41 },
        { from: 50, through: 60 },
      ]),
      '1–20, 41 and 50–60',
    );
  });

  it("takes each record's newest intact re-read, and names the oldest of those", () => {
    const rereads = [
      reread('NEW', 0, 50, 0),
      reread('SLICE', 0, 20, 3),
      reread('SLICE', 20, 40, 5, false),
      reread('SLICE', 40, 50, 6),
    ];
    assert.deepEqual(
      oldestLastReread([{ from: 1, through: 50 }], rereads),
      at(0),
      '21–40: the failed re-read counts not',
    );
    assert.deepEqual(oldestLastReread([{ from: 1, through: 20 }], rereads), at(3));
    assert.equal(oldestLastReread([{ from: 51, through: 60 }], rereads), null, 'never re-read');
  });
});
