// Trains for real, through the same entry point the CLI and trainer process use, on generated images.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { runTraining, type RunTrainingOptions } from '../../../src/core/runTraining';
import { initBackend } from '../../../src/core/backend/selectBackend';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import { noAugmentation } from '../../../src/core/data/augment';
import { defaultTrainingSpec, RunSpecError } from '../../../src/core/runSpecDefaults';
import { DatasetError } from '../../../src/core/data/dataset';
import type { RunSpec } from '../../../src/core/runSpec';
import type { TrainingEvent } from '../../../src/core/train/trainingEvents';
import { RunStore } from '../../../src/core/runs/runStore';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

let root: string;
let shapesDir: string;

function spec(overrides: { training?: Partial<RunSpec['training']>; data?: Partial<RunSpec['data']> } = {}): RunSpec {
  return {
    data: { path: shapesDir, format: 'auto', valSplit: 0.2, cifar100Labels: 'fine', ...overrides.data },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), epochs: 6, batchSize: 32, ...overrides.training },
    augment: noAugmentation(),
  };
}

async function train(options: Partial<RunTrainingOptions> & { spec: RunSpec }): Promise<{ events: TrainingEvent[]; outcome: Awaited<ReturnType<typeof runTraining>> }> {
  const events: TrainingEvent[] = [];
  const outcome = await runTraining({
    runsDir: join(root, 'runs'), backend: 'wasm', ...options,
    onEvent: (event, id) => {
      events.push(event);
      options.onEvent?.(event, id);
    },
  });
  return { events, outcome };
}

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
  shapesDir = join(root, 'shapes');
  // 4 classes x 200 images, 32x32 colour; every 5th image of a class is in the official test split.
  writeFolderDataset(shapesDir, makeShapesDataset(800, 32, 7), { testFraction: 0.2 });
});

after(() => removeTempDir(root));

describe('training the default CNN on generated shapes', () => {
  test('learns the task to >= 90% validation accuracy and writes a complete run folder', async () => {
    const tensorsAtEpochEnd: number[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const { events, outcome } = await train({
      spec: spec({ training: { epochs: 8 } }),
      onEvent: (event) => {
        if (event.type === 'epochEnd') tensorsAtEpochEnd.push(tf.memory().numTensors);
      },
    });
    assert.equal(outcome.status, 'completed', outcome.error);
    assert.ok(outcome.best, 'a best epoch is recorded');
    assert.ok((outcome.best.valAcc ?? 0) >= 0.9, `validation accuracy ${outcome.best.valAcc} should be >= 0.9`);
    assert.ok(outcome.testAcc !== undefined && outcome.testAcc >= 0.85, `test accuracy ${outcome.testAcc} with the best checkpoint`);

    // No tensor leaks: the count is the same at the end of every epoch after the first, and a finished
    // run (model, optimizer state, best weights) gives every tensor back.
    assert.equal(new Set(tensorsAtEpochEnd.slice(1)).size, 1, `tensor counts per epoch: ${tensorsAtEpochEnd.join(', ')}`);
    assert.equal(tf.memory().numTensors, tensorsBefore, 'tensors left after the run');

    const batches = events.filter((e) => e.type === 'batchEnd');
    assert.equal(batches.length, 8 * 16, 'a batchEnd event for every batch (512 training images / 32)');
    for (const e of batches) assert.ok(Number.isFinite(e.loss) && e.imagesPerSecond > 0 && e.learningRate === 0.001);
    const epochs = events.filter((e) => e.type === 'epochEnd');
    assert.deepEqual(epochs.map((e) => e.epoch), [1, 2, 3, 4, 5, 6, 7, 8]);
    const last = epochs.at(-1)!;
    assert.equal(last.confusion.length, 4);
    assert.equal(last.confusion.flat().reduce((a, b) => a + b, 0), 128, 'the confusion matrix covers every validation image');
    assert.deepEqual(last.perClass.map((m) => m.label), ['circle', 'cross', 'horizontal', 'vertical']);

    const store = new RunStore(join(root, 'runs'));
    const record = await store.read(outcome.runId);
    assert.equal(record.status, 'completed');
    assert.match(record.backend ?? '', /wasm/);
    assert.equal(record.summary.bestValAcc, outcome.best.valAcc);
    assert.equal(record.summary.testAcc, outcome.testAcc);
    assert.deepEqual(record.dataset?.classes, ['circle', 'cross', 'horizontal', 'vertical']);
    assert.deepEqual(record.dataset?.classCounts?.test, [40, 40, 40, 40]);
    assert.equal(record.model?.parameterCount, 122_570 - 10 * 65 + 4 * 65);
    const lines = readFileSync(join(outcome.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrainingEvent);
    assert.equal(lines.filter((l) => l.type === 'epochEnd').length, 8);
    assert.equal(lines.at(-1)?.type, 'runEnd');
    assert.ok(existsSync(join(outcome.runDir, 'model', 'model.json')) && existsSync(join(outcome.runDir, 'model', 'weights.bin')));
    assert.ok(existsSync(join(outcome.runDir, 'checkpoint', 'state.json')));
    const predictions = await store.readPredictions(outcome.runId);
    assert.equal(predictions?.epoch, outcome.best.epoch);
    assert.equal(predictions?.items.length, 128);
    assert.ok(predictions!.items.every((p) => p.source.endsWith('.png') && p.confidence > 0 && p.confidence <= 1));
    assert.ok(readdirSync(join(outcome.runDir, 'confusion')).includes('test.json'));
    assert.ok(!readdirSync(outcome.runDir).some((name) => name.endsWith('.tmp')), 'no temporary files are left behind');
  });

  test('the same seed on the same backend gives the same run', async () => {
    const losses = async () => (await train({ spec: spec({ training: { epochs: 1 }, data: { limit: 160 } }) }))
      .events.filter((e) => e.type === 'batchEnd').map((e) => e.loss);
    const first = await losses();
    const second = await losses();
    assert.equal(first.length, 5);
    assert.deepEqual(first, second);
    const other = (await train({ spec: spec({ training: { epochs: 1, seed: 1 }, data: { limit: 160 } }) }))
      .events.filter((e) => e.type === 'batchEnd').map((e) => e.loss);
    assert.notDeepEqual(first, other);
  });

  test('stops between batches when cancelled, keeping a consistent run marked cancelled', async () => {
    const controller = new AbortController();
    let batchesSeen = 0;
    const { outcome, events } = await train({
      spec: spec({ training: { epochs: 3 } }),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'batchEnd' && ++batchesSeen === 3) controller.abort();
      },
    });
    assert.equal(outcome.status, 'cancelled');
    assert.equal(events.filter((e) => e.type === 'batchEnd').length, 3, 'no batch runs after the stop');
    const record = await new RunStore(join(root, 'runs')).read(outcome.runId);
    assert.equal(record.status, 'cancelled');
  });

  test('resumes from the last checkpoint and finishes the planned epochs', async () => {
    const controller = new AbortController();
    // `auto` falls back to wasm where the native backend is not installed, and the run says why.
    const fallbackReason = (await initBackend('auto')).fallbackReason;
    await initBackend('wasm');
    const first = await train({
      spec: spec({ training: { epochs: 3 }, data: { limit: 200 } }),
      backend: 'auto',
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'epochEnd' && event.epoch === 2) controller.abort();
      },
    });
    assert.equal(first.outcome.status, 'cancelled');
    const store = new RunStore(join(root, 'runs'));
    assert.equal((await store.read(first.outcome.runId)).backendFallbackReason, fallbackReason);
    const resumed = await train({ spec: spec(), resumeRunId: first.outcome.runId });
    assert.equal(resumed.outcome.status, 'completed', resumed.outcome.error);
    assert.equal(resumed.outcome.runId, first.outcome.runId);
    const start = resumed.events.find((e) => e.type === 'runStart');
    assert.equal(start?.type === 'runStart' && start.startEpoch, 3);
    assert.deepEqual(resumed.events.filter((e) => e.type === 'epochEnd').map((e) => e.epoch), [3]);
    const record = await store.read(first.outcome.runId);
    assert.equal(record.status, 'completed');
    assert.equal(record.summary.lastEpoch, 3);
    // Resumed on wasm by name: no fallback, so no reason left from the first segment.
    assert.equal(record.backendFallbackReason, undefined);
  });

  test('stops early when validation accuracy stops improving', async () => {
    // A learning rate too small to change float32 weights: validation never improves after epoch 1.
    const { events, outcome } = await train({
      spec: spec({ training: { epochs: 6, optimizer: 'sgd', momentum: 0, learningRate: 1e-12, earlyStoppingPatience: 2 }, data: { limit: 64 } }),
    });
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(events.filter((e) => e.type === 'epochEnd').map((e) => e.epoch), [1, 2, 3]);
    assert.ok(events.some((e) => e.type === 'log' && /Stopping early/.test(e.message)));
  });
});

describe('mistakes found before training leave no run behind', () => {
  test('a bad hyperparameter is a clear error', async () => {
    const runsDir = join(root, 'no-runs-1');
    await assert.rejects(
      runTraining({ spec: spec({ training: { learningRate: -1 } }), runsDir, backend: 'wasm' }),
      (error: Error) => error instanceof RunSpecError && /learning rate/.test(error.message),
    );
    assert.equal(existsSync(runsDir), false);
  });

  test('a dataset with a single class is a clear error', async () => {
    const oneClass = join(root, 'one-class');
    const data = makeShapesDataset(8, 32, 3);
    writeFolderDataset(oneClass, { ...data, labels: new Int32Array(8) });
    const runsDir = join(root, 'no-runs-2');
    await assert.rejects(
      runTraining({ spec: spec({ data: { path: oneClass } }), runsDir, backend: 'wasm' }),
      (error: Error) => error instanceof DatasetError && /at least two class/i.test(error.message),
    );
    assert.equal(existsSync(runsDir), false);
  });
});
