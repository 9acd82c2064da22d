// Accuracy, confusion matrix and per-class precision/recall/F1 as plain numbers.
import type { ClassMetrics } from './trainingEvents';

/** Rows = true class, columns = predicted class. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number[][] {
  if (labels.length !== predicted.length) {
    throw new Error(`confusionMatrix: ${labels.length} labels but ${predicted.length} predictions`);
  }
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][predicted[i]] += 1;
  return matrix;
}

export function accuracyOf(matrix: number[][]): number {
  let correct = 0;
  let total = 0;
  for (let i = 0; i < matrix.length; i++) {
    for (let j = 0; j < matrix.length; j++) {
      total += matrix[i][j];
      if (i === j) correct += matrix[i][j];
    }
  }
  return total === 0 ? 0 : correct / total;
}

/** Per-class precision, recall and F1; a class never predicted (or never present) scores 0 rather than NaN. */
export function perClassMetrics(matrix: number[][], classes: readonly string[]): ClassMetrics[] {
  return classes.map((label, k) => {
    const truePositives = matrix[k][k];
    const support = matrix[k].reduce((a, b) => a + b, 0);
    let predictedAsK = 0;
    for (let i = 0; i < matrix.length; i++) predictedAsK += matrix[i][k];
    const precision = predictedAsK === 0 ? 0 : truePositives / predictedAsK;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
}
