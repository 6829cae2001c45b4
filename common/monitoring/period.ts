import { badUserInput } from '../errors.js';

/** The region key of the whole district; a municipality is keyed by its eight-digit AGS. */
export const DISTRICT = 'DISTRICT';

/** A reporting period: a month (`2026-09`) or a quarter (`2026-Q3`), with its first and last day. */
export interface Period {
  /** As the caller wrote it, e.g. `2026-Q3`. */
  key: string;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, YYYY-MM-DD: every indicator is a stock as of the end of this day. */
  end: string;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q(\d)$/;
const AGS = /^\d{8}$/;
const FORMAT = 'a month like 2026-09 or a quarter like 2026-Q3';

function isoDay(year: number, monthIndex: number, day: number): string {
  return new Date(Date.UTC(year, monthIndex, day)).toISOString().slice(0, 10);
}

/**
 * Parses a reporting period; throws BAD_USER_INPUT naming the field and what is wrong. Years run from 2000
 * to 2099, which covers every record the hub can hold and keeps typos like `0226-09` out.
 */
export function parsePeriod(value: unknown, field = 'period'): Period {
  const fail = (message: string) => badUserInput([{ field, message }]);
  if (typeof value !== 'string') throw fail(`must be ${FORMAT}`);
  const month = MONTH.exec(value);
  const quarter = QUARTER.exec(value);
  if (!month && !quarter) throw fail(`must be ${FORMAT}, got ${JSON.stringify(value)}`);
  const year = Number((month ?? quarter)![1]);
  if (year < 2000 || year > 2099) throw fail(`year ${year} is outside 2000 to 2099`);
  if (month) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) throw fail(`month ${month[2]} does not exist; months run from 01 to 12`);
    return { key: value, start: isoDay(year, m - 1, 1), end: isoDay(year, m, 0) };
  }
  const q = Number(quarter![2]);
  if (q < 1 || q > 4) throw fail(`quarter Q${q} does not exist; quarters run from Q1 to Q4`);
  return { key: value, start: isoDay(year, 3 * (q - 1), 1), end: isoDay(year, 3 * q, 0) };
}

/**
 * The day a period's figures are counted on: its last day, or `today` (on the district's clock) while the
 * period is still running, so that a running period shows what is known, never a future day's stock.
 */
export function countedOn(end: string, today: string): string {
  return end < today ? end : today;
}

/** Checks an optional municipality argument: absent means the district, else an eight-digit AGS. */
export function parseMunicipality(value: unknown, field = 'municipality'): string {
  if (value === undefined || value === null) return DISTRICT;
  if (typeof value !== 'string' || !AGS.test(value)) {
    throw badUserInput([
      { field, message: `must be a municipality key (AGS) of eight digits, got ${JSON.stringify(value)}` },
    ]);
  }
  return value;
}

/** Checks an entity key's region: `DISTRICT` or an eight-digit AGS. */
export function parseRegion(value: unknown, field = 'region'): string {
  if (value === DISTRICT) return DISTRICT;
  if (typeof value !== 'string' || !AGS.test(value)) {
    throw badUserInput([{ field, message: `must be ${DISTRICT} or a municipality key (AGS) of eight digits` }]);
  }
  return value;
}
