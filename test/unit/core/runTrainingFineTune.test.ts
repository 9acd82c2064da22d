// Fine-tuning from an earlier run (--init-from), trained for real through runTraining on generated shapes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/core/backend/selectBackend';
import { noAugmentation } from '../../../src/core/data/augment';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import { InitFromRunError } from '../../../src/core/models/initFromRun';
import { loadModelFromDir } from '../../../src/core/models/modelFiles';
import type { RunSpec } from '../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import { RunStore } from '../../../src/core/runs/runStore';
import { runTraining, type RunOutcome } from '../../../src/core/runTraining';
import type { EpochEndEvent, TrainingEvent } from '../../../src/core/train/trainingEvents';
import { makeShapesDataset, writeFolderDataset, type SyntheticDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

let root = '';
let shapes = '';
let threeShapes = '';
let source: RunOutcome;

function spec(path: string, training: Partial<RunSpec['training']> = {}, data: Partial<RunSpec['data']> = {}): RunSpec {
  return {
    data: { path, format: 'folder', valSplit: 0.2, cifar100Labels: 'fine', ...data },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), batchSize: 32, ...training },
    augment: noAugmentation(),
  };
}

async function train(runSpec: RunSpec): Promise<{ outcome: RunOutcome; epochs: EpochEndEvent[]; events: TrainingEvent[] }> {
  const events: TrainingEvent[] = [];
  const outcome = await runTraining({ spec: runSpec, runsDir: join(root, 'runs'), backend: 'wasm', onEvent: (event) => events.push(event) });
  assert.equal(outcome.status, 'completed', outcome.error);
  return { outcome, epochs: events.filter((e): e is EpochEndEvent => e.type === 'epochEnd'), events };
}

/** The dataset without its last class. */
function withoutLastClass(data: SyntheticDataset): SyntheticDataset {
  const keep = Array.from(data.labels.keys()).filter((i) => data.labels[i] !== data.classes.length - 1);
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const pixels = new Uint8Array(keep.length * size);
  keep.forEach((from, to) => pixels.set(data.pixels.subarray(from * size, (from + 1) * size), to * size));
  return { classes: data.classes.slice(0, -1), shape: data.shape, pixels, labels: Int32Array.from(keep, (i) => data.labels[i]) };
}

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
  shapes = join(root, 'shapes');
  threeShapes = join(root, 'three-shapes');
  const data = makeShapesDataset(800, 32, 7);
  writeFolderDataset(shapes, data, { testFraction: 0.2 });
  writeFolderDataset(threeShapes, withoutLastClass(makeShapesDataset(800, 32, 8)), { testFraction: 0.2 });
  // The run every test fine-tunes from: the default CNN trained to a high accuracy.
  source = (await train(spec(shapes, { epochs: 6 }))).outcome;
  assert.ok(source.best && (source.best.valAcc ?? 0) >= 0.85, `the source run learned (${source.best?.valAcc})`);
});

after(() => removeTempDir(root));

describe('fine-tuning from an earlier run (--init-from)', () => {
  test('starts at that run\'s accuracy, not from scratch, and records where it started', async () => {
    // One epoch of only 64 images: too little to learn the task from scratch.
    const short = { epochs: 1 };
    const fineTuned = await train(spec(shapes, { ...short, initFrom: source.runDir }, { limit: 64 }));
    const scratch = await train(spec(shapes, short, { limit: 64 }));
    const tunedAcc = fineTuned.epochs[0].valAcc ?? 0;
    const scratchAcc = scratch.epochs[0].valAcc ?? 0;
    assert.ok(tunedAcc >= (source.best?.valAcc ?? 1) - 0.05, `fine-tuned after one short epoch: ${tunedAcc}; the source run: ${source.best!.valAcc}`);
    assert.ok(scratchAcc < tunedAcc - 0.2, `from scratch: ${scratchAcc}; fine-tuned: ${tunedAcc}`);

    const record = await new RunStore(join(root, 'runs')).read(fineTuned.outcome.runId);
    assert.equal(record.initFrom?.runId, source.runId);
    assert.equal(record.initFrom?.runDir, source.runDir);
    assert.equal(record.initFrom?.headReplaced, false);
    assert.equal(record.initFrom?.bestValAcc, source.best!.valAcc);
    assert.equal(record.spec.training.initFrom, source.runDir);
    assert.ok(fineTuned.events.some((e) => e.type === 'log' && /Starting from the weights of run/.test(e.message)));
  });

  test('other classes get a new head; frozen epochs train only the head, and it reaches a good accuracy on the old features', async () => {
    const tuned = await train(spec(threeShapes, { epochs: 2, freezeEpochs: 2, learningRate: 0.01, initFrom: source.runDir }, { limit: 240 }));
    assert.ok((tuned.outcome.best?.valAcc ?? 0) >= 0.8, `head-only training on the source run's features: ${tuned.outcome.best!.valAcc}`);
    const record = await new RunStore(join(root, 'runs')).read(tuned.outcome.runId);
    assert.equal(record.initFrom?.headReplaced, true);
    assert.deepEqual(record.dataset?.classes, ['circle', 'cross', 'horizontal']);

    const before = await loadModelFromDir(join(source.runDir, 'model'));
    const after = await loadModelFromDir(join(tuned.outcome.runDir, 'model'));
    for (const layer of before.layers.slice(0, -1)) {
      const a = layer.getWeights().map((w) => Array.from(w.dataSync()));
      const b = after.getLayer(layer.name).getWeights().map((w) => Array.from(w.dataSync()));
      assert.deepEqual(b, a, `frozen layer ${layer.name} is unchanged`);
    }
    assert.deepEqual(after.outputs[0].shape, [null, 3]);
    before.dispose();
    after.dispose();
  });

  test('unfreezing after the frozen epochs trains everything, and no tensors are left behind', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const tuned = await train(spec(threeShapes, { epochs: 2, freezeEpochs: 1, learningRate: 0.003, initFrom: source.runDir }, { limit: 96 }));
    assert.equal(tf.memory().numTensors, tensorsBefore, 'tensors left after the run');
    const before = await loadModelFromDir(join(source.runDir, 'model'));
    const after = await loadModelFromDir(join(tuned.outcome.runDir, 'checkpoint'));
    const conv = (m: typeof before) => Array.from(m.getLayer('conv1').getWeights()[0].dataSync());
    assert.notDeepEqual(conv(after), conv(before), 'the body trained after the frozen epoch');
    before.dispose();
    after.optimizer?.dispose();
    after.dispose();
  });

  test('a run with other image shapes, or without a model, is a clear error before any run folder exists', async () => {
    const runsDir = join(root, 'no-runs');
    await assert.rejects(
      runTraining({ spec: spec(shapes, { initFrom: source.runDir }, { imageSize: 28 }), runsDir, backend: 'wasm' }),
      (error: Error) => error instanceof InitFromRunError && /trained on 32x32x3 images but this dataset's are 28x28x3.*--image-size 32/.test(error.message),
    );
    await assert.rejects(
      runTraining({ spec: spec(shapes, { initFrom: join(root, 'runs', 'no-such-run') }), runsDir, backend: 'wasm' }),
      /no-such-run/,
    );
    assert.equal(existsSync(runsDir), false);
  });
});
