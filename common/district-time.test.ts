import assert from 'node:assert/strict';
import { describe, it, jest } from '@jest/globals';
import { isTimeZone, localDateOf, nextLocalDate, startOfLocalDate } from './district-time.js';

describe('calendar days in the district time zone', () => {
  it('names the day an instant falls on there, whatever the process zone', () => {
    assert.equal(localDateOf(new Date('2027-06-29T22:00:00Z'), 'Europe/Berlin'), '2027-06-30');
    assert.equal(localDateOf(new Date('2027-06-29T21:59:59Z'), 'Europe/Berlin'), '2027-06-29');
    assert.equal(localDateOf(new Date('2027-06-29T10:00:00Z'), 'Pacific/Kiritimati'), '2027-06-30');
    assert.equal(localDateOf(new Date('2027-06-30T11:59:59Z'), 'Etc/GMT+12'), '2027-06-29');
  });
  it('names the right day for instants asked in any order, across changes of the clock at midnight', () => {
    // Zones whose clocks have changed at midnight (Santiago, São Paulo), at 01:00 back to 00:00 (Havana), at
    // 02:00 (Berlin), and Samoa, which skipped 2011-12-30: every ten minutes of four days around each change,
    // asked in order, shuffled and backwards (the kept day must never answer for another), against a fresh
    // formatter.
    const changes: [string, string][] = [
      ['Europe/Berlin', '2027-03-28T01:00:00Z'],
      ['Europe/Berlin', '2027-10-31T01:00:00Z'],
      ['America/Santiago', '2026-04-05T03:00:00Z'],
      ['America/Santiago', '2026-09-06T04:00:00Z'],
      ['America/Sao_Paulo', '2018-11-04T03:00:00Z'],
      ['America/Sao_Paulo', '2019-02-17T02:00:00Z'],
      ['America/Havana', '2026-11-01T05:00:00Z'],
      ['Pacific/Apia', '2011-12-30T10:00:00Z'],
    ];
    for (const [zone, change] of changes) {
      const reference = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const instants: number[] = [];
      for (let at = Date.parse(change) - 2 * 86_400_000; at <= Date.parse(change) + 2 * 86_400_000; at += 600_000) {
        instants.push(at);
      }
      const shuffled = instants
        .map((at, i) => ({ at, key: (i * 7919) % instants.length }))
        .sort((a, b) => a.key - b.key);
      for (const at of [...instants, ...shuffled.map((s) => s.at), ...instants.reverse()]) {
        assert.equal(localDateOf(new Date(at), zone), reference.format(at), `${zone} at ${new Date(at).toISOString()}`);
      }
    }
  });
  it('names the right day where a change of the clock makes the dates run backwards', () => {
    // Goose Bay set its clocks back at 00:01 until 2011: on 2010-11-07 the date read 11-07 for one minute,
    // then 11-06 again for an hour. Every 30 s of the twelve hours around it, in order and backwards.
    const reference = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Goose_Bay',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const change = Date.parse('2010-11-07T03:01:00Z');
    const instants: number[] = [];
    for (let at = change - 6 * 3_600_000; at <= change + 6 * 3_600_000; at += 30_000) instants.push(at);
    assert.equal(reference.format(change - 30_000), '2010-11-07');
    assert.equal(reference.format(change), '2010-11-06');
    for (const at of [...instants, ...instants.reverse()]) {
      assert.equal(localDateOf(new Date(at), 'America/Goose_Bay'), reference.format(at), new Date(at).toISOString());
    }
  });
  it('formats a plain day once, and a day with a change of the clock once per call', () => {
    // Vienna, which no other test asks: 2027-03-30 has 24 hours, 2027-03-28 (clocks forward) has 23.
    const formats = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const ask = (first: string) => {
        formats.mockClear();
        const dates = new Set<string>();
        for (let i = 0; i < 200; i++)
          dates.add(localDateOf(new Date(Date.parse(first) + i * 271_000), 'Europe/Vienna'));
        return { dates: [...dates], formatted: formats.mock.calls.length };
      };
      const plain = ask('2027-03-29T22:30:00Z');
      assert.deepEqual(plain.dates, ['2027-03-30']);
      // The date, the day's two bounds (two each) and the check at both ends: seven, then comparisons.
      assert.ok(plain.formatted <= 7, `a plain day formatted ${plain.formatted} times for 200 calls`);
      const change = ask('2027-03-27T23:30:00Z');
      assert.deepEqual(change.dates, ['2027-03-28']);
      // Every call formats, but the bounds are computed once, not at every call.
      assert.ok(change.formatted <= 200 + 6, `a day with a change formatted ${change.formatted} times for 200 calls`);
    } finally {
      formats.mockRestore();
    }
  });
  it('finds the first moment of a day, across changes of the clock', () => {
    assert.equal(startOfLocalDate('2027-06-30', 'Europe/Berlin').toISOString(), '2027-06-29T22:00:00.000Z');
    assert.equal(startOfLocalDate('2027-01-15', 'Europe/Berlin').toISOString(), '2027-01-14T23:00:00.000Z');
    // The nights the clocks change in Berlin (2027-03-28 and 2027-10-31).
    assert.equal(startOfLocalDate('2027-03-28', 'Europe/Berlin').toISOString(), '2027-03-27T23:00:00.000Z');
    assert.equal(startOfLocalDate('2027-03-29', 'Europe/Berlin').toISOString(), '2027-03-28T22:00:00.000Z');
    assert.equal(startOfLocalDate('2027-10-31', 'Europe/Berlin').toISOString(), '2027-10-30T22:00:00.000Z');
    assert.equal(startOfLocalDate('2027-11-01', 'Europe/Berlin').toISOString(), '2027-10-31T23:00:00.000Z');
    assert.equal(startOfLocalDate('2027-06-30', 'Pacific/Kiritimati').toISOString(), '2027-06-29T10:00:00.000Z');
  });
  it('counts days across months and leap years', () => {
    assert.equal(nextLocalDate('2028-02-28'), '2028-02-29');
    assert.equal(nextLocalDate('2027-12-31'), '2028-01-01');
  });
  it('knows IANA zones and refuses anything else', () => {
    assert.ok(isTimeZone('Europe/Berlin'));
    assert.ok(!isTimeZone('Berlin'));
    assert.ok(!isTimeZone('Mars/Olympus'));
  });
});
