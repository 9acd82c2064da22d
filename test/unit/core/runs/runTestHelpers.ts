// Shared by the run-store tests: a small valid spec, temp runs folders, and events a real trainer would emit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSpec } from '../../../../src/core/runSpec';
import type { EpochEndEvent, RunStartEvent } from '../../../../src/core/train/trainingEvents';

export function sampleSpec(datasetPath = '/data/mnist', epochs = 3): RunSpec {
  return {
    data: { path: datasetPath, format: 'idx', valSplit: 0.1, cifar100Labels: 'fine' },
    model: { kind: 'cnn', options: { filters: [8, 16], denseUnits: 32, dropout: 0 } },
    training: {
      epochs, batchSize: 32, learningRate: 0.001, optimizer: 'adam', momentum: 0.9,
      loss: 'crossentropy', labelSmoothing: 0, earlyStoppingPatience: 0, seed: 7,
    },
    augment: { flip: false, rotateDegrees: 0, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 },
  };
}

/** A fresh runs folder; `cleanup` removes it. */
export async function tempRunsDir(): Promise<{ runsDir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'classifier-lab-runs-'));
  return { runsDir: join(root, 'runs'), cleanup: () => rm(root, { recursive: true, force: true }) };
}

export const CLASSES = ['cat', 'dog', 'fox'];

export function runStartEvent(overrides: Partial<RunStartEvent> = {}): RunStartEvent {
  return {
    type: 'runStart', time: '2026-11-27T07:15:03.000Z', backend: 'wasm', format: 'folder', classes: CLASSES,
    imageShape: [32, 32, 3], trainCount: 90, valCount: 9, testCount: 30, parameterCount: 12345,
    epochs: 3, batchesPerEpoch: 3, startEpoch: 1, ...overrides,
  };
}

export function epochEndEvent(epoch: number, valAcc: number, isBest: boolean): EpochEndEvent {
  const confusion = [[3, 0, 0], [1, 2, 0], [0, 1, 2]];
  return {
    type: 'epochEnd', time: `2026-11-27T07:16:0${epoch}.000Z`, epoch, loss: 1 / epoch, acc: 0.5 + epoch / 10,
    valLoss: 1.1 / epoch, valAcc, learningRate: 0.001, imagesPerSecond: 400 + epoch, durationMs: 1000,
    confusion,
    perClass: CLASSES.map((label, i) => ({ label, precision: 0.8, recall: 0.7, f1: 0.75, support: confusion[i].reduce((a, b) => a + b, 0) })),
    isBest,
  };
}
