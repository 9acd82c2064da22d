import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedSample, stratifiedSplit } from '../../../../src/core/data/split';

/** Labels with the given number of examples per class, interleaved. */
function labelsWith(counts: number[]): Int32Array {
  const labels: number[] = [];
  const left = [...counts];
  while (left.some((n) => n > 0)) left.forEach((n, c) => { if (n > 0) { labels.push(c); left[c]--; } });
  return Int32Array.from(labels);
}

function perClass(labels: Int32Array, indices: number[]): number[] {
  const counts: number[] = [];
  for (const i of indices) counts[labels[i]] = (counts[labels[i]] ?? 0) + 1;
  return Array.from(counts, (n) => n ?? 0);
}

describe('stratifiedSplit', () => {
  test('holds out the fraction of every class and partitions the examples', () => {
    const labels = labelsWith([100, 50, 20]);
    const { train, val } = stratifiedSplit(labels, 0.2, 7);
    assert.deepEqual(perClass(labels, val), [20, 10, 4]);
    assert.deepEqual(perClass(labels, train), [80, 40, 16]);
    assert.deepEqual([...train, ...val].sort((a, b) => a - b), Array.from(labels.keys()));
    assert.deepEqual(train, [...train].sort((a, b) => a - b));
  });

  test('every class with two or more examples gives at least one to validation and keeps one', () => {
    const labels = labelsWith([2, 3, 1, 40]);
    const { train, val } = stratifiedSplit(labels, 0.05, 1);
    assert.deepEqual(perClass(labels, val), [1, 1, 0, 2]);
    assert.deepEqual(perClass(labels, train), [1, 2, 1, 38]);
    const most = stratifiedSplit(labelsWith([2, 2]), 0.9, 1);
    assert.deepEqual(perClass(labelsWith([2, 2]), most.train), [1, 1]);
  });

  test('fraction 0 keeps everything for training', () => {
    const labels = labelsWith([5, 5]);
    assert.deepEqual(stratifiedSplit(labels, 0, 3), { train: Array.from(labels.keys()), val: [] });
  });

  test('the same seed gives the same split; another seed another one', () => {
    const labels = labelsWith([60, 60, 60]);
    assert.deepEqual(stratifiedSplit(labels, 0.25, 42), stratifiedSplit(labels, 0.25, 42));
    assert.notDeepEqual(stratifiedSplit(labels, 0.25, 42).val, stratifiedSplit(labels, 0.25, 43).val);
  });

  test('rejects a fraction outside [0, 1)', () => {
    assert.throws(() => stratifiedSplit(labelsWith([3, 3]), 1, 0), RangeError);
    assert.throws(() => stratifiedSplit(labelsWith([3, 3]), -0.1, 0), RangeError);
  });
});

describe('stratifiedSample', () => {
  test('keeps the class proportions', () => {
    const labels = labelsWith([600, 300, 100]);
    const sample = stratifiedSample(labels, 100, 5);
    assert.equal(sample.length, 100);
    assert.deepEqual(perClass(labels, sample), [60, 30, 10]);
    assert.equal(new Set(sample).size, 100);
  });

  test('keeps at least one example of every class when the limit allows', () => {
    const labels = labelsWith([500, 3, 1, 1]);
    const sample = stratifiedSample(labels, 10, 5);
    assert.equal(sample.length, 10);
    const counts = perClass(labels, sample);
    assert.ok(counts.every((n) => n >= 1), `counts ${counts}`);
    assert.equal(counts[0], 7);
  });

  test('a limit below the class count takes one from as many classes as it can', () => {
    const sample = stratifiedSample(labelsWith([10, 10, 10, 10]), 3, 1);
    assert.equal(sample.length, 3);
    assert.equal(new Set(sample.map((i) => labelsWith([10, 10, 10, 10])[i])).size, 3);
  });

  test('a limit at or above the count keeps everything; deterministic for a seed', () => {
    const labels = labelsWith([4, 4]);
    assert.deepEqual(stratifiedSample(labels, 100, 0), Array.from(labels.keys()));
    const big = labelsWith([300, 200]);
    assert.deepEqual(stratifiedSample(big, 50, 9), stratifiedSample(big, 50, 9));
    assert.notDeepEqual(stratifiedSample(big, 50, 9), stratifiedSample(big, 50, 10));
  });
});
