import { GraphQLError } from 'graphql';
import type { Caller } from '../domain.js';
import { badUserInput, ErrorCode, type FieldProblem } from '../errors.js';
import { requireMonitoring } from './access.js';
import type { IndicatorDistribution, IndicatorsKey } from './indicator.types.js';
import { localDateOf } from '../district-time.js';
import { countedOn, DISTRICT, parseMunicipality, parsePeriod, parseRegion } from './period.js';
import { monitoringWindow, protectSeries, requireInWindow } from './series.js';
import type { CountTable, ProtectedTable } from './suppression.js';

/** The default of `SUPPRESSION_THRESHOLD`. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** One group of an indicator query: how many contributions of `key` fall to `region` (null: none known). */
export interface RegionCount {
  region: string | null;
  key: string;
  n: number;
}

/** Collects the problems of several checks into one BAD_USER_INPUT, so a caller sees them all at once. */
function collect<T extends unknown[]>(...checks: { [K in keyof T]: () => T[K] }): T {
  const problems: FieldProblem[] = [];
  const results = checks.map((check) => {
    try {
      return check();
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.BadUserInput) {
        problems.push(...(error.extensions.problems as FieldProblem[]));
        return undefined;
      }
      throw error;
    }
  });
  if (problems.length) throw badUserInput(problems);
  return results as T;
}

function inWindow(period: ReturnType<typeof parsePeriod>, field = 'period'): ReturnType<typeof parsePeriod> {
  requireInWindow(period, monitoringWindow(), field);
  return period;
}

/** The root of `indicators(period, municipality)`, for an analyst; throws FORBIDDEN or BAD_USER_INPUT. */
export function indicatorsFor(caller: Caller, period: unknown, municipality: unknown): IndicatorsKey {
  requireMonitoring(caller);
  const [span, region] = collect(
    () => inWindow(parsePeriod(period)),
    () => parseMunicipality(municipality),
  );
  return { period: span.key, region, span };
}

/** At most this many periods, and this many regions, in one `indicatorSeries`: a window of two years of months. */
export const MAX_SERIES_PERIODS = 36;
export const MAX_SERIES_REGIONS = 30;
/**
 * At most this many (period, region) entries in one request, over all its `indicatorSeries` (aliases
 * included): 36 periods for the district and six municipalities. The request limits size a list by its
 * longest list argument, not by the product of two, so the bound is kept here.
 */
export const MAX_SERIES_ENTRIES = 252;

const entriesOfRequest = new WeakMap<object, number>();

/**
 * The roots of `indicatorSeries(periods, regions)`, region by region and period by period; throws FORBIDDEN
 * or BAD_USER_INPUT. `request` is the request's context, which bounds the entries over all aliases. The figures do not depend on which periods and regions are asked together (the series
 * is the whole window and the table the whole district), so the bounds only limit the size of the answer.
 */
export function indicatorSeriesFor(
  caller: Caller,
  periods: unknown,
  regions: unknown,
  request: object,
): IndicatorsKey[] {
  requireMonitoring(caller);
  const list = (value: unknown, field: string, max: number): unknown[] => {
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
      throw badUserInput([{ field, message: `must list 1 to ${max} values` }]);
    }
    if (new Set(value).size !== value.length) throw badUserInput([{ field, message: 'lists a value twice' }]);
    return value;
  };
  const [spans, keys] = collect(
    () =>
      list(periods, 'periods', MAX_SERIES_PERIODS).map((p, i) =>
        inWindow(parsePeriod(p, `periods[${i}]`), `periods[${i}]`),
      ),
    () => list(regions, 'regions', MAX_SERIES_REGIONS).map((r, i) => parseRegion(r, `regions[${i}]`)),
  );
  const entries = (entriesOfRequest.get(request) ?? 0) + keys.length * spans.length;
  if (entries > MAX_SERIES_ENTRIES) {
    throw badUserInput([
      {
        field: 'periods',
        message: `asks for ${entries} periods × regions in this request; at most ${MAX_SERIES_ENTRIES}`,
      },
    ]);
  }
  entriesOfRequest.set(request, entries);
  return keys.flatMap((region) => spans.map((span) => ({ period: span.key, region, span })));
}

/**
 * `__resolveReference` of `Indicators` in every subgraph: the same checks as the query, because a
 * subgraph reached directly must refuse exactly what the gateway would.
 */
export function resolveIndicatorsReference(reference: Record<string, unknown>, caller: Caller): IndicatorsKey {
  requireMonitoring(caller);
  const [span, region] = collect(
    () => inWindow(parsePeriod(reference.period)),
    () => parseRegion(reference.region),
  );
  return { period: span.key, region, span };
}

/**
 * Each person's municipality on the day `$1`, from a history table with `person_id`, `municipality_ags`,
 * `since` and `until`: the latest period begun by then and not yet ended (`until` takes effect on its day).
 * An SQL subquery for an indicator query's `WITH`; `tieBreak` orders periods begun on the same day.
 */
export function municipalityOn(table: string, tieBreak = 'id'): string {
  return `SELECT DISTINCT ON (person_id) person_id, municipality_ags FROM ${table}
    WHERE since <= $1 AND (until IS NULL OR until > $1) ORDER BY person_id, since DESC, ${tieBreak}`;
}

/**
 * Runs one indicator query, whose rows are `RegionCount`s (`$1` is the day counted, further parameters
 * follow), and tabulates them over `keys`.
 */
export async function countAsOf(
  db: { query(sql: string, parameters: unknown[]): Promise<RegionCount[]> },
  keys: readonly string[],
  sql: string,
  parameters: unknown[],
): Promise<CountTable> {
  return countTable(keys, await db.query(sql, parameters));
}

/** An indicator counted person by person (`countPersonsAsOf`); `$1` is the day counted in each part. */
export interface PersonCountQuery {
  /** The rows counted, a query of `person_id` and whatever `key` reads; read as `c`. */
  counted: string;
  /** The key of a row, an SQL expression over `c`. */
  key: string;
  /** Each person's municipality on the day counted, as `municipalityOn` gives it. */
  municipality: string;
  /** Further parameters of `counted`, from `$2` on. */
  parameters?: unknown[];
}

/**
 * Runs an indicator query that counts the rows of `query.counted` on `asOf` by key and by the municipality of
 * their person on that day; rows of a person with no municipality then count in the district's figures only.
 */
export async function countPersonsAsOf(
  db: { query(sql: string, parameters: unknown[]): Promise<RegionCount[]> },
  keys: readonly string[],
  asOf: string,
  query: PersonCountQuery,
): Promise<CountTable> {
  return countAsOf(
    db,
    keys,
    `WITH counted AS (${query.counted}), municipality AS (${query.municipality})
     SELECT m.municipality_ags AS region, ${query.key} AS key, count(*)::int AS n
     FROM counted c LEFT JOIN municipality m USING (person_id)
     GROUP BY 1, 2`,
    [asOf, ...(query.parameters ?? [])],
  );
}

/** Builds a table from grouped counts; a key the indicator does not know is a programming error. */
export function countTable(keys: readonly string[], rows: RegionCount[]): CountTable {
  const municipalities = new Map<string, Record<string, number>>();
  const unassigned: Record<string, number> = {};
  for (const row of rows) {
    if (!keys.includes(row.key)) throw new Error(`Indicator query returned unknown key ${row.key}`);
    const counts =
      row.region === null
        ? unassigned
        : (municipalities.get(row.region) ?? municipalities.set(row.region, {}).get(row.region)!);
    counts[row.key] = (counts[row.key] ?? 0) + Number(row.n);
  }
  return { keys, municipalities, unassigned };
}

/** The series of one indicator computed in this request, by indicator name; built once however many aliases ask. */
const seriesOfRequest = new WeakMap<object, Map<string, Promise<Map<string, ProtectedTable>>>>();

/** Today on the district's clock (`DISTRICT_TIME_ZONE`), YYYY-MM-DD: the last day any figure is counted on. */
export function districtToday(ctx: { district: { timeZone: string } }, now: Date = new Date()): string {
  return localDateOf(now, ctx.district.timeZone);
}

/**
 * One indicator of a partner's `Indicators` root (its period's end and its region), from the request's
 * protected series: what every partner's indicator resolver does, in one place.
 */
export function publishIndicator(
  ctx: { suppressionThreshold: number; district: { timeZone: string } },
  root: { span: { end: string }; region: string },
  indicator: string,
  count: (asOf: string) => Promise<CountTable>,
): Promise<IndicatorDistribution> {
  return publishFromSeries(
    ctx,
    indicator,
    count,
    root.span.end,
    root.region,
    ctx.suppressionThreshold,
    districtToday(ctx),
  );
}

/**
 * The protected figures of `region` on `asOf` (a month-end of the monitoring window), with the whole
 * window's series protected as one (`series.ts`). `count` gives the raw table on a day; `request` is the
 * request's context, so that the series is counted once per request and indicator. A month-end after
 * `today` (the running month, and the rest of the running quarter) is counted on `today`: a running period
 * shows the state known today, never a stock of a day still to come.
 */
export async function publishFromSeries(
  request: object,
  indicator: string,
  count: (asOf: string) => Promise<CountTable>,
  asOf: string,
  region: string,
  threshold: number,
  today: string,
): Promise<IndicatorDistribution> {
  const series = seriesOfRequest.get(request) ?? seriesOfRequest.set(request, new Map()).get(request)!;
  let protectedSeries = series.get(indicator);
  if (!protectedSeries) {
    protectedSeries = (async () => {
      const ends = monitoringWindow();
      const tables: CountTable[] = [];
      const counted = new Map<string, CountTable>();
      // One at a time: the request's connection runs one statement at a time anyway.
      for (const end of ends) {
        const day = countedOn(end, today);
        const table = counted.get(day) ?? (await count(day));
        counted.set(day, table);
        tables.push(table);
      }
      const results = protectSeries(tables, threshold);
      return new Map(ends.map((end, i) => [end, results[i]]));
    })();
    series.set(indicator, protectedSeries);
  }
  const table = (await protectedSeries).get(asOf);
  if (!table) throw new Error(`${asOf} is not a month-end of the monitoring window`);
  const row = region === DISTRICT ? table.district : table.municipality(region);
  const keys = Object.keys(row.cells);
  return { cells: keys.map((key) => ({ key, ...row.cells[key] })), total: { key: 'TOTAL', ...row.total } };
}
