/**
 * Disclosure control across periods: an indicator is protected as one series, not one table at a time.
 *
 * Every figure is a stock on the last day of a month (a quarter's is its last month's), so the published
 * tables of different periods share no equation; what links them is a change the attacker may know from
 * elsewhere (one family moved out, one course ended). With a count published in one period and withheld in
 * another, a known change gives the withheld one away: 5 in June, withheld in September, "one left" → 4.
 *
 * The rule: the series of an indicator is every month-end of the monitoring window (from
 * `MONITORING_START` to the end of the current quarter), whatever periods a request names. A cell (region and
 * key) withheld at one month-end is withheld at every month-end of the window, and each month's table is
 * completed (secondary suppression) with that pattern until the pattern is the same everywhere. Then even
 * an attacker who knows every cell's exact change between any two periods learns nothing: the suppressed
 * cells of all periods lie on the same cycles, and moving one unit around a cycle in every period at once
 * keeps every published figure and every change (see `suppression.ts` for the cycle argument).
 *
 * Because the series does not depend on the request, asking for periods one by one, together, as months
 * or as quarters, for the district or any set of municipalities gives the same figures. Fail closed: a
 * pattern under which any withheld cell of any month could be worked out from that month's table is never
 * published.
 *
 * Not covered: publications under an older state of the data (records added or corrected later, or the
 * window grown by a month, can withdraw a figure that was published before).
 */
import { badUserInput } from '../errors.js';
import type { Period } from './period.js';
import { isSmall, protectTable, type CountTable, type ProtectedTable } from './suppression.js';

/** The first month of the monitoring window; earlier periods are not published. */
export const MONITORING_START = '2025-01';

function monthEnd(year: number, monthIndex: number): string {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).toISOString().slice(0, 10);
}

/**
 * The month-ends of the monitoring window, oldest first: from `start` (YYYY-MM) to the end of the quarter
 * that contains `today`.
 */
export function monitoringWindow(today: Date = new Date(), start: string = MONITORING_START): string[] {
  const [startYear, startMonth] = start.split('-').map(Number);
  const lastMonthIndex = today.getUTCFullYear() * 12 + Math.floor(today.getUTCMonth() / 3) * 3 + 2;
  const ends: string[] = [];
  for (let m = startYear * 12 + startMonth - 1; m <= lastMonthIndex; m += 1)
    ends.push(monthEnd(Math.floor(m / 12), m % 12));
  return ends;
}

/** Throws BAD_USER_INPUT unless the period lies within the window. */
export function requireInWindow(period: Period, window: readonly string[], field = 'period'): void {
  if (!window.length || period.start < `${window[0].slice(0, 7)}-01` || period.end > window[window.length - 1]) {
    const last = window.at(-1)?.slice(0, 7) ?? '';
    throw badUserInput([
      { field, message: `${period.key} is outside the monitoring window ${window[0]?.slice(0, 7) ?? ''} to ${last}` },
    ]);
  }
}

/** The municipalities of any table, so that every table of the series has the same rows. */
function alignRows(tables: readonly CountTable[]): CountTable[] {
  const all = new Set<string>();
  for (const table of tables) for (const ags of table.municipalities.keys()) all.add(ags);
  return tables.map((table) => ({
    ...table,
    municipalities: new Map([...all].sort().map((ags) => [ags, table.municipalities.get(ags) ?? {}])),
  }));
}

/**
 * Protects the tables of one indicator at every month-end of a series with one suppression pattern (the
 * rule above). Throws when no safe pattern exists; the caller then publishes nothing.
 */
export function protectSeries(tables: readonly CountTable[], threshold: number): ProtectedTable[] {
  const aligned = alignRows(tables);
  const mustProtect = smallAnywhere(aligned, threshold);
  let withhold = new Set<string>();
  // Each pass only adds cells, and a table has finitely many, so this ends. A table whose cells that are
  // small in any period cannot all be protected throws, and nothing of the series is published.
  for (;;) {
    const results = aligned.map((table) => protectTable(table, threshold, { withhold, mustProtect }));
    const union = new Set(withhold);
    for (const result of results) for (const cell of result.withheld) union.add(cell);
    if (union.size === withhold.size) return results;
    withhold = union;
  }
}

/** The cells (`<DISTRICT, AGS or UNASSIGNED>/<key or TOTAL>`) whose count is small in at least one table. */
function smallAnywhere(tables: readonly CountTable[], threshold: number): Set<string> {
  const small = new Set<string>();
  for (const table of tables) {
    const rows: [string, Record<string, number>][] = [...table.municipalities].map(([ags, counts]) => [
      ags,
      { ...counts },
    ]);
    rows.push(['UNASSIGNED', { ...(table.unassigned ?? {}) }]);
    const district: Record<string, number> = {};
    for (const [, counts] of rows)
      for (const key of table.keys) district[key] = (district[key] ?? 0) + (counts[key] ?? 0);
    rows.push(['DISTRICT', district]);
    for (const [name, counts] of rows) {
      const values = table.keys.map((key) => counts[key] ?? 0);
      const named: [string, number][] = [
        ...table.keys.map((key, i) => [key, values[i]] as [string, number]),
        ['TOTAL', values.reduce((a, b) => a + b, 0)],
      ];
      for (const [key, value] of named) if (isSmall(value, threshold)) small.add(`${name}/${key}`);
    }
  }
  return small;
}
