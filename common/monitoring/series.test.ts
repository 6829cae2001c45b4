import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { monitoringWindow, protectSeries, requireInWindow } from './series.js';
import { isSmall, protectTable, type CountTable, type ProtectedTable } from './suppression.js';
import { determinedUnknowns, Fraction } from '../../tests/support/exact-solver.js';
import { parsePeriod } from './period.js';

/**
 * An attacker of a series, sharing no code with the module: it knows every published figure of every period,
 * the equations of each period's table (row totals; district = municipalities + the unpublished remainder
 * without a municipality), and — the strongest outside knowledge — the exact change of every cell between
 * consecutive periods (so between any two). Of the remainder it knows the counts that are 0 in every period.
 * It solves the joint linear system with exact fractions and reports every cell it pins down.
 */
type Rows = Map<string, Record<string, number>>;

/** Every period's true rows: DISTRICT, each AGS and UNASSIGNED, with TOTAL. */
function truth(table: CountTable, municipalities: string[]): Rows {
  const rows: Rows = new Map();
  const value = (counts: Record<string, number> | undefined) => {
    const cells = Object.fromEntries(table.keys.map((k) => [k, counts?.[k] ?? 0]));
    return { ...cells, TOTAL: Object.values(cells).reduce((a, b) => a + b, 0) };
  };
  const named = [
    ...municipalities.map((ags) => [ags, value(table.municipalities.get(ags))] as const),
    ['UNASSIGNED', value(table.unassigned)] as const,
  ];
  const district: Record<string, number> = {};
  for (const [, cells] of named) for (const [k, v] of Object.entries(cells)) district[k] = (district[k] ?? 0) + v;
  rows.set('DISTRICT', district);
  for (const [name, cells] of named) rows.set(name, cells);
  return rows;
}

/** The cells (`<period>|<row>/<key>`) the attacker pins down, with their values. */
function attackSeries(tables: CountTable[], published: ProtectedTable[]): Map<string, number> {
  const municipalities = [...new Set(tables.flatMap((t) => [...t.municipalities.keys()]))].sort();
  const keys = [...tables[0].keys, 'TOTAL'];
  const truths = tables.map((t) => truth(t, municipalities));
  const rowNames = ['DISTRICT', ...municipalities, 'UNASSIGNED'];
  const known = (p: number, row: string, key: string): number | null => {
    if (row === 'UNASSIGNED') return truths.every((t) => t.get(row)![key] === 0) ? 0 : null;
    const r = row === 'DISTRICT' ? published[p].district : published[p].municipality(row);
    return key === 'TOTAL' ? r.total.value : r.cells[key].value;
  };
  const unknowns: string[] = [];
  for (let p = 0; p < tables.length; p += 1)
    for (const row of rowNames)
      for (const key of keys) if (known(p, row, key) === null) unknowns.push(`${p}|${row}/${key}`);
  const index = new Map(unknowns.map((u, i) => [u, i]));
  // Each equation: sum of coefficient * cell = constant.
  const equations: { terms: [number, string, string, number][]; constant: number }[] = [];
  for (let p = 0; p < tables.length; p += 1) {
    for (const row of rowNames)
      equations.push({
        terms: [
          ...tables[0].keys.map((k) => [p, row, k, 1] as [number, string, string, number]),
          [p, row, 'TOTAL', -1],
        ],
        constant: 0,
      });
    for (const key of keys) {
      equations.push({
        terms: [
          [p, 'DISTRICT', key, 1],
          ...rowNames.slice(1).map((row) => [p, row, key, -1] as [number, string, string, number]),
        ],
        constant: 0,
      });
    }
    if (p > 0) {
      for (const row of rowNames) {
        for (const key of keys) {
          const change = truths[p].get(row)![key] - truths[p - 1].get(row)![key];
          equations.push({
            terms: [
              [p, row, key, 1],
              [p - 1, row, key, -1],
            ],
            constant: change,
          });
        }
      }
    }
  }
  const matrix = equations.map(({ terms, constant }) => {
    const coefficients = unknowns.map(() => Fraction.of(0));
    let rhs = Fraction.of(constant);
    for (const [p, row, key, coefficient] of terms) {
      const value = known(p, row, key);
      if (value === null) {
        const i = index.get(`${p}|${row}/${key}`)!;
        coefficients[i] = coefficients[i].add(Fraction.of(coefficient));
      } else {
        rhs = rhs.sub(Fraction.of(coefficient * value));
      }
    }
    return [...coefficients, rhs];
  });
  const found = new Map<string, number>();
  for (const [i, value] of determinedUnknowns(matrix, unknowns.length)) found.set(unknowns[i], value);
  return found;
}

/** The recovered cells whose true count is small in their own period: each one is a disclosure. */
function smallRecovered(tables: CountTable[], published: ProtectedTable[], threshold: number): string[] {
  return [...attackSeries(tables, published)]
    .filter(([, value]) => isSmall(value, threshold))
    .map(([cell, value]) => `${cell}=${value}`);
}

const M = (entries: Record<string, Record<string, number>>) => new Map(Object.entries(entries));
const M1 = '08999001';
const M2 = '08999002';
const M3 = '08999003';

describe('disclosure control across periods', () => {
  // June and September: a family of two moved from M1's shared accommodation into a flat, so M1's SHARED went 6 -> 4.
  const june: CountTable = {
    keys: ['SHARED', 'OWN_FLAT'],
    municipalities: M({
      [M1]: { SHARED: 6, OWN_FLAT: 20 },
      [M2]: { SHARED: 9, OWN_FLAT: 30 },
      [M3]: { SHARED: 12, OWN_FLAT: 8 },
    }),
  };
  const september: CountTable = {
    keys: ['SHARED', 'OWN_FLAT'],
    municipalities: M({
      [M1]: { SHARED: 4, OWN_FLAT: 22 },
      [M2]: { SHARED: 9, OWN_FLAT: 30 },
      [M3]: { SHARED: 12, OWN_FLAT: 8 },
    }),
  };

  it('table by table, a known change gives a withheld count away; as one series it does not', () => {
    const single = [protectTable(june, 5), protectTable(september, 5)];
    assert.equal(single[0].municipality(M1).cells.SHARED.value, 6, 'June publishes 6');
    assert.equal(single[1].municipality(M1).cells.SHARED.suppressed, true, 'September withholds 4');
    assert.ok(
      smallRecovered([june, september], single, 5).includes(`1|${M1}/SHARED=4`),
      '6 published, "two left" -> 4',
    );

    const series = protectSeries([june, september], 5);
    assert.equal(series[0].municipality(M1).cells.SHARED.suppressed, true, 'June withholds the 6 as well');
    assert.deepEqual(smallRecovered([june, september], series, 5), []);
    // Nothing else either: every withheld cell stays unknown, large ones included.
    assert.deepEqual(
      [...attackSeries([june, september], series).keys()].filter((c) => !c.includes('UNASSIGNED')),
      [],
    );
  });

  it('withholds the same cells in every period, and publishes what is large throughout', () => {
    const series = protectSeries([june, september], 5);
    for (const ags of [M1, M2, M3, 'DISTRICT']) {
      const rows = series.map((t) => (ags === 'DISTRICT' ? t.district : t.municipality(ags)));
      for (const key of ['SHARED', 'OWN_FLAT'] as const)
        assert.equal(rows[0].cells[key].suppressed, rows[1].cells[key].suppressed, `${ags}/${key}`);
      assert.equal(rows[0].total.suppressed, rows[1].total.suppressed, `${ags}/TOTAL`);
    }
    assert.deepEqual(series[0].withheld, series[1].withheld);
    assert.equal(series[1].district.total.value, 85);
    assert.deepEqual(series[1].municipality(M3).cells, {
      SHARED: { value: 12, suppressed: false },
      OWN_FLAT: { value: 8, suppressed: false },
    });
    assert.equal(series[1].municipality(M1).total.value, 26, "M1's total stays, its two cells being withheld together");
  });

  it('withholds a zero in one period when the cell is small in another (0 -> 3 with "three arrived")', () => {
    const before: CountTable = {
      keys: ['A', 'B'],
      municipalities: M({ [M1]: { A: 0, B: 20 }, [M2]: { A: 10, B: 20 }, [M3]: { A: 10, B: 30 } }),
    };
    const after: CountTable = {
      keys: ['A', 'B'],
      municipalities: M({ [M1]: { A: 3, B: 20 }, [M2]: { A: 10, B: 20 }, [M3]: { A: 10, B: 30 } }),
    };
    const single = [protectTable(before, 5), protectTable(after, 5)];
    assert.ok(smallRecovered([before, after], single, 5).includes(`1|${M1}/A=3`));
    const series = protectSeries([before, after], 5);
    assert.equal(series[0].municipality(M1).cells.A.suppressed, true);
    assert.deepEqual(smallRecovered([before, after], series, 5), []);
  });

  it('protects a remainder without a municipality that is small in one period only', () => {
    const q2: CountTable = {
      keys: ['A', 'B'],
      municipalities: M({ [M1]: { A: 20, B: 30 }, [M2]: { A: 25, B: 8 } }),
      unassigned: { A: 9, B: 0 },
    };
    const q3: CountTable = {
      keys: ['A', 'B'],
      municipalities: M({ [M1]: { A: 20, B: 30 }, [M2]: { A: 25, B: 8 } }),
      unassigned: { A: 2, B: 0 },
    };
    const series = protectSeries([q2, q3], 5);
    assert.deepEqual(smallRecovered([q2, q3], series, 5), []);
  });

  it('leaves no count that is small in its period recoverable in 150 random series of 2 to 4 periods, with every change known', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let withheld = 0;
    for (let n = 0; n < 150; n += 1) {
      const keys = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => `K${i}`);
      const municipalities = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, m) => `0899900${m}`);
      const periods = 2 + Math.floor(random() * 3);
      const threshold = random() < 0.2 ? 3 : 5;
      // A random walk per cell, so that consecutive periods differ by small known changes.
      let current = new Map(
        municipalities.map((ags) => [
          ags,
          Object.fromEntries(keys.map((k) => [k, Math.floor(random() * (random() < 0.5 ? 8 : 30))])),
        ]),
      );
      let remainder = Object.fromEntries(keys.map((k) => [k, random() < 0.6 ? 0 : Math.floor(random() * 6)]));
      const tables: CountTable[] = [];
      for (let p = 0; p < periods; p += 1) {
        tables.push({
          keys,
          municipalities: new Map([...current].map(([a, c]) => [a, { ...c }])),
          unassigned: { ...remainder },
        });
        const step = (v: number) => Math.max(0, v + Math.floor(random() * 7) - 3);
        current = new Map(
          [...current].map(([a, c]) => [a, Object.fromEntries(Object.entries(c).map(([k, v]) => [k, step(v)]))]),
        );
        remainder = Object.fromEntries(Object.entries(remainder).map(([k, v]) => [k, random() < 0.5 ? v : step(v)]));
      }
      let series: ProtectedTable[];
      try {
        series = protectSeries(tables, threshold);
      } catch (error) {
        // Failing closed is allowed; publishing a recoverable count is not.
        assert.match(String(error), /no safe suppression pattern/);
        continue;
      }
      for (let p = 0; p < periods; p += 1) {
        const rows = truth(tables[p], municipalities);
        for (const name of ['DISTRICT', ...municipalities]) {
          const row = name === 'DISTRICT' ? series[p].district : series[p].municipality(name);
          for (const [key, cell] of [...Object.entries(row.cells), ['TOTAL', row.total] as const]) {
            if (isSmall(rows.get(name)![key], threshold))
              assert.equal(cell.suppressed, true, `series ${n} period ${p}: ${name}/${key} is small`);
            if (!cell.suppressed) assert.equal(cell.value, rows.get(name)![key]);
            else withheld += 1;
          }
        }
      }
      assert.deepEqual(
        smallRecovered(tables, series, threshold),
        [],
        `series ${n}: ${JSON.stringify(tables.map((t) => [[...t.municipalities], t.unassigned]))}`,
      );
    }
    assert.ok(withheld > 300, 'the random series exercise suppression');
  });

  it('answers a period only inside the monitoring window, which ends with the current quarter', () => {
    const window = monitoringWindow(new Date('2026-12-01T10:00:00Z'), '2025-01');
    assert.equal(window.length, 24);
    assert.deepEqual([window[0], window[2], window[23]], ['2025-01-31', '2025-03-31', '2026-12-31']);
    assert.equal(monitoringWindow(new Date('2026-02-10T00:00:00Z'), '2025-01').at(-1), '2026-03-31');
    requireInWindow(parsePeriod('2025-Q1'), window);
    requireInWindow(parsePeriod('2026-12'), window);
    assert.throws(
      () => requireInWindow(parsePeriod('2024-12'), window),
      /outside the monitoring window 2025-01 to 2026-12/,
    );
    assert.throws(() => requireInWindow(parsePeriod('2027-Q1'), window), /outside the monitoring window/);
  });
});
