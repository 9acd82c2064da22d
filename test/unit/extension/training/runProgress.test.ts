import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextProgress, progressFraction, progressText, type RunProgress } from '../../../../src/extension/training/runProgress';
import type { TrainingEvent } from '../../../../src/core/train/trainingEvents';

const runStart: TrainingEvent = {
  type: 'runStart', time: 't', backend: 'wasm', format: 'folder', classes: ['a', 'b'], imageShape: [8, 8, 1],
  trainCount: 100, valCount: 10, testCount: 0, parameterCount: 10, epochs: 4, batchesPerEpoch: 10, startEpoch: 1,
};

function fold(events: TrainingEvent[]): RunProgress | undefined {
  return events.reduce<RunProgress | undefined>((p, e) => nextProgress(p, e, 'r'), undefined);
}

describe('run progress', () => {
  test('follows batches and epochs', () => {
    const batch = (epoch: number, b: number): TrainingEvent => ({ type: 'batchEnd', epoch, batch: b, batchesPerEpoch: 10, loss: 1, acc: 0.6, learningRate: 0.001, imagesPerSecond: 100 });
    const afterBatches = fold([runStart, batch(1, 10), batch(2, 5)])!;
    assert.equal(progressFraction(afterBatches), 0.375);
    assert.equal(progressText(afterBatches), 'epoch 2/4 · 38% · acc 60.0%');
    const epochEnd: TrainingEvent = {
      type: 'epochEnd', time: 't', epoch: 2, loss: 1, acc: 0.6, valLoss: 1, valAcc: 0.7, learningRate: 0.001, imagesPerSecond: 100,
      durationMs: 10, confusion: [], perClass: [], isBest: true,
    };
    assert.equal(progressText(fold([runStart, batch(1, 10), batch(2, 10), epochEnd])!), 'epoch 2/4 · 50% · val acc 70.0%');
  });

  test('a run without a validation split shows its training accuracy as training accuracy', () => {
    const epochEnd: TrainingEvent = {
      type: 'epochEnd', time: 't', epoch: 1, loss: 1, acc: 0.65, learningRate: 0.001, imagesPerSecond: 100,
      durationMs: 10, confusion: [], perClass: [], isBest: true,
    };
    const progress = fold([{ ...runStart, valCount: 0 } as TrainingEvent, epochEnd])!;
    assert.equal(progressText(progress), 'epoch 1/4 · 25% · train acc 65.0%');
    assert.equal(progress.lastValAcc, undefined);
  });

  test('counts only the epochs left when resuming, and nothing before runStart', () => {
    assert.equal(fold([{ type: 'batchEnd', epoch: 1, batch: 1, batchesPerEpoch: 10, loss: 1, acc: 1, learningRate: 1, imagesPerSecond: 1 }]), undefined);
    const resumed = fold([{ ...runStart, startEpoch: 3 } as TrainingEvent, { type: 'batchEnd', epoch: 3, batch: 5, batchesPerEpoch: 10, loss: 1, acc: 1, learningRate: 1, imagesPerSecond: 1 }])!;
    assert.equal(progressFraction(resumed), 0.25);
  });
});
