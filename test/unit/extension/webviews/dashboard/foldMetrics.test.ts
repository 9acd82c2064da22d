import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foldMetrics } from '../../../../../src/extension/webviews/dashboard/foldMetrics';
import type { RecordedEvent } from '../../../../../src/core/runs/recordedEvent';

const runStart = (startEpoch: number): RecordedEvent => ({
  type: 'runStart', time: 't', backend: 'wasm', format: 'folder', classes: ['a', 'b'], imageShape: [8, 8, 1],
  trainCount: 8, valCount: 2, testCount: 0, parameterCount: 10, epochs: 3, batchesPerEpoch: 2, startEpoch,
});
const batch = (epoch: number, b: number, loss: number): RecordedEvent => ({ type: 'batchEnd', epoch, batch: b, batchesPerEpoch: 2, loss, acc: 0.5, learningRate: 0.01, imagesPerSecond: 100 });
const epochEnd = (epoch: number, valAcc: number): RecordedEvent => ({
  type: 'epochEnd', time: 't', epoch, loss: 0.5, acc: 0.6, valLoss: 0.7, valAcc, learningRate: 0.01, imagesPerSecond: 100, durationMs: 5, perClass: [], isBest: true,
});

describe('foldMetrics (metrics.jsonl -> chart series)', () => {
  test('turns batches into columns with a global step, and collects epochs and the test result', () => {
    const folded = foldMetrics([
      runStart(1), batch(1, 1, 0.9), batch(1, 2, 0.8), epochEnd(1, 0.5), batch(2, 1, 0.7), batch(2, 2, 0.6), epochEnd(2, 0.6),
      { type: 'testEnd', epoch: 2, loss: 0.6, acc: 0.55, perClass: [] },
      { type: 'runEnd', time: 't', status: 'completed', best: { epoch: 2, valAcc: 0.6 }, testAcc: 0.55 },
    ]);
    assert.deepEqual(folded.batches.step, [1, 2, 3, 4]);
    assert.deepEqual(folded.batches.loss, [0.9, 0.8, 0.7, 0.6]);
    assert.deepEqual(folded.epochs.map((p) => p.epoch), [1, 2]);
    assert.equal(folded.test?.acc, 0.55);
    assert.equal(folded.start?.batchesPerEpoch, 2);
  });

  test('a resume replaces the interrupted epoch\'s batches and any epoch after the checkpoint', () => {
    const folded = foldMetrics([
      runStart(1), batch(1, 1, 0.9), batch(1, 2, 0.8), epochEnd(1, 0.5), batch(2, 1, 0.7),
      runStart(2), batch(2, 1, 0.65), batch(2, 2, 0.6), epochEnd(2, 0.6),
    ]);
    assert.deepEqual(folded.batches.loss, [0.9, 0.8, 0.65, 0.6]);
    assert.deepEqual(folded.batches.step, [1, 2, 3, 4]);
    assert.deepEqual(folded.epochs.map((p) => [p.epoch, p.valAcc]), [[1, 0.5], [2, 0.6]]);
    assert.equal(folded.start?.startEpoch, 2);
  });

  test('an empty or not yet started run folds to empty series', () => {
    const folded = foldMetrics([]);
    assert.equal(folded.batches.step.length, 0);
    assert.equal(folded.epochs.length, 0);
    assert.equal(folded.start, undefined);
  });
});
