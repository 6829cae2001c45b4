import { GraphQLError } from 'graphql';
import type { Caller } from '../domain.js';
import { badUserInput, ErrorCode, type FieldProblem } from '../errors.js';
import { requireMonitoring } from './access.js';
import type { IndicatorDistribution, IndicatorsKey } from './indicator.types.js';
import { DISTRICT, parseMunicipality, parsePeriod, parseRegion } from './period.js';
import { protectTable, type CountTable } from './suppression.js';

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

/** The root of `indicators(period, municipality)`, for an analyst; throws FORBIDDEN or BAD_USER_INPUT. */
export function indicatorsFor(caller: Caller, period: unknown, municipality: unknown): IndicatorsKey {
  requireMonitoring(caller);
  const [span, region] = collect(
    () => parsePeriod(period),
    () => parseMunicipality(municipality),
  );
  return { period: span.key, region, span };
}

/**
 * `__resolveReference` of `Indicators` in every subgraph: the same checks as the query, because a
 * subgraph reached directly must refuse exactly what the gateway would.
 */
export function resolveIndicatorsReference(reference: Record<string, unknown>, caller: Caller): IndicatorsKey {
  requireMonitoring(caller);
  const [span, region] = collect(
    () => parsePeriod(reference.period),
    () => parseRegion(reference.region),
  );
  return { period: span.key, region, span };
}

/** Builds a table from grouped counts; a key the indicator does not know is a programming error. */
export function countTable(keys: readonly string[], rows: RegionCount[]): CountTable {
  const municipalities = new Map<string, Record<string, number>>();
  const unassigned: Record<string, number> = {};
  for (const row of rows) {
    if (!keys.includes(row.key)) throw new Error(`Indicator query returned unknown key ${row.key}`);
    const counts = row.region === null ? unassigned : (municipalities.get(row.region) ?? municipalities.set(row.region, {}).get(row.region)!);
    counts[row.key] = (counts[row.key] ?? 0) + Number(row.n);
  }
  return { keys, municipalities, unassigned };
}

/** The protected figures of `region` from a table of the whole district. */
export function publish(table: CountTable, region: string, threshold: number): IndicatorDistribution {
  const protectedTable = protectTable(table, threshold);
  const row = region === DISTRICT ? protectedTable.district : protectedTable.municipality(region);
  return {
    cells: table.keys.map((key) => ({ key, ...row.cells[key] })),
    total: { key: 'TOTAL', ...row.total },
  };
}
