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

/** Whether a count must be withheld on its own (rule 1). */
export function isSmall(value: number, threshold: number): boolean {
  return value >= 1 && value < threshold;
}

/**
 * The table as a grid of counts: row 0 the district, then the municipalities in AGS order, last the
 * unassigned remainder; a column per key, the last column the row totals. A cell is numbered
 * `row * columnCount + column`.
 */
interface Grid {
  values: number[][];
  rowCount: number;
  columnCount: number;
  /** The unassigned row, the last one: never published. */
  unassignedRow: number;
}

const rowOf = (grid: Grid, cell: number) => Math.floor(cell / grid.columnCount);
const columnOf = (grid: Grid, cell: number) => cell % grid.columnCount;
const valueOf = (grid: Grid, cell: number) => grid.values[rowOf(grid, cell)][columnOf(grid, cell)];

/** Builds the grid, with the district row as the sum of all others; every count must be a whole number ≥ 0. */
function buildGrid(table: CountTable, municipalities: readonly string[]): Grid {
  const rowCounts: Counts[] = [
    {},
    ...municipalities.map((ags) => table.municipalities.get(ags)!),
    table.unassigned ?? {},
  ];
  const columnCount = table.keys.length + 1;
  const values: number[][] = rowCounts.map((counts) => {
    const cells = table.keys.map((key) => {
      const value = counts[key] ?? 0;
      if (!Number.isInteger(value) || value < 0)
        throw new Error(`count for ${key} must be a whole number of at least 0, got ${value}`);
      return value;
    });
    return [...cells, cells.reduce((a, b) => a + b, 0)];
  });
  for (let column = 0; column < columnCount; column += 1) {
    values[0][column] = values.slice(1).reduce((sum, row) => sum + row[column], 0);
  }
  return { values, rowCount: rowCounts.length, columnCount, unassignedRow: rowCounts.length - 1 };
}

/** Rule 1: the small published counts to withhold, and the small unassigned counts that must stay underivable. */
function primarySuppression(grid: Grid, threshold: number): { suppressed: Set<number>; smallUnassigned: number[] } {
  const suppressed = new Set<number>();
  const smallUnassigned: number[] = [];
  for (let row = 0; row < grid.rowCount; row += 1) {
    for (let column = 0; column < grid.columnCount; column += 1) {
      if (!isSmall(grid.values[row][column], threshold)) continue;
      const cell = row * grid.columnCount + column;
      if (row === grid.unassignedRow) smallUnassigned.push(cell);
      else suppressed.add(cell);
    }
  }
  return { suppressed, smallUnassigned };
}

/**
 * The unassigned counts the attacker does not know: every one of at least 1. Those of 0 are treated as
 * known, so that rule 2's argument (every unknown on a cycle can move by 1) holds.
 */
function unknownUnassigned(grid: Grid): number[] {
  const cells: number[] = [];
  for (let column = 0; column < grid.columnCount; column += 1) {
    if (grid.values[grid.unassignedRow][column] >= 1) cells.push(grid.unassignedRow * grid.columnCount + column);
  }
  return cells;
}

/**
 * Labels the connected components of the graph whose nodes are the rows (0 to rowCount-1) and the columns
 * (rowCount onwards) and whose edges are the unknown cells, leaving out the cell `without`.
 */
function componentLabels(grid: Grid, unknownCells: Iterable<number>, without: number): Int32Array {
  const nodeCount = grid.rowCount + grid.columnCount;
  const neighbours: number[][] = Array.from({ length: nodeCount }, () => []);
  for (const cell of unknownCells) {
    if (cell === without) continue;
    const rowNode = rowOf(grid, cell);
    const columnNode = grid.rowCount + columnOf(grid, cell);
    neighbours[rowNode].push(columnNode);
    neighbours[columnNode].push(rowNode);
  }
  const label = new Int32Array(nodeCount).fill(-1);
  for (let start = 0; start < nodeCount; start += 1) {
    if (label[start] !== -1) continue;
    label[start] = start;
    const stack = [start];
    while (stack.length) {
      for (const next of neighbours[stack.pop()!]) {
        if (label[next] === -1) {
          label[next] = start;
          stack.push(next);
        }
      }
    }
  }
  return label;
}

/** Whether an unknown cell lies on no cycle, so that the published figures determine it. */
function isDerivable(grid: Grid, unknownCells: Iterable<number>, cell: number): boolean {
  const label = componentLabels(grid, unknownCells, cell);
  return label[rowOf(grid, cell)] !== label[grid.rowCount + columnOf(grid, cell)];
}

/** The state of the suppression: what is withheld and what the attacker does not know anyway. */
interface Suppression {
  grid: Grid;
  suppressed: Set<number>;
  smallUnassigned: number[];
  unassignedUnknown: number[];
  /** Cells that must not be derivable although their count here is not small (the series rule). */
  mustProtect: ReadonlySet<number>;
}

/** The withheld cells (and small unassigned counts) that could still be worked out, in table order. */
function derivableCells({ grid, suppressed, smallUnassigned, unassignedUnknown, mustProtect }: Suppression): number[] {
  const unknownCells = [...[...suppressed].sort((a, b) => a - b), ...unassignedUnknown];
  const named = unassignedUnknown.filter((cell) => mustProtect.has(cell) && !smallUnassigned.includes(cell));
  return [...unknownCells.filter((cell) => suppressed.has(cell)), ...smallUnassigned, ...named].filter((cell) =>
    isDerivable(grid, unknownCells, cell),
  );
}

/** Whether `a` is the better cell to withhold next: positive before zero, smaller first, municipalities before the district. */
function isBetterCandidate(grid: Grid, a: number, b: number): boolean {
  const valueA = valueOf(grid, a);
  const valueB = valueOf(grid, b);
  if (valueA > 0 !== valueB > 0) return valueA > 0;
  if (valueA !== valueB) return valueA < valueB;
  const districtA = rowOf(grid, a) === 0 ? 1 : 0;
  const districtB = rowOf(grid, b) === 0 ? 1 : 0;
  return districtA !== districtB ? districtA < districtB : a < b;
}

function bestCandidate(grid: Grid, cells: number[]): number | undefined {
  return cells.reduce<number | undefined>(
    (found, cell) => (found === undefined || isBetterCandidate(grid, cell, found) ? cell : found),
    undefined,
  );
}

/**
 * The next cell to withhold so that the derivable cell `exposed` comes to lie on a cycle: one that joins
 * its two sides at once if there is one, else one in its bare row or column, from which the cycle closes
 * later. Positive counts first; zeros only when nothing else is left (they weaken rule 2's guarantee).
 */
function nextCellToWithhold({ grid, suppressed, unassignedUnknown }: Suppression, exposed: number): number | undefined {
  const label = componentLabels(grid, [...suppressed, ...unassignedUnknown], exposed);
  const rowSide = label[rowOf(grid, exposed)];
  const columnSide = label[grid.rowCount + columnOf(grid, exposed)];
  const published: number[] = [];
  for (let cell = 0; cell < grid.unassignedRow * grid.columnCount; cell += 1)
    if (!suppressed.has(cell)) published.push(cell);
  const closing = published.filter((cell) => {
    const [cellRow, cellColumn] = [label[rowOf(grid, cell)], label[grid.rowCount + columnOf(grid, cell)]];
    return (cellRow === rowSide && cellColumn === columnSide) || (cellRow === columnSide && cellColumn === rowSide);
  });
  const isAlone = (node: number) => label.filter((l) => l === label[node]).length === 1;
  const rowAlone = isAlone(rowOf(grid, exposed));
  const columnAlone = isAlone(grid.rowCount + columnOf(grid, exposed));
  const inLine = published.filter(
    (cell) =>
      (rowOf(grid, cell) === rowOf(grid, exposed) && (rowAlone || !columnAlone)) ||
      (columnOf(grid, cell) === columnOf(grid, exposed) && (columnAlone || !rowAlone)),
  );
  const positive = (cells: number[]) => cells.filter((cell) => valueOf(grid, cell) > 0);
  return (
    bestCandidate(grid, positive(closing)) ??
    bestCandidate(grid, positive(inLine)) ??
    bestCandidate(grid, closing) ??
    bestCandidate(grid, inLine) ??
    bestCandidate(grid, positive(published)) ??
    bestCandidate(grid, published)
  );
}

/** Rule 2: withholds more cells until none that is withheld can be worked out; fails closed if that cannot be done. */
function secondarySuppression(suppression: Suppression, threshold: number): void {
  const { grid } = suppression;
  for (let round = 0; round <= grid.rowCount * grid.columnCount; round += 1) {
    const [exposed] = derivableCells(suppression);
    if (exposed === undefined) break;
    const next = nextCellToWithhold(suppression, exposed);
    if (next === undefined) break;
    suppression.suppressed.add(next);
  }
  // Fail closed: a small count that could still be worked out is never published.
  if (
    derivableCells(suppression).some(
      (cell) => suppression.mustProtect.has(cell) || isSmall(valueOf(grid, cell), threshold),
    )
  ) {
    throw new Error('Disclosure control found no safe suppression pattern for this table');
  }
}

/** One row as published: withheld cells are null. */
function publishRow(grid: Grid, keys: readonly string[], suppressed: ReadonlySet<number>, row: number): PublishedRow {
  const count = (column: number): PublishedCount =>
    suppressed.has(row * grid.columnCount + column)
      ? { value: null, suppressed: true }
      : { value: grid.values[row][column], suppressed: false };
  return {
    cells: Object.fromEntries(keys.map((key, column) => [key, count(column)])),
    total: count(grid.columnCount - 1),
  };
}

/**
 * Applies rules 1 to 3 to a table. Pure and deterministic: the same counts give the same pattern whichever
 * region is asked for, so separate requests for the district and each municipality fit together.
 */
export function protectTable(table: CountTable, threshold: number, options: ProtectOptions = {}): ProtectedTable {
  if (!Number.isInteger(threshold) || threshold < 2)
    throw new Error(`threshold must be an integer of at least 2, got ${threshold}`);
  const municipalities = [...table.municipalities.keys()].sort();
  const grid = buildGrid(table, municipalities);
  const { suppressed, smallUnassigned } = primarySuppression(grid, threshold);
  const primary = suppressed.size;
  const rowNames = ['DISTRICT', ...municipalities, 'UNASSIGNED'];
  const columnNames = [...table.keys, 'TOTAL'];
  const cellNamed = (name: string): number => {
    const [row, column] = name.split('/');
    const r = rowNames.indexOf(row);
    const c = columnNames.indexOf(column);
    if (r === -1 || c === -1) throw new Error(`No cell ${name} in this table`);
    return r * grid.columnCount + c;
  };
  const unassignedUnknown = unknownUnassigned(grid);
  for (const cell of [...(options.withhold ?? [])].map(cellNamed)) {
    if (rowOf(grid, cell) !== grid.unassignedRow) suppressed.add(cell);
    else if (!unassignedUnknown.includes(cell)) unassignedUnknown.push(cell);
  }
  const mustProtect = new Set([...(options.mustProtect ?? [])].map(cellNamed));
  secondarySuppression({ grid, suppressed, smallUnassigned, unassignedUnknown, mustProtect }, threshold);

  const rows = new Map(municipalities.map((ags, i) => [ags, publishRow(grid, table.keys, suppressed, i + 1)]));
  const zero: PublishedRow = {
    cells: Object.fromEntries(table.keys.map((key) => [key, { value: 0, suppressed: false }])),
    total: { value: 0, suppressed: false },
  };
  return {
    district: publishRow(grid, table.keys, suppressed, 0),
    municipality: (ags) => rows.get(ags) ?? zero,
    suppressedCells: { primary, secondary: suppressed.size - primary },
    withheld: new Set(
      [...suppressed, ...unassignedUnknown].map(
        (cell) => `${rowNames[rowOf(grid, cell)]}/${columnNames[columnOf(grid, cell)]}`,
      ),
    ),
  };
}
