import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchPoints } from '../../../../../src/extension/webviews/dashboard/batchPoints';
import { foldMetrics, MetricsFold } from '../../../../../src/extension/webviews/dashboard/foldMetrics';
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
    assert.deepEqual(folded.batches.series().step, [1, 2, 3, 4]);
    assert.deepEqual(folded.batches.series().loss, [0.9, 0.8, 0.7, 0.6]);
    assert.deepEqual(folded.epochs.map((p) => p.epoch), [1, 2]);
    assert.equal(folded.test?.acc, 0.55);
    assert.equal(folded.start?.batchesPerEpoch, 2);
  });

  test('a resume replaces the interrupted epoch\'s batches and any epoch after the checkpoint', () => {
    const folded = foldMetrics([
      runStart(1), batch(1, 1, 0.9), batch(1, 2, 0.8), epochEnd(1, 0.5), batch(2, 1, 0.7),
      runStart(2), batch(2, 1, 0.65), batch(2, 2, 0.6), epochEnd(2, 0.6),
    ]);
    assert.deepEqual(folded.batches.series().loss, [0.9, 0.8, 0.65, 0.6]);
    assert.deepEqual(folded.batches.series().step, [1, 2, 3, 4]);
    assert.deepEqual(folded.epochs.map((p) => [p.epoch, p.valAcc]), [[1, 0.5], [2, 0.6]]);
    assert.equal(folded.start?.startEpoch, 2);
  });

  test('an empty or not yet started run folds to empty series', () => {
    const folded = foldMetrics([]);
    assert.equal(folded.batches.series().step.length, 0);
    assert.equal(folded.batches.batchCount, 0);
    assert.equal(folded.epochs.length, 0);
    assert.equal(folded.start, undefined);
  });
});

describe('a run without a validation split', () => {
  test('its epochs have training numbers only: none are passed off as validation numbers', () => {
    const folded = foldMetrics([
      { ...runStart(1), valCount: 0 } as RecordedEvent,
      { type: 'epochEnd', time: 't', epoch: 1, loss: 0.5, acc: 0.6, learningRate: 0.01, imagesPerSecond: 100, durationMs: 5, perClass: [], isBest: true },
    ]);
    const [point] = folded.epochs;
    assert.equal(point.acc, 0.6);
    assert.equal(point.valAcc, undefined);
    assert.equal(point.valLoss, undefined);
    assert.ok(!('valAcc' in point));
  });
});

describe('batch points (a long run\'s batches kept to a bounded number of points)', () => {
  const batchOf = (step: number, perEpoch = 100): Extract<RecordedEvent, { type: 'batchEnd' }> => ({
    type: 'batchEnd', epoch: Math.floor((step - 1) / perEpoch) + 1, batch: ((step - 1) % perEpoch) + 1, batchesPerEpoch: perEpoch,
    loss: step, acc: 0.5, learningRate: 0.001, imagesPerSecond: 10,
  });

  test('never holds more points than its budget; each point averages equal runs of consecutive batches', () => {
    const points = new BatchPoints(8);
    for (let step = 1; step <= 1000; step++) points.add(batchOf(step));
    points.flush();
    const series = points.series();
    assert.ok(series.step.length <= 8, `${series.step.length} points`);
    assert.equal(points.batchCount, 1000);
    assert.equal(points.batchesPerPoint, 128);
    // Loss = step, so a point of batches a..b has the mean (a + b) / 2; the last point holds the rest.
    assert.deepEqual(series.step, [128, 256, 384, 512, 640, 768, 896, 1000]);
    assert.deepEqual(series.loss.slice(0, 2), [64.5, 192.5]);
    assert.equal(series.loss[7], (897 + 1000) / 2);
    assert.deepEqual(series.epoch, [2, 3, 4, 6, 7, 8, 9, 10]);
  });

  test('a run within the budget keeps every batch as its own point', () => {
    const folded = foldMetrics(Array.from({ length: 50 }, (_, i) => batchOf(i + 1) as RecordedEvent), 64);
    assert.equal(folded.batches.batchesPerPoint, 1);
    assert.deepEqual(folded.batches.series().loss, Array.from({ length: 50 }, (_, i) => i + 1));
  });

  test('streams: new points are appended; merged points are sent anew in full', () => {
    const fold = new MetricsFold(4);
    for (let step = 1; step <= 3; step++) fold.add(batchOf(step));
    assert.deepEqual(fold.batches.takeNew(), { batches: { step: [1, 2, 3], epoch: [1, 1, 1], loss: [1, 2, 3], acc: [0.5, 0.5, 0.5], learningRate: [0.001, 0.001, 0.001], imagesPerSecond: [10, 10, 10] }, replace: false });
    fold.add(batchOf(4));
    // The fourth point reached the budget: pairs merged, two batches to a point from now on.
    const merged = fold.batches.takeNew();
    assert.equal(merged.replace, true);
    assert.deepEqual(merged.batches.step, [2, 4]);
    assert.deepEqual(merged.batches.loss, [1.5, 3.5]);
    fold.add(batchOf(5)); // half a point: not sent yet
    assert.deepEqual(fold.batches.takeNew(), { batches: { step: [], epoch: [], loss: [], acc: [], learningRate: [], imagesPerSecond: [] }, replace: false });
    fold.add(batchOf(6));
    assert.deepEqual(fold.batches.takeNew().batches.loss, [5.5]);
    fold.add(batchOf(7));
    fold.add({ type: 'runEnd', time: 't', status: 'completed', best: null });
    assert.deepEqual(fold.batches.takeNew().batches.step, [7], 'the run\'s end flushes its last batches');
    assert.equal(fold.batches.batchCount, 7);
  });

  test('a resume drops the points of the epochs it replaces, and says so', () => {
    const fold = new MetricsFold(64);
    for (let step = 1; step <= 250; step++) fold.add(batchOf(step));
    fold.batches.takeNew();
    fold.add({ ...runStart(2), batchesPerEpoch: 100 } as RecordedEvent);
    assert.equal(fold.batches.batchCount, 100);
    const update = fold.batches.takeNew();
    assert.equal(update.replace, true);
    assert.equal(update.batches.step.length, 25, '100 batches, 4 to a point');
  });
});

describe('a snapshot of a run whose last point is still filling', () => {
  test('shows that point, and sends every point anew once it fills', () => {
    const fold = new MetricsFold(4);
    for (let step = 1; step <= 5; step++) fold.add({ type: 'batchEnd', epoch: 1, batch: step, batchesPerEpoch: 100, loss: step, acc: 0.5, learningRate: 0.001, imagesPerSecond: 10 });
    // 4 batches made 2 points of 2; the fifth fills the third.
    assert.deepEqual(fold.batches.series(true).loss, [1.5, 3.5, 5]);
    fold.batches.markSent(true);
    fold.add({ type: 'batchEnd', epoch: 1, batch: 6, batchesPerEpoch: 100, loss: 6, acc: 0.5, learningRate: 0.001, imagesPerSecond: 10 });
    const update = fold.batches.takeNew();
    assert.equal(update.replace, true);
    assert.deepEqual(update.batches.loss, [1.5, 3.5, 5.5]);
  });
});
