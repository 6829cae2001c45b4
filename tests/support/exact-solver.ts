/**
 * The attacker's arithmetic for the suppression tests: exact fractions and Gauss–Jordan elimination, sharing
 * no code with the monitoring module it attacks. A test builds the linear system of what an analyst knows;
 * `determinedUnknowns` says which unknowns it pins down and to what.
 */
export class Fraction {
  constructor(
    readonly n: bigint,
    readonly d: bigint = 1n,
  ) {}
  static of(n: number): Fraction {
    return new Fraction(BigInt(n));
  }
  private static norm(n: bigint, d: bigint): Fraction {
    if (d < 0n) [n, d] = [-n, -d];
    let [a, b] = [n < 0n ? -n : n, d];
    while (b) [a, b] = [b, a % b];
    const g = a === 0n ? 1n : a;
    return new Fraction(n / g, d / g);
  }
  add(o: Fraction): Fraction {
    return Fraction.norm(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Fraction): Fraction {
    return Fraction.norm(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Fraction): Fraction {
    return Fraction.norm(this.n * o.n, this.d * o.d);
  }
  div(o: Fraction): Fraction {
    return Fraction.norm(this.n * o.d, this.d * o.n);
  }
  isZero(): boolean {
    return this.n === 0n;
  }
}

/**
 * Reduces `matrix` (rows of `unknowns` coefficients and a right-hand side, changed in place) to reduced row
 * echelon form and returns each unknown that some reduced row names alone, by index, with its value.
 */
export function determinedUnknowns(matrix: Fraction[][], unknowns: number): Map<number, number> {
  let pivotRow = 0;
  for (let col = 0; col < unknowns && pivotRow < matrix.length; col += 1) {
    const found = matrix.findIndex((r, i) => i >= pivotRow && !r[col].isZero());
    if (found === -1) continue;
    [matrix[pivotRow], matrix[found]] = [matrix[found], matrix[pivotRow]];
    const pivot = matrix[pivotRow][col];
    matrix[pivotRow] = matrix[pivotRow].map((v) => v.div(pivot));
    for (let i = 0; i < matrix.length; i += 1) {
      if (i === pivotRow || matrix[i][col].isZero()) continue;
      const factor = matrix[i][col];
      matrix[i] = matrix[i].map((v, j) => v.sub(factor.mul(matrix[pivotRow][j])));
    }
    pivotRow += 1;
  }
  const determined = new Map<number, number>();
  for (const r of matrix) {
    const nonZero = [...Array(unknowns).keys()].filter((i) => !r[i].isZero());
    if (nonZero.length === 1) determined.set(nonZero[0], Number(r[unknowns].n) / Number(r[unknowns].d));
  }
  return determined;
}
