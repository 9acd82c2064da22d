import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { createResnet, stemStride } from '../../../../src/core/models/createResnet';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { loadModelFromDir, saveModelToDir } from '../../../../src/core/models/modelFiles';
import type { ResnetOptions } from '../../../../src/core/runSpec';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { probeBatch } from './probeBatch';
import { brightQuadrantImages } from './syntheticImages';
import { trainAndScore } from './trainBriefly';

function defaultResnetOptions(): ResnetOptions {
  const spec = defaultModelSpec('resnet');
  assert.equal(spec.kind, 'resnet');
  return spec.options as ResnetOptions;
}

const small: ResnetOptions = { stemWidth: 8, widths: [8, 16], blocks: [1, 1], headScale: 0.125, bnMomentum: 0.9 };

describe('createResnet', () => {
  let dir = '';
  before(async () => {
    await initBackend('wasm');
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  test('the default is ResNet-9 at a quarter width: stem 16, stages 32-64-128, residual blocks in stages 1 and 3', () => {
    const model = createResnet(defaultResnetOptions(), [32, 32, 3], 10);
    const names = model.layers.map((l) => l.name);
    assert.ok(names.includes('stage1_block1_add') && names.includes('stage3_block1_add'));
    assert.ok(!names.some((n) => n.startsWith('stage2_block')));
    const shapeOf = (name: string) => model.getLayer(name).outputShape;
    assert.deepEqual(shapeOf('stem_relu'), [null, 32, 32, 16]);
    assert.deepEqual(shapeOf('stage1_relu'), [null, 16, 16, 32]);
    assert.deepEqual(shapeOf('stage3_block1_add'), [null, 4, 4, 128]);
    assert.deepEqual(model.outputs[0].shape, [null, 10]);
    // Skip connections: each add joins the stage's output and its block's last ReLU.
    const add = model.getLayer('stage1_block1_add');
    const inbound = add.inboundNodes[0].inboundLayers.map((l) => l.name).sort();
    assert.deepEqual(inbound, ['stage1_block1_relu2', 'stage1_relu']);
    assert.equal(model.countParams(), 414_074);
    model.dispose();
  });

  for (const [size, stride] of [[32, 1], [64, 2], [96, 3], [128, 4]] as const) {
    test(`${size}x${size} images: the stem's stride ${stride} brings them to 32x32, and the model predicts`, () => {
      assert.equal(stemStride(size), stride);
      const model = createResnet(defaultResnetOptions(), [size, size, 3], 5);
      assert.deepEqual(model.getLayer('stem_conv').outputShape, [null, 32, 32, 16]);
      const probabilities = tf.tidy(() => (model.predict(tf.randomUniform([2, size, size, 3])) as tf.Tensor).arraySync() as number[][]);
      for (const row of probabilities) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
      model.dispose();
    });
  }

  test('builds for 28x28 grey images (MNIST) and rejects images too small for its stages', () => {
    createResnet(defaultResnetOptions(), [28, 28, 1], 10).dispose();
    assert.throws(() => createResnet(defaultResnetOptions(), [6, 6, 3], 10), /6x6 are too small for a ResNet with 3 stages.*at least 8x8/);
    createResnet(defaultResnetOptions(), [8, 8, 3], 10).dispose();
  });

  test('rejects unusable options', () => {
    assert.throws(() => createResnet({ ...small, widths: [] , blocks: [] }, [16, 16, 3], 4), /at least one stage/);
    assert.throws(() => createResnet({ ...small, blocks: [1] }, [16, 16, 3], 4), /one residual block count per stage \(2 widths, 1 block counts\)/);
    assert.throws(() => createResnet({ ...small, blocks: [1, -1] }, [16, 16, 3], 4), /blocks\[1\]/);
    assert.throws(() => createResnet({ ...small, widths: [8, 0] }, [16, 16, 3], 4), /widths\[1\]/);
    assert.throws(() => createResnet({ ...small, headScale: 0 }, [16, 16, 3], 4), /head scale/);
    assert.throws(() => createResnet({ ...small, bnMomentum: 1 }, [16, 16, 3], 4), /momentum/);
  });

  test('learns which quadrant of an image is bright', async () => {
    const train = brightQuadrantImages(256, 16, 3, 'resnet-train');
    const test = brightQuadrantImages(200, 16, 3, 'resnet-test');
    const model = createResnet(small, train.shape, train.classes);
    const accuracy = await trainAndScore(model, train, test, { epochs: 6, learningRate: 0.01 });
    assert.ok(accuracy > 0.8, `held-out accuracy ${accuracy} (chance is 0.25)`);
    model.dispose();
  });

  test('round-trips through save and load with its batch-norm statistics: the same predictions', async () => {
    const train = brightQuadrantImages(64, 16, 3, 'resnet-roundtrip');
    const model = createResnet(small, train.shape, train.classes);
    // A little training moves the moving averages away from their initial 0 and 1.
    await trainAndScore(model, train, train, { epochs: 1, learningRate: 0.01 });
    const movingMean = model.getLayer('stem_norm').getWeights()[2].dataSync();
    assert.ok(movingMean.some((v) => Math.abs(v) > 1e-3), 'training updated the moving mean');
    await saveModelToDir(model, dir);
    const loaded = await loadModelFromDir(dir);
    const predict = (m: typeof model) => tf.tidy(() => (m.predict(probeBatch([16, 16, 3])) as tf.Tensor).dataSync());
    assert.deepEqual(predict(loaded), predict(model));
    assert.deepEqual(loaded.layers.map((l) => l.getClassName()), model.layers.map((l) => l.getClassName()));
    assert.deepEqual(loaded.getLayer('stem_norm').getWeights()[2].dataSync(), movingMean);
    model.dispose();
    loaded.dispose();
  });
});
