import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyOf, confusionMatrix, perClassMetrics } from '../../../../src/core/train/classificationMetrics';

test('confusion matrix counts true class by row and prediction by column', () => {
  const matrix = confusionMatrix([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], 3);
  assert.deepEqual(matrix, [[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
  assert.equal(accuracyOf(matrix), 4 / 6);
});

test('per-class precision, recall and F1 follow their definitions', () => {
  const matrix = [[1, 1, 0], [0, 2, 0], [1, 0, 1]];
  const [cat, dog, bird] = perClassMetrics(matrix, ['cat', 'dog', 'bird']);
  assert.equal(cat.precision, 0.5);
  assert.equal(cat.recall, 0.5);
  assert.equal(dog.precision, 2 / 3);
  assert.equal(dog.recall, 1);
  assert.ok(Math.abs(dog.f1 - 0.8) < 1e-12);
  assert.equal(bird.precision, 1);
  assert.equal(bird.support, 2);
});

test('a class that is never predicted scores zero instead of NaN', () => {
  const [, never] = perClassMetrics([[3, 0], [2, 0]], ['a', 'b']);
  assert.equal(never.precision, 0);
  assert.equal(never.recall, 0);
  assert.equal(never.f1, 0);
});
