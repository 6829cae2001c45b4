import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { DISTRICT, parseMunicipality, parsePeriod, parseRegion } from './period.js';

/** The BAD_USER_INPUT problem a call throws, as `field: message`. */
function problem(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    assert.ok(error instanceof GraphQLError);
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    const [p] = error.extensions.problems as { field: string; message: string }[];
    return `${p.field}: ${p.message}`;
  }
  return assert.fail('expected BAD_USER_INPUT');
}

describe('reporting periods', () => {
  it('gives months and quarters their first and last day', () => {
    assert.deepEqual(parsePeriod('2026-09'), { key: '2026-09', start: '2026-09-01', end: '2026-09-30' });
    assert.deepEqual(parsePeriod('2026-12'), { key: '2026-12', start: '2026-12-01', end: '2026-12-31' });
    assert.deepEqual(parsePeriod('2028-02'), { key: '2028-02', start: '2028-02-01', end: '2028-02-29' });
    assert.deepEqual(parsePeriod('2026-Q1'), { key: '2026-Q1', start: '2026-01-01', end: '2026-03-31' });
    assert.deepEqual(parsePeriod('2026-Q3'), { key: '2026-Q3', start: '2026-07-01', end: '2026-09-30' });
    assert.deepEqual(parsePeriod('2026-Q4'), { key: '2026-Q4', start: '2026-10-01', end: '2026-12-31' });
  });

  it('says what is wrong with a bad period', () => {
    assert.equal(
      problem(() => parsePeriod('2026-13')),
      'period: month 13 does not exist; months run from 01 to 12',
    );
    assert.equal(
      problem(() => parsePeriod('2026-00')),
      'period: month 00 does not exist; months run from 01 to 12',
    );
    assert.equal(
      problem(() => parsePeriod('2026-Q5')),
      'period: quarter Q5 does not exist; quarters run from Q1 to Q4',
    );
    assert.equal(
      problem(() => parsePeriod('2026-Q0')),
      'period: quarter Q0 does not exist; quarters run from Q1 to Q4',
    );
    assert.equal(
      problem(() => parsePeriod('1999-01')),
      'period: year 1999 is outside 2000 to 2099',
    );
    for (const bad of ['2026-9', '2026-q3', '26-09', '2026-09-01', '', 'Q3 2026']) {
      assert.match(
        problem(() => parsePeriod(bad)),
        /^period: must be a month like 2026-09 or a quarter like 2026-Q3/,
        bad,
      );
    }
  });

  it('takes no municipality as the district and checks an AGS', () => {
    assert.equal(parseMunicipality(undefined), DISTRICT);
    assert.equal(parseMunicipality(null), DISTRICT);
    assert.equal(parseMunicipality('08999001'), '08999001');
    for (const bad of ['0899900', '089990011', 'Lindenau', DISTRICT]) {
      assert.match(
        problem(() => parseMunicipality(bad)),
        /^municipality: must be a municipality key \(AGS\) of eight digits/,
        bad,
      );
    }
    assert.equal(parseRegion(DISTRICT), DISTRICT);
    assert.equal(parseRegion('08999001'), '08999001');
    assert.match(
      problem(() => parseRegion('district')),
      /^region: must be DISTRICT or a municipality key/,
    );
  });
});
