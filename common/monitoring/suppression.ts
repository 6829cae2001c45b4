/**
 * Statistical disclosure control for indicator tables: which counts a subgraph may publish.
 *
 * A table is one indicator for one period: a row per municipality, a row for contributions that no
 * municipality can be given (`unassigned`, never published), and the district row, which is the sum of all of
 * them. Each row has one cell per key (e.g. accommodation type) and a total, the sum of its cells. So the
 * published figures satisfy two kinds of equations an attacker can use:
 *   row:    total = sum of the row's cells                        (recover a cell from the total and the others)
 *   column: district = sum over municipalities + unassigned       (recover a municipality from the district)
 *
 * Rules:
 * 1. Primary: every count from 1 to `threshold - 1` is suppressed, totals included. Zeros are published: a
 *    zero singles out nobody, and withholding them would also withhold every table's empty cells.
 * 2. Secondary: more cells are suppressed until no suppressed cell can be worked out from the published
 *    ones by any combination of the equations above. Candidates are the smallest positive counts, so the
 *    loss is small and municipality cells go before district ones.
 * 3. The attacker knows every published figure and the equations. The unassigned row is never published,
 *    so its counts are unknown to the attacker, and its small counts must not be derivable either.
 *
 * Why the check is exact: write each total as a negative number and every row and every column of the
 * table sums to zero. The values of the suppressed cells that fit all published figures then differ from
 * the true ones by a flow around cycles of the bipartite graph whose nodes are rows and columns and whose
 * edges are the suppressed cells. A suppressed cell is determined exactly when it lies on no such cycle,
 * i.e. when its edge is a bridge. With every suppressed count at least 1, adding or taking 1 alternately
 * around a cycle gives another table of non-negative integers that matches every published figure, so a
 * cell on a cycle cannot be recovered even with the knowledge that counts are whole and not negative.
 *
 * What this does not cover, by design: differences between periods (stocks at the ends of two periods
 * differ by the net change between them; `series.ts` protects those with one pattern for the whole window); combinations with figures published elsewhere; and insiders who
 * know some unpublished counts already (a municipality knows its own records, so it may recover a cell whose
 * only partner in a column is its own).
 */

/** One row's counts, by key; a missing key counts 0. */
export type Counts = Readonly<Record<string, number>>;

/** The raw counts of one indicator for one period. */
export interface CountTable {
  /** The cells of a row, in publication order. */
  keys: readonly string[];
  /** Counts per municipality (AGS). */
  municipalities: ReadonlyMap<string, Counts>;
  /** Contributions without a municipality: they count in the district's figures only. */
  unassigned?: Counts;
}

/** A figure as published: `value` is null exactly when `suppressed`. */
export interface PublishedCount {
  value: number | null;
  suppressed: boolean;
}

export interface PublishedRow {
  cells: Record<string, PublishedCount>;
  total: PublishedCount;
}

/** A protected table: the district row and every municipality's row, suppressed consistently. */
export interface ProtectedTable {
  district: PublishedRow;
  /** A municipality's row; one with no contributions at all is all zeros. */
  municipality(ags: string): PublishedRow;
  /** How many published cells were withheld, by rule, over the whole table. */
  suppressedCells: { primary: number; secondary: number };
  /** Every withheld cell, named `<DISTRICT or AGS>/<key or TOTAL>`, and the unassigned counts treated as unknown (`UNASSIGNED/<key>`). */
  withheld: ReadonlySet<string>;
}

/** Options of `protectTable`, used by the series rule (`series.ts`). */
export interface ProtectOptions {
  /** Cells to withhold whatever their counts, named like `ProtectedTable.withheld`. @default none */
  withhold?: ReadonlySet<string>;
  /**
   * Cells (named like `withheld`, `UNASSIGNED/<key>` included) that must be safe from the table's equations
   * even where their count here is not small, because it is small in another period of the series; the table
   * fails closed like for its own small counts. @default none
   */
  mustProtect?: ReadonlySet<string>;
}

const DISTRICT_ROW = 'DISTRICT';
const UNASSIGNED_ROW = 'UNASSIGNED';

/** Whether a count must be withheld on its own (rule 1). */
export function isSmall(value: number, threshold: number): boolean {
  return value >= 1 && value < threshold;
}

/**
 * Applies rules 1 to 3 to a table. Pure and deterministic: the same counts give the same pattern whichever
 * region is asked for, so separate requests for the district and each municipality fit together.
 */
export function protectTable(table: CountTable, threshold: number, options: ProtectOptions = {}): ProtectedTable {
  if (!Number.isInteger(threshold) || threshold < 2) throw new Error(`threshold must be an integer of at least 2, got ${threshold}`);
  const keys = table.keys;
  const municipalities = [...table.municipalities.keys()].sort();
  // Row 0 is the district, then the municipalities, then the unassigned remainder.
  const rowCounts: Counts[] = [{}, ...municipalities.map((ags) => table.municipalities.get(ags)!), table.unassigned ?? {}];
  const R = rowCounts.length;
  const C = keys.length + 1;
  const values: number[][] = rowCounts.map((counts) => {
    const cells = keys.map((key) => {
      const v = counts[key] ?? 0;
      if (!Number.isInteger(v) || v < 0) throw new Error(`count for ${key} must be a whole number of at least 0, got ${v}`);
      return v;
    });
    return [...cells, cells.reduce((a, b) => a + b, 0)];
  });
  for (let c = 0; c < C; c += 1) values[0][c] = values.slice(1).reduce((sum, row) => sum + row[c], 0);

  // Published rows are 0..R-2; the unassigned row R-1 is never published.
  const U = R - 1;
  const suppressed = new Set<number>();
  const smallUnassigned: number[] = [];
  for (let r = 0; r < R; r += 1) {
    for (let c = 0; c < C; c += 1) {
      if (!isSmall(values[r][c], threshold)) continue;
      if (r === U) smallUnassigned.push(r * C + c);
      else suppressed.add(r * C + c);
    }
  }
  const primary = suppressed.size;
  const rowNames = [DISTRICT_ROW, ...municipalities, UNASSIGNED_ROW];
  const columnNames = [...keys, 'TOTAL'];
  const cellName = (cell: number) => `${rowNames[Math.floor(cell / C)]}/${columnNames[cell % C]}`;
  // Every unassigned count is unknown to the attacker; those of 0 are treated as known, so that rule 2's
  // argument (every unknown on a cycle can move by 1) holds, unless the series rule names them.
  const unassignedUnknown: number[] = [];
  for (let c = 0; c < C; c += 1) if (values[U][c] >= 1) unassignedUnknown.push(U * C + c);
  for (const name of options.withhold ?? []) {
    const [row, column] = name.split('/');
    const r = rowNames.indexOf(row);
    const c = columnNames.indexOf(column);
    if (r === -1 || c === -1) throw new Error(`Cannot withhold ${name}: no such cell in this table`);
    if (r !== U) suppressed.add(r * C + c);
    else if (!unassignedUnknown.includes(r * C + c)) unassignedUnknown.push(r * C + c);
  }
  const mustProtect = new Set<number>();
  for (const name of options.mustProtect ?? []) {
    const [row, column] = name.split('/');
    const r = rowNames.indexOf(row);
    const c = columnNames.indexOf(column);
    if (r === -1 || c === -1) throw new Error(`Cannot protect ${name}: no such cell in this table`);
    mustProtect.add(r * C + c);
  }

  // Graph nodes: rows 0..R-1, columns R..R+C-1; each unknown cell is an edge between its row and column.
  const rowOf = (cell: number) => Math.floor(cell / C);
  const colOf = (cell: number) => cell % C;
  const components = (edges: Iterable<number>, without: number): Int32Array => {
    const adjacency: number[][] = Array.from({ length: R + C }, () => []);
    for (const cell of edges) {
      if (cell === without) continue;
      adjacency[rowOf(cell)].push(R + colOf(cell));
      adjacency[R + colOf(cell)].push(rowOf(cell));
    }
    const label = new Int32Array(R + C).fill(-1);
    for (let start = 0; start < R + C; start += 1) {
      if (label[start] !== -1) continue;
      label[start] = start;
      const stack = [start];
      while (stack.length) {
        for (const next of adjacency[stack.pop()!]) {
          if (label[next] === -1) {
            label[next] = start;
            stack.push(next);
          }
        }
      }
    }
    return label;
  };
  const isBridge = (edges: Iterable<number>, cell: number) => {
    const label = components(edges, cell);
    return label[rowOf(cell)] !== label[R + colOf(cell)];
  };
  /** The withheld cells (and small unassigned counts) that could still be worked out, in table order. */
  const unprotected = (): number[] => {
    const edges = [...[...suppressed].sort((a, b) => a - b), ...unassignedUnknown];
    const named = unassignedUnknown.filter((c) => mustProtect.has(c) && !smallUnassigned.includes(c));
    return [...edges.filter((c) => suppressed.has(c)), ...smallUnassigned, ...named].filter((c) => isBridge(edges, c));
  };
  // Smallest positive count first; zeros only when nothing else is left (they weaken rule 2's guarantee).
  const better = (a: number, b: number) => {
    const va = values[rowOf(a)][colOf(a)];
    const vb = values[rowOf(b)][colOf(b)];
    if (va > 0 !== vb > 0) return va > 0;
    if (va !== vb) return va < vb;
    const da = rowOf(a) === 0 ? 1 : 0;
    const db = rowOf(b) === 0 ? 1 : 0;
    return da !== db ? da < db : a < b;
  };
  const best = (cells: number[]) =>
    cells.reduce<number | undefined>((found, cell) => (found === undefined || better(cell, found) ? cell : found), undefined);

  for (let guard = 0; guard <= R * C; guard += 1) {
    const [bridge] = unprotected();
    if (bridge === undefined) break;
    const label = components([...suppressed, ...unassignedUnknown], bridge);
    const a = label[rowOf(bridge)];
    const b = label[R + colOf(bridge)];
    const open: number[] = [];
    for (let cell = 0; cell < U * C; cell += 1) if (!suppressed.has(cell)) open.push(cell);
    // A cell joining the bridge's two sides puts the bridge on a cycle at once.
    const closing = open.filter((cell) => {
      const [lr, lc] = [label[rowOf(cell)], label[R + colOf(cell)]];
      return (lr === a && lc === b) || (lr === b && lc === a);
    });
    // Otherwise one side is the bridge's bare row or column: grow from it, and close the cycle later.
    const alone = (node: number) => label.filter((l) => l === label[node]).length === 1;
    const rowAlone = alone(rowOf(bridge));
    const colAlone = alone(R + colOf(bridge));
    const line = open.filter(
      (cell) =>
        (rowOf(cell) === rowOf(bridge) && (rowAlone || !colAlone)) || (colOf(cell) === colOf(bridge) && (colAlone || !rowAlone)),
    );
    const positive = (cells: number[]) => cells.filter((cell) => values[rowOf(cell)][colOf(cell)] > 0);
    const next =
      best(positive(closing)) ?? best(positive(line)) ?? best(closing) ?? best(line) ?? best(positive(open)) ?? best(open);
    if (next === undefined) break;
    suppressed.add(next);
  }
  // Fail closed: a small count that could still be worked out is never published.
  if (unprotected().some((cell) => mustProtect.has(cell) || isSmall(values[rowOf(cell)][colOf(cell)], threshold))) {
    throw new Error('Disclosure control found no safe suppression pattern for this table');
  }

  const publish = (r: number): PublishedRow => {
    const count = (c: number): PublishedCount =>
      suppressed.has(r * C + c) ? { value: null, suppressed: true } : { value: values[r][c], suppressed: false };
    return { cells: Object.fromEntries(keys.map((key, c) => [key, count(c)])), total: count(C - 1) };
  };
  const rows = new Map(municipalities.map((ags, i) => [ags, publish(i + 1)]));
  const zero: PublishedRow = {
    cells: Object.fromEntries(keys.map((key) => [key, { value: 0, suppressed: false }])),
    total: { value: 0, suppressed: false },
  };
  return {
    district: publish(0),
    municipality: (ags) => rows.get(ags) ?? zero,
    suppressedCells: { primary, secondary: suppressed.size - primary },
    withheld: new Set([...suppressed, ...unassignedUnknown].map(cellName)),
  };
}
