import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SampleItem } from '../../../../src/protocol/dashboardView';
import { querySamples } from '../../../../webview/dashboard/sampleQuery';

const item = (index: number, label: number, predicted: number, confidence: number): SampleItem => ({ index, label, predicted, confidence, name: `${index}.png` });
const items = [item(0, 0, 0, 0.9), item(1, 0, 1, 0.6), item(2, 1, 1, 0.4), item(3, 1, 0, 0.95), item(4, 0, 1, 0.2), item(5, 1, 1, 0.99)];

describe('querySamples', () => {
  test('puts the most confidently wrong first, then the least confident correct ones', () => {
    assert.deepEqual(querySamples(items, { outcome: 'all', order: 'mistakesFirst' }).map((i) => i.index), [3, 1, 4, 2, 0, 5]);
  });

  test('filters by true class, predicted class and outcome', () => {
    assert.deepEqual(querySamples(items, { trueClass: 0, outcome: 'wrong', order: 'file' }).map((i) => i.index), [1, 4]);
    assert.deepEqual(querySamples(items, { trueClass: 1, predictedClass: 1, outcome: 'all', order: 'confidenceDesc' }).map((i) => i.index), [5, 2]);
    assert.deepEqual(querySamples(items, { outcome: 'correct', order: 'confidenceAsc' }).map((i) => i.index), [2, 0, 5]);
  });

  test('does not reorder the list it was given', () => {
    const copy = [...items];
    querySamples(items, { outcome: 'all', order: 'confidenceDesc' });
    assert.deepEqual(items, copy);
  });
});
