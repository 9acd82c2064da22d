// Confusion matrix arithmetic for the heat map: row-normalised rates and the most confused pairs.

/** Each row divided by its sum (the share of a true class predicted as each class); empty rows stay 0. */
export function normaliseRows(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    return row.map((n) => (total > 0 ? n / total : 0));
  });
}

export interface ConfusedPair {
  trueIndex: number;
  predictedIndex: number;
  count: number;
  /** count / examples of the true class. */
  rate: number;
}

/** Off-diagonal cells with at least one example, most examples first (ties: higher rate, then matrix order). */
export function mostConfusedPairs(matrix: readonly (readonly number[])[], limit = 10): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  matrix.forEach((row, trueIndex) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    row.forEach((count, predictedIndex) => {
      if (predictedIndex !== trueIndex && count > 0) pairs.push({ trueIndex, predictedIndex, count, rate: count / total });
    });
  });
  pairs.sort((a, b) => b.count - a.count || b.rate - a.rate || a.trueIndex - b.trueIndex || a.predictedIndex - b.predictedIndex);
  return pairs.slice(0, limit);
}

/** Fraction of examples on the diagonal. */
export function matrixAccuracy(matrix: readonly (readonly number[])[]): number | undefined {
  let total = 0;
  let correct = 0;
  matrix.forEach((row, i) => row.forEach((n, j) => {
    total += n;
    if (i === j) correct += n;
  }));
  return total > 0 ? correct / total : undefined;
}

/** Heat of a cell in [0, 1]: its value over the largest value shown (counts over the largest count, or rates as they are). */
export function cellHeat(value: number, largest: number): number {
  if (!(largest > 0) || !(value > 0)) return 0;
  return Math.min(1, value / largest);
}
