import assert from 'node:assert/strict';
import type { CountTable } from '../../common/monitoring/suppression.js';
import { post, type GraphQLResponse } from './graphql.js';

/** A distribution's figures as `{ KEY: value }`, TOTAL included; a withheld figure is null. */
export type Figures = Record<string, number | null>;

interface Distribution {
  cells: { key: string; value: number | null; suppressed: boolean }[];
  total: { key: string; value: number | null; suppressed: boolean };
}

/** Flattens a published distribution, checking on the way that exactly the withheld figures are null. */
export function figures(distribution: Distribution): Figures {
  const all = [...distribution.cells, distribution.total];
  for (const cell of all)
    assert.equal(cell.value === null, cell.suppressed, `${cell.key}: value null exactly when suppressed`);
  return Object.fromEntries(all.map((cell) => [cell.key, cell.value]));
}

/** A raw table's non-zero counts, per municipality and for the unassigned remainder, for exact comparison. */
export function counts(table: CountTable): Record<string, Record<string, number>> {
  const nonZero = (row: Readonly<Record<string, number>>) =>
    Object.fromEntries(Object.entries(row).filter(([, n]) => n !== 0));
  const result: Record<string, Record<string, number>> = {};
  for (const [ags, row] of [...table.municipalities].sort(([a], [b]) => a.localeCompare(b))) {
    if (Object.keys(nonZero(row)).length) result[ags] = nonZero(row);
  }
  if (table.unassigned && Object.keys(nonZero(table.unassigned)).length) result.UNASSIGNED = nonZero(table.unassigned);
  return result;
}

const DISTRIBUTION = 'cells { key value suppressed } total { key value suppressed }';

/** Asks a subgraph directly for its share of `Indicators`, as the gateway does. */
export function fetchIndicators(
  url: string,
  options: { token: string; purpose?: string; period: string; region: string; fields: string[] },
): Promise<GraphQLResponse> {
  return post(url, {
    token: options.token,
    purpose: options.purpose ?? 'MONITORING',
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Indicators { period region ${options.fields
      .map((f) => `${f} { ${DISTRIBUTION} }`)
      .join(' ')} } } }`,
    variables: { r: [{ __typename: 'Indicators', period: options.period, region: options.region }] },
  });
}

export { DISTRIBUTION };
