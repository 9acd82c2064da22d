import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cellHeat, matrixAccuracy, mostConfusedPairs, normaliseRows } from '../../../../webview/dashboard/confusionMath';

const matrix = [
  [58, 2, 0],
  [4, 55, 1],
  [0, 9, 51],
];

describe('confusion matrix arithmetic', () => {
  test('row-normalises to the share of each true class predicted as each class', () => {
    const rates = normaliseRows(matrix);
    for (const row of rates) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.equal(rates[2][1], 9 / 60);
    assert.deepEqual(normaliseRows([[0, 0], [1, 3]]), [[0, 0], [0.25, 0.75]]);
  });

  test('lists the most confused pairs off the diagonal, most examples first', () => {
    assert.deepEqual(mostConfusedPairs(matrix).map((p) => [p.trueIndex, p.predictedIndex, p.count]), [[2, 1, 9], [1, 0, 4], [0, 1, 2], [1, 2, 1]]);
    assert.equal(mostConfusedPairs(matrix)[0].rate, 9 / 60);
    assert.equal(mostConfusedPairs(matrix, 2).length, 2);
    assert.deepEqual(mostConfusedPairs([[5, 0], [0, 5]]), []);
  });

  test('breaks ties by the rate within the true class', () => {
    const pairs = mostConfusedPairs([[10, 5, 0], [5, 95, 0], [0, 0, 1]]);
    assert.deepEqual(pairs.map((p) => [p.trueIndex, p.predictedIndex]), [[0, 1], [1, 0]]);
  });

  test('computes accuracy from the diagonal', () => {
    assert.equal(matrixAccuracy(matrix), (58 + 55 + 51) / 180);
    assert.equal(matrixAccuracy([[0]]), undefined);
  });

  test('heat is the value over the largest, clamped to [0, 1]', () => {
    assert.equal(cellHeat(29, 58), 0.5);
    assert.equal(cellHeat(0, 58), 0);
    assert.equal(cellHeat(3, 0), 0);
    assert.equal(cellHeat(70, 58), 1);
  });
});
