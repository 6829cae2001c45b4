/**
 * A running period is counted on the district's today, never on its future last day: the series of an
 * indicator counts every month-end of the window that has passed on that day, and every later one on today.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { publishFromSeries } from './indicators.js';
import { countedOn } from './period.js';
import { monitoringWindow } from './series.js';
import type { CountTable } from './suppression.js';

describe('the day a period is counted on', () => {
  it('is the last day of a past period and today for a running one', () => {
    assert.equal(countedOn('2026-09-30', '2026-12-06'), '2026-09-30');
    assert.equal(countedOn('2026-12-31', '2026-12-06'), '2026-12-06');
    assert.equal(countedOn('2026-12-31', '2026-12-31'), '2026-12-31');
  });

  it('counts no day after today, and publishes the running month-end with today’s figures', async () => {
    const ends = monitoringWindow();
    const last = ends[ends.length - 1];
    // A today inside the window's last month, before its end: the last month-end lies in the future.
    const today = `${last.slice(0, 8)}02`;
    const asked: string[] = [];
    // 20 own flats on every day counted, and on today 7 more: today's figures differ from any month-end's.
    const count = async (day: string): Promise<CountTable> => {
      asked.push(day);
      const n = day === today ? 27 : 20;
      return { keys: ['OWN_FLAT'], municipalities: new Map([['08999001', { OWN_FLAT: n }]]), unassigned: {} };
    };
    const figures = await publishFromSeries({}, 'housing', count, last, 'DISTRICT', 5, today);
    assert.ok(
      asked.every((day) => day <= today),
      `counted only up to ${today}: ${asked.filter((d) => d > today).join(', ')}`,
    );
    assert.ok(asked.includes(today));
    assert.deepEqual(figures.total, { key: 'TOTAL', value: 27, suppressed: false });
    // A month-end before today keeps its own day.
    const earlier = await publishFromSeries({}, 'housing', count, ends[0], 'DISTRICT', 5, today);
    assert.equal(earlier.total.value, 20);
  });
});
