import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { determinedUnknowns, Fraction } from '../../tests/support/exact-solver.js';
import { isSmall, protectTable, type CountTable, type PublishedRow } from './suppression.js';

/**
 * An attacker who knows every published figure, every unsuppressed count of the unassigned row (which the
 * rule treats as known) and the table's equations, and solves them exactly. It shares no code with the
 * module: it builds the linear system and reduces it to row echelon form with exact fractions.
 */
type Cell = { row: string; key: string };

interface Knowledge {
  keys: readonly string[];
  /** Row name -> key (or TOTAL) -> value, null where unknown to the attacker. */
  rows: Map<string, Record<string, number | null>>;
}

/** Every cell the attacker can pin down exactly, with the value it finds. */
function attack(knowledge: Knowledge): Map<string, number> {
  const columns = [...knowledge.keys, 'TOTAL'];
  const unknowns: Cell[] = [];
  for (const [row, cells] of knowledge.rows)
    for (const key of columns) if (cells[key] === null) unknowns.push({ row, key });
  const index = new Map(unknowns.map((u, i) => [`${u.row}/${u.key}`, i]));
  // Each equation: sum of coefficient * cell = 0; known cells move to the right-hand side.
  const equations: [string, string, number][][] = [];
  for (const row of knowledge.rows.keys()) {
    equations.push([...knowledge.keys.map((key) => [row, key, 1] as [string, string, number]), [row, 'TOTAL', -1]]);
  }
  for (const key of columns) {
    equations.push([
      ['DISTRICT', key, 1],
      ...[...knowledge.rows.keys()]
        .filter((r) => r !== 'DISTRICT')
        .map((r) => [r, key, -1] as [string, string, number]),
    ]);
  }
  const matrix = equations.map((terms) => {
    const coefficients = unknowns.map(() => Fraction.of(0));
    let rhs = Fraction.of(0);
    for (const [row, key, coefficient] of terms) {
      const value = knowledge.rows.get(row)![key];
      if (value === null) {
        const i = index.get(`${row}/${key}`)!;
        coefficients[i] = Fraction.of(Number(coefficients[i].n) + coefficient);
      } else {
        rhs = rhs.sub(Fraction.of(coefficient * value));
      }
    }
    return [...coefficients, rhs];
  });
  // A cell is determined exactly when some reduced row names it alone.
  const found = new Map<string, number>();
  for (const [i, value] of determinedUnknowns(matrix, unknowns.length))
    found.set(`${unknowns[i].row}/${unknowns[i].key}`, value);
  return found;
}

function sum(counts: Record<string, number>, keys: readonly string[]): number {
  return keys.reduce((s, k) => s + (counts[k] ?? 0), 0);
}

function rowValues(counts: Record<string, number>, keys: readonly string[]): Record<string, number> {
  return { ...Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0])), TOTAL: sum(counts, keys) };
}

/** The true table as the attacker's equations see it, rows named DISTRICT, each AGS and UNASSIGNED. */
function trueRows(table: CountTable): Map<string, Record<string, number>> {
  const rows = new Map<string, Record<string, number>>();
  const district: Record<string, number> = {};
  const all = [...table.municipalities.entries(), ['UNASSIGNED', table.unassigned ?? {}] as const];
  for (const [, counts] of all) for (const key of table.keys) district[key] = (district[key] ?? 0) + (counts[key] ?? 0);
  rows.set('DISTRICT', rowValues(district, table.keys));
  for (const [name, counts] of all) rows.set(name, rowValues({ ...counts }, table.keys));
  return rows;
}

/**
 * What the attacker knows after publication: the published rows as published. The unassigned row is never
 * published; the attacker is even told which of its counts are 0, and knows nothing else about it.
 */
function knowledgeAfter(table: CountTable, published: Map<string, PublishedRow>): Knowledge {
  const truth = trueRows(table);
  const rows = new Map<string, Record<string, number | null>>();
  for (const [name, values] of truth) {
    const row = published.get(name);
    if (row) {
      rows.set(name, {
        ...Object.fromEntries(Object.entries(row.cells).map(([k, c]) => [k, c.value])),
        TOTAL: row.total.value,
      });
    } else {
      rows.set(name, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === 0 ? 0 : null])));
    }
  }
  return { keys: table.keys, rows };
}

function publishAll(table: CountTable, threshold: number): Map<string, PublishedRow> {
  const result = protectTable(table, threshold);
  return new Map([
    ['DISTRICT', result.district],
    ...[...table.municipalities.keys()].map((ags) => [ags, result.municipality(ags)] as const),
  ]);
}

const M = (entries: Record<string, Record<string, number>>) => new Map(Object.entries(entries));

describe('disclosure control of indicator tables', () => {
  it('withholds counts from 1 to threshold - 1, totals included, and publishes zeros and larger counts', () => {
    const result = protectTable(
      {
        keys: ['A', 'B', 'C'],
        municipalities: M({ '08999001': { A: 0, B: 5, C: 40 }, '08999002': { A: 0, B: 7, C: 50 } }),
      },
      5,
    );
    assert.deepEqual(result.municipality('08999001'), {
      cells: {
        A: { value: 0, suppressed: false },
        B: { value: 5, suppressed: false },
        C: { value: 40, suppressed: false },
      },
      total: { value: 45, suppressed: false },
    });
    assert.equal(result.district.total.value, 102);
    assert.deepEqual(result.suppressedCells, { primary: 0, secondary: 0 });

    const small = protectTable({ keys: ['A'], municipalities: M({ '08999001': { A: 4 } }) }, 5);
    assert.deepEqual(small.district, {
      cells: { A: { value: null, suppressed: true } },
      total: { value: null, suppressed: true },
    });
  });

  it('follows the configured threshold', () => {
    const table = {
      keys: ['A', 'B', 'C'],
      municipalities: M({ '08999001': { A: 2, B: 3, C: 9 }, '08999002': { A: 2, B: 3, C: 9 } }),
    };
    // Threshold 3: only the 2s are small (the 3s may still be withheld as their partners).
    assert.equal(protectTable(table, 3).suppressedCells.primary, 2);
    assert.equal(protectTable(table, 3).district.cells.A.value, 4);
    // Threshold 10: every municipality cell, and the district's 4 and 6.
    const ten = protectTable(table, 10);
    assert.equal(ten.suppressedCells.primary, 8);
    assert.equal(ten.district.cells.C.value, 18);
    assert.throws(() => protectTable(table, 1), /threshold/);
  });

  it('stops recovering a cell from its row total and the other cells, by withholding the smallest other cell', () => {
    const table: CountTable = {
      keys: ['SHARED', 'FOLLOW_UP', 'OWN_FLAT'],
      municipalities: M({
        '08999001': { SHARED: 2, FOLLOW_UP: 10, OWN_FLAT: 20 },
        '08999002': { SHARED: 9, FOLLOW_UP: 30, OWN_FLAT: 12 },
      }),
    };
    // With primary suppression alone, 32 - 10 - 20 gives the withheld 2 back.
    const naive: Knowledge = {
      keys: table.keys,
      rows: new Map<string, Record<string, number | null>>([
        ['DISTRICT', { SHARED: 11, FOLLOW_UP: 40, OWN_FLAT: 32, TOTAL: 83 }],
        ['08999001', { SHARED: null, FOLLOW_UP: 10, OWN_FLAT: 20, TOTAL: 32 }],
        ['08999002', { SHARED: 9, FOLLOW_UP: 30, OWN_FLAT: 12, TOTAL: 51 }],
        ['UNASSIGNED', { SHARED: 0, FOLLOW_UP: 0, OWN_FLAT: 0, TOTAL: 0 }],
      ]),
    };
    assert.equal(attack(naive).get('08999001/SHARED'), 2);

    const published = publishAll(table, 5);
    const row = published.get('08999001')!;
    assert.equal(row.cells.SHARED.suppressed, true);
    assert.equal(row.cells.FOLLOW_UP.suppressed, true, 'the smallest other cell of the row is withheld too');
    assert.equal(row.cells.OWN_FLAT.value, 20);
    assert.equal(row.total.value, 32);
    assert.deepEqual([...attack(knowledgeAfter(table, published)).keys()], []);
  });

  it('stops recovering a municipality from the district minus the other municipalities', () => {
    const table: CountTable = {
      keys: ['EMPLOYED', 'SEEKING'],
      municipalities: M({
        '08999001': { EMPLOYED: 3, SEEKING: 30 },
        '08999002': { EMPLOYED: 12, SEEKING: 40 },
        '08999003': { EMPLOYED: 9, SEEKING: 50 },
      }),
    };
    // Row protection alone (withhold 08999001's SEEKING as well) leaves the district attack open: 24 - 12 - 9 = 3.
    const rowOnly: Knowledge = {
      keys: table.keys,
      rows: new Map<string, Record<string, number | null>>([
        ['DISTRICT', { EMPLOYED: 24, SEEKING: 120, TOTAL: 144 }],
        ['08999001', { EMPLOYED: null, SEEKING: null, TOTAL: 33 }],
        ['08999002', { EMPLOYED: 12, SEEKING: 40, TOTAL: 52 }],
        ['08999003', { EMPLOYED: 9, SEEKING: 50, TOTAL: 59 }],
        ['UNASSIGNED', { EMPLOYED: 0, SEEKING: 0, TOTAL: 0 }],
      ]),
    };
    assert.equal(attack(rowOnly).get('08999001/EMPLOYED'), 3);

    const published = publishAll(table, 5);
    assert.equal(published.get('08999001')!.cells.EMPLOYED.suppressed, true);
    assert.equal(
      published.get('08999003')!.cells.EMPLOYED.suppressed,
      true,
      "the smallest other municipality's cell is withheld",
    );
    assert.equal(published.get('08999002')!.cells.EMPLOYED.value, 12);
    assert.equal(published.get('DISTRICT')!.cells.EMPLOYED.value, 24, 'the district figure stays published');
    assert.deepEqual([...attack(knowledgeAfter(table, published)).keys()], []);
  });

  it('protects a small remainder without a municipality, which would otherwise be the district minus all municipalities', () => {
    const table: CountTable = {
      keys: ['HOUSING', 'LANGUAGE'],
      municipalities: M({ '08999001': { HOUSING: 20, LANGUAGE: 30 }, '08999002': { HOUSING: 25, LANGUAGE: 8 } }),
      unassigned: { HOUSING: 2, LANGUAGE: 0 },
    };
    // Published in full, the district's HOUSING minus both municipalities' would give the remainder: 47 - 20 - 25 = 2.
    const published = publishAll(table, 5);
    assert.deepEqual([...attack(knowledgeAfter(table, published)).keys()], []);
    // Something published had to give way: the district's HOUSING or a municipality's.
    const withheld = [...published.values()].filter((row) => row.cells.HOUSING.suppressed).length;
    assert.ok(withheld >= 1);
  });

  it('gives the same pattern whichever region is asked for, and zeros for a municipality without records', () => {
    const table: CountTable = {
      keys: ['A', 'B'],
      municipalities: M({ '08999002': { A: 1, B: 9 }, '08999001': { A: 6, B: 7 } }),
    };
    const first = protectTable(table, 5);
    const second = protectTable({ ...table, municipalities: new Map([...table.municipalities].reverse()) }, 5);
    assert.deepEqual(first.municipality('08999002'), second.municipality('08999002'));
    assert.deepEqual(first.district, second.district);
    assert.deepEqual(first.municipality('08999009').total, { value: 0, suppressed: false });
  });

  it('leaves no withheld count recoverable in 400 random tables, and withholds only counts of at least 1', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let suppressedSeen = 0;
    for (let n = 0; n < 400; n += 1) {
      const keys = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => `K${i}`);
      const count = () => (random() < 0.3 ? 0 : Math.floor(random() * (random() < 0.5 ? 6 : 40)));
      const municipalities = new Map<string, Record<string, number>>();
      for (let m = 0; m < 1 + Math.floor(random() * 6); m += 1)
        municipalities.set(`0899900${m}`, Object.fromEntries(keys.map((k) => [k, count()])));
      const unassigned =
        random() < 0.4
          ? Object.fromEntries(keys.map((k) => [k, random() < 0.6 ? 0 : Math.floor(random() * 6)]))
          : undefined;
      const table: CountTable = { keys, municipalities, unassigned };
      const threshold = random() < 0.2 ? 3 : 5;
      const published = publishAll(table, threshold);
      const truth = trueRows(table);
      for (const [name, row] of published) {
        const values = truth.get(name)!;
        for (const [key, cell] of [...Object.entries(row.cells), ['TOTAL', row.total] as const]) {
          if (isSmall(values[key], threshold))
            assert.equal(cell.suppressed, true, `table ${n}: ${name}/${key}=${values[key]} is small`);
          assert.equal(cell.value === null, cell.suppressed);
          if (cell.suppressed) {
            suppressedSeen += 1;
            assert.ok(values[key] >= 1, `table ${n}: ${name}/${key} withheld a zero`);
          } else {
            assert.equal(cell.value, values[key]);
          }
        }
      }
      // Withheld published cells and the unassigned row's small counts must all stay unknown.
      for (const [cell, value] of attack(knowledgeAfter(table, published))) {
        const [row] = cell.split('/');
        if (row === 'UNASSIGNED' && !isSmall(value, threshold)) continue;
        assert.fail(
          `table ${n} (${JSON.stringify({ keys, municipalities: [...municipalities], unassigned })}): attacker recovered ${cell} = ${value}`,
        );
      }
    }
    assert.ok(suppressedSeen > 300, 'the random tables exercise suppression');
  });
});
