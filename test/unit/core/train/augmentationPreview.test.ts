// The augmentation preview against the real training loop: a short run is trained for real while the
// batches it feeds the model are captured, and the preview must reproduce them bit for bit.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { augmentDrawsPerImage, noAugmentation, parseAugmentList } from '../../../../src/core/data/augment';
import { InMemorySource } from '../../../../src/core/data/inMemorySource';
import { createCnn } from '../../../../src/core/models/createCnn';
import type { AugmentSpec, ImageShape, RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { runTraining } from '../../../../src/core/runTraining';
import { previewAugmentation, previewRunAugmentation } from '../../../../src/core/train/augmentationPreview';
import { createOptimizer } from '../../../../src/core/train/createOptimizer';
import { trainModel } from '../../../../src/core/train/trainModel';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

type ApplyArgs = Parameters<tfl.LayersModel['apply']>;

/** The input of every training forward pass of `model` (calls with `training: true`), one Float32Array per batch. */
function captureTrainingInputs(target: { apply: tfl.LayersModel['apply'] }): { batches: Float32Array[]; restore(): void } {
  const batches: Float32Array[] = [];
  const original = target.apply;
  target.apply = function (this: tfl.LayersModel, ...args: ApplyArgs) {
    const [inputs, kwargs] = args;
    if (kwargs?.training === true) batches.push((inputs as tf.Tensor).dataSync().slice() as Float32Array);
    return original.apply(this, args);
  };
  return { batches, restore: () => { target.apply = original; } };
}

/** Image `k` of the concatenated batches, as floats. */
function imageAt(batches: Float32Array[], imageSize: number, k: number): Float32Array {
  let offset = k * imageSize;
  for (const batch of batches) {
    if (offset < batch.length) return batch.subarray(offset, offset + imageSize);
    offset -= batch.length;
  }
  throw new Error(`no image ${k} in the captured batches`);
}

function assertSameFloats(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`${what}: value ${i} is ${actual[i]} in the preview but ${expected[i]} in training`);
  }
}

let root: string;

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
});

after(() => removeTempDir(root));

describe('augmentation preview', () => {
  async function trainAndCompare(shape: ImageShape, augment: AugmentSpec): Promise<void> {
    const count = 70;
    const data = makeShapesDataset(count, shape[0], 3, { channels: shape[2] as 1 | 3 });
    const train = InMemorySource.create({ pixels: data.pixels, labels: data.labels, shape, sourceOf: (i) => `image-${i}` });
    const model = createCnn({ filters: [4], denseUnits: 8, dropout: 0 }, shape, 4);
    const training = { ...defaultTrainingSpec(), epochs: 2, batchSize: 16, seed: 1234 };
    model.compile({ optimizer: createOptimizer(training), loss: 'categoricalCrossentropy' });
    const capture = captureTrainingInputs(model);
    try {
      await trainModel({ model, classes: data.classes, imageShape: shape, train, val: null, training, augment, emit: () => undefined });
    } finally {
      capture.restore();
      model.dispose();
    }
    const batchesPerEpoch = Math.ceil(count / training.batchSize);
    assert.equal(capture.batches.length, 2 * batchesPerEpoch, 'one captured input per training step');
    const imageSize = shape[0] * shape[1] * shape[2];
    for (const epoch of [1, 2]) {
      const fed = capture.batches.slice((epoch - 1) * batchesPerEpoch, epoch * batchesPerEpoch);
      // The epoch's first batches, as the preview shows them by default.
      const first = await previewAugmentation({ train, imageShape: shape, augment, seed: training.seed, epoch, count: 20 });
      assert.equal(first.images.length, 20);
      first.images.forEach((image, k) => {
        assert.equal(image.position, k);
        assertSameFloats(image.augmented, imageAt(fed, imageSize, k), `epoch ${epoch}, image ${k}`);
      });
      // Chosen examples, wherever the epoch puts them (here: late in the epoch, in later batches).
      const chosen = [5, 17, 42, 69];
      const picked = await previewAugmentation({ train, imageShape: shape, augment, seed: training.seed, epoch, examples: chosen });
      assert.deepEqual(picked.images.map((image) => image.example), chosen);
      for (const image of picked.images) {
        assertSameFloats(image.augmented, imageAt(fed, imageSize, image.position), `epoch ${epoch}, example ${image.example}`);
        assert.deepEqual(image.original, data.pixels.subarray(image.example * imageSize, (image.example + 1) * imageSize));
      }
      assert.ok(picked.images.some((image) => image.position >= training.batchSize * 2), 'some chosen examples sit in the third batch or later');
    }
  }

  test('matches the batches trainModel feeds the model, pixel for pixel, with every augmentation on (colour)', async () => {
    await trainAndCompare([12, 12, 3], parseAugmentList('flip,rotate=20,crop=2,color=0.4'));
  });

  test('matches trainModel on grey images, where saturation draws nothing', async () => {
    const augment = parseAugmentList('rotate=10,crop=1,brightness=0.3,saturation=0.5');
    assert.equal(augmentDrawsPerImage(augment, 1), 4);
    await trainAndCompare([10, 10, 1], augment);
  });

  test('a run spec previews what runTraining feeds the model after its validation split', async () => {
    const data = join(root, 'shapes');
    writeFolderDataset(data, makeShapesDataset(60, 16, 9));
    const spec: RunSpec = {
      data: { path: data, format: 'folder', imageSize: 16, valSplit: 0.25, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [4], denseUnits: 8, dropout: 0 } },
      training: { ...defaultTrainingSpec(), epochs: 2, batchSize: 8, seed: 77 },
      augment: parseAugmentList('flip,rotate=30,crop=3,color=0.5'),
    };
    // Every functional model's training pass goes through LayersModel.apply; capture at the prototype.
    const capture = captureTrainingInputs(tfl.LayersModel.prototype);
    let outcome;
    let trainCount = 0;
    try {
      // One thread, so the batches reach this thread's model (with more, the loop augments the same way
      // here and hands the floats to replica threads).
      outcome = await runTraining({
        spec, runsDir: join(root, 'runs'), backend: 'wasm', threads: 1,
        onEvent: (event) => { if (event.type === 'runStart') trainCount = event.trainCount; },
      });
    } finally {
      capture.restore();
    }
    assert.equal(outcome.status, 'completed');
    assert.equal(trainCount, 44, '60 images, 4 of each class held out for validation');
    const batchesPerEpoch = Math.ceil(trainCount / spec.training.batchSize);
    assert.equal(capture.batches.length, 2 * batchesPerEpoch);
    const imageSize = 16 * 16 * 3;
    for (const epoch of [1, 2]) {
      const preview = await previewRunAugmentation(spec, { epoch, count: trainCount });
      assert.equal(preview.images.length, trainCount);
      const fed = capture.batches.slice((epoch - 1) * batchesPerEpoch, epoch * batchesPerEpoch);
      preview.images.forEach((image, k) => assertSameFloats(image.augmented, imageAt(fed, imageSize, k), `epoch ${epoch}, image ${k}`));
    }
  });

  test('re-rolls with the epoch, keeps the original pixels, and is plain identity without augmentation', async () => {
    const shape: ImageShape = [8, 8, 3];
    const data = makeShapesDataset(10, 8, 4);
    const train = InMemorySource.create({ pixels: data.pixels, labels: data.labels, shape, sourceOf: (i) => `image-${i}` });
    const augment = parseAugmentList('rotate=45,color=0.5');
    const examples = [0, 1, 2];
    const one = await previewAugmentation({ train, imageShape: shape, augment, seed: 5, epoch: 1, examples });
    const two = await previewAugmentation({ train, imageShape: shape, augment, seed: 5, epoch: 2, examples });
    const again = await previewAugmentation({ train, imageShape: shape, augment, seed: 5, epoch: 1, examples });
    assert.deepEqual(again.images.map((i) => i.augmentedPixels), one.images.map((i) => i.augmentedPixels), 'same seed and epoch: same pixels');
    assert.notDeepEqual(two.images.map((i) => i.augmentedPixels), one.images.map((i) => i.augmentedPixels), 'another epoch re-rolls');
    assert.deepEqual(two.images.map((i) => i.original), one.images.map((i) => i.original));
    const plain = await previewAugmentation({ train, imageShape: shape, augment: noAugmentation(), seed: 5, epoch: 1, examples });
    for (const image of plain.images) assert.deepEqual(image.augmentedPixels, image.original);
    await assert.rejects(previewAugmentation({ train, imageShape: shape, augment, seed: 5, epoch: 0 }), /epoch/);
    await assert.rejects(previewAugmentation({ train, imageShape: shape, augment, seed: 5, epoch: 1, examples: [10] }), /not one of the 10/);
  });
});
