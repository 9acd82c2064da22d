import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classCountsText, datasetProblem, datasetSummaryText } from '../../../../src/extension/newRun/datasetSummaryText';
import type { DatasetDescription } from '../../../../src/core/data/describeDataset';

const digits: DatasetDescription = {
  format: 'folder', imageShape: [32, 32, 1], skipped: [],
  classes: Array.from({ length: 10 }, (_, i) => ({ name: String(i), trainCount: 300, testCount: 50 })),
};

describe('dataset summaries for the picker', () => {
  test('format, classes, image counts and shape on one line', () => {
    assert.equal(datasetSummaryText(digits), 'image folders · 10 classes · 3,000 train + 500 test images · 32×32×1');
    assert.equal(datasetSummaryText({ ...digits, format: 'cifar10', classes: digits.classes.map((c) => ({ ...c, testCount: 0 })) }),
      'CIFAR-10 · 10 classes · 3,000 images · 32×32×1');
  });

  test('per-class counts, cut after a few classes', () => {
    assert.equal(classCountsText(digits, 3), '0 300 · 1 300 · 2 300 · +7 more');
  });

  test('a dataset with fewer than two usable classes is a problem', () => {
    assert.equal(datasetProblem(digits), undefined);
    assert.match(datasetProblem({ ...digits, classes: [{ name: 'a', trainCount: 5, testCount: 0 }, { name: 'b', trainCount: 0, testCount: 3 }] }) ?? '', /at least two classes/);
  });
});
