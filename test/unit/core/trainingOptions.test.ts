// Each training option a user can pick trains for real on generated shapes and learns, and is the one
// used: SGD with momentum and RMSProp (named in the saved optimiser config), MSE loss (loss on the
// probability scale), label smoothing (a loss that cannot reach zero), augmentation (different batches).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTraining } from '../../../src/core/runTraining';
import { initBackend } from '../../../src/core/backend/selectBackend';
import { noAugmentation, parseAugmentList } from '../../../src/core/data/augment';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import type { AugmentSpec, RunSpec, TrainingSpec } from '../../../src/core/runSpec';
import type { BatchEndEvent, TrainingEvent } from '../../../src/core/train/trainingEvents';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

let root = '';
let shapes = '';

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
  shapes = join(root, 'shapes');
  writeFolderDataset(shapes, makeShapesDataset(800, 32, 21));
});
after(() => removeTempDir(root));

interface Trained {
  valAcc: number;
  batches: BatchEndEvent[];
  finalTrainLoss: number;
  runDir: string;
}

async function train(training: Partial<TrainingSpec>, augment: AugmentSpec = noAugmentation(), epochs = 6): Promise<Trained> {
  const spec: RunSpec = {
    data: { path: shapes, format: 'folder', valSplit: 0.2, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), epochs, batchSize: 32, ...training },
    augment,
  };
  const events: TrainingEvent[] = [];
  const outcome = await runTraining({ spec, runsDir: join(root, 'runs'), backend: 'wasm', onEvent: (event) => events.push(event) });
  assert.equal(outcome.status, 'completed', outcome.error);
  const epochsEnded = events.filter((e) => e.type === 'epochEnd');
  return {
    valAcc: outcome.best?.valAcc ?? 0,
    batches: events.filter((e): e is BatchEndEvent => e.type === 'batchEnd'),
    finalTrainLoss: epochsEnded.at(-1)?.loss ?? Number.NaN,
    runDir: outcome.runDir,
  };
}

/** The optimiser class the checkpoint's model.json says the model was compiled with. */
function savedOptimizer(runDir: string): string {
  const json = JSON.parse(readFileSync(join(runDir, 'checkpoint', 'model.json'), 'utf8')) as {
    trainingConfig?: { optimizer_config?: { class_name?: string } };
  };
  return json.trainingConfig?.optimizer_config?.class_name ?? 'none';
}

describe('training options', () => {
  test('SGD with momentum learns, and is the optimiser the run saved', async () => {
    const result = await train({ optimizer: 'sgd', learningRate: 0.02, momentum: 0.9 }, noAugmentation(), 8);
    assert.ok(result.valAcc >= 0.85, `validation accuracy ${result.valAcc}`);
    assert.equal(savedOptimizer(result.runDir), 'Momentum');
  });

  test('RMSProp learns, and is the optimiser the run saved', async () => {
    const result = await train({ optimizer: 'rmsprop', learningRate: 0.001 });
    assert.ok(result.valAcc >= 0.85, `validation accuracy ${result.valAcc}`);
    assert.equal(savedOptimizer(result.runDir), 'RMSProp');
  });

  test('MSE loss learns, its loss on the probability scale (far below cross-entropy\'s ln 4 at the start)', async () => {
    const result = await train({ loss: 'mse', learningRate: 0.002 });
    assert.ok(result.valAcc >= 0.85, `validation accuracy ${result.valAcc}`);
    assert.ok(result.batches[0].loss < 0.5, `first batch loss ${result.batches[0].loss}`);
    const crossEntropy = await train({ loss: 'crossentropy' }, noAugmentation(), 1);
    assert.ok(crossEntropy.batches[0].loss > 1, `cross-entropy's first batch loss ${crossEntropy.batches[0].loss}`);
  });

  test('label smoothing learns, with a training loss that stays above the smoothed targets\' entropy', async () => {
    // Targets 0.85 / 0.05 x 3 (smoothing 0.2, 4 classes): cross-entropy can never go below their entropy, ~0.588.
    const smoothed = await train({ labelSmoothing: 0.2 });
    assert.ok(smoothed.valAcc >= 0.85, `validation accuracy ${smoothed.valAcc}`);
    assert.ok(smoothed.finalTrainLoss > 0.58, `final training loss ${smoothed.finalTrainLoss}`);
    assert.ok(smoothed.batches.some((b) => b.acc === 1), 'some batches are classified perfectly, yet the loss stays above the floor');
  });

  test('augmentation on: still learns, on batches that differ from the same seed without it', async () => {
    const augmented = await train({}, parseAugmentList('flip,rotate,crop,color'), 8);
    assert.ok(augmented.valAcc >= 0.8, `validation accuracy ${augmented.valAcc}`);
    const plain = await train({}, noAugmentation(), 1);
    assert.notEqual(augmented.batches[0].loss, plain.batches[0].loss, 'the first batch was augmented');
  });
});
