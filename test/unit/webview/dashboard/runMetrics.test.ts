import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchSeries, EpochPoint } from '../../../../src/protocol/dashboardView';
import { RunMetrics } from '../../../../webview/dashboard/runMetrics';

function batches(epoch: number, from: number, to: number, perEpoch: number): BatchSeries {
  const series: BatchSeries = { step: [], epoch: [], loss: [], acc: [], learningRate: [], imagesPerSecond: [] };
  for (let batch = from; batch <= to; batch++) {
    series.step.push((epoch - 1) * perEpoch + batch);
    series.epoch.push(epoch);
    series.loss.push(1 / (epoch + batch));
    series.acc.push(0.5);
    series.learningRate.push(0.001);
    series.imagesPerSecond.push(600);
  }
  return series;
}

function epochPoint(epoch: number, valAcc: number, valLoss = 0.5): EpochPoint {
  return { epoch, time: '', loss: 0.4, acc: 0.9, valLoss, valAcc, learningRate: 0.001, imagesPerSecond: 700, durationMs: 10, isBest: false, perClass: [] };
}

const start = (startEpoch: number) => ({ time: '', backend: 'wasm', batchesPerEpoch: 4, startEpoch, epochs: 5 });

describe('RunMetrics', () => {
  test('places batches at fractional epochs and appends streamed ones after the snapshot', () => {
    const metrics = RunMetrics.fromSnapshot({ start: start(1), batches: batches(1, 1, 4, 4), epochs: [epochPoint(1, 0.7)] });
    assert.deepEqual(metrics.batches.x, [0.25, 0.5, 0.75, 1]);
    const version = metrics.version;
    metrics.appendBatches(batches(2, 1, 2, 4));
    assert.deepEqual(metrics.batches.x.slice(4), [1.25, 1.5]);
    assert.ok(metrics.version > version, 'a change bumps the version');
  });

  test('a resumed run replaces what was recorded from its start epoch on', () => {
    const metrics = RunMetrics.fromSnapshot({ start: start(1), batches: batches(1, 1, 4, 4), epochs: [epochPoint(1, 0.7)] });
    metrics.appendBatches(batches(2, 1, 4, 4));
    metrics.addEpoch(epochPoint(2, 0.8));
    metrics.appendBatches(batches(3, 1, 2, 4)); // interrupted mid-epoch 3, checkpoint of epoch 2
    metrics.applyStart(start(3));
    assert.equal(metrics.batches.step.length, 8);
    assert.deepEqual([...new Set(metrics.batches.epoch)], [1, 2]);
    metrics.applyStart(start(2)); // resumed from the checkpoint of epoch 1
    assert.equal(metrics.batches.step.length, 4);
    assert.deepEqual(metrics.epochs.map((p) => p.epoch), [1]);
  });

  test('an epoch recorded twice keeps its latest numbers, epochs stay ordered', () => {
    const metrics = new RunMetrics();
    metrics.addEpoch(epochPoint(2, 0.8));
    metrics.addEpoch(epochPoint(1, 0.7));
    metrics.addEpoch(epochPoint(2, 0.85));
    assert.deepEqual(metrics.epochs.map((p) => [p.epoch, p.valAcc]), [[1, 0.7], [2, 0.85]]);
  });

  test('picks the best epoch by validation accuracy, ties by lower loss', () => {
    const metrics = new RunMetrics();
    metrics.addEpoch(epochPoint(1, 0.9, 0.3));
    metrics.addEpoch(epochPoint(2, 0.9, 0.2));
    metrics.addEpoch(epochPoint(3, 0.85, 0.1));
    assert.equal(metrics.bestEpoch()?.epoch, 2);
  });

  test('a run without a validation split picks its best epoch by training accuracy', () => {
    const metrics = new RunMetrics();
    for (const [epoch, acc] of [[1, 0.8], [2, 0.95], [3, 0.9]]) {
      metrics.addEpoch({ epoch, time: '', loss: 1 - acc, acc, learningRate: 0.001, imagesPerSecond: 700, durationMs: 10, isBest: false, perClass: [] });
    }
    assert.equal(metrics.trainingOnly, true);
    assert.equal(metrics.bestEpoch()?.epoch, 2);
  });

  test('counts the batches a run recorded, not the points that average them; replaced points replace', () => {
    const metrics = RunMetrics.fromSnapshot({ start: start(1), batches: batches(1, 1, 2, 4), epochs: [], batchCount: 8, batchesPerPoint: 4 });
    assert.equal(metrics.batchCount, 8);
    metrics.receiveBatches(batches(1, 3, 3, 4), { batchCount: 12, batchesPerPoint: 4 });
    assert.equal(metrics.batches.step.length, 3);
    metrics.receiveBatches(batches(1, 1, 2, 4), { batchCount: 16, batchesPerPoint: 8, replace: true });
    assert.deepEqual(metrics.batches.step, [1, 2]);
    assert.equal(metrics.batchCount, 16);
    assert.equal(metrics.batchesPerPoint, 8);
  });
});
