import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { createCnn } from '../../../../src/core/models/createCnn';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import type { CnnOptions } from '../../../../src/core/runSpec';
import { brightQuadrantImages } from './syntheticImages';
import { trainAndScore } from './trainBriefly';

function defaultCnnOptions(): CnnOptions {
  const spec = defaultModelSpec('cnn');
  assert.equal(spec.kind, 'cnn');
  return spec.options as CnnOptions;
}

describe('createCnn', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('the default is the classic Keras tutorial net: 122,570 parameters on 32x32x3 with 10 classes', () => {
    const model = createCnn(defaultCnnOptions(), [32, 32, 3], 10);
    assert.equal(model.countParams(), 122_570);
    const layers = model.layers.map((layer) => layer.getClassName());
    assert.deepEqual(layers, ['InputLayer', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense', 'Dense']);
    assert.deepEqual(model.outputs[0].shape, [null, 10]);
    model.dispose();
  });

  test('builds for 28x28 grey images (MNIST)', () => {
    const model = createCnn(defaultCnnOptions(), [28, 28, 1], 10);
    const probabilities = tf.tidy(() => (model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
    assert.equal(probabilities.length, 2);
    for (const row of probabilities) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
    model.dispose();
  });

  test('rejects images too small for the pooling stack, saying the minimum size', () => {
    assert.throws(() => createCnn(defaultCnnOptions(), [16, 16, 3], 10), /16x16 are too small .* at least 18x18/);
    assert.throws(() => createCnn({ filters: [8, 8], denseUnits: 8, dropout: 0 }, [5, 40, 1], 2), /at least 8x8/);
    // The minimum itself works.
    createCnn(defaultCnnOptions(), [18, 18, 3], 10).dispose();
  });

  test('rejects unusable options', () => {
    assert.throws(() => createCnn({ filters: [], denseUnits: 8, dropout: 0 }, [32, 32, 3], 10), /at least one convolution/);
    assert.throws(() => createCnn({ filters: [8, 0], denseUnits: 8, dropout: 0 }, [32, 32, 3], 10), /filters\[1\]/);
    assert.throws(() => createCnn({ filters: [8], denseUnits: 8, dropout: 1 }, [32, 32, 3], 10), /Dropout/);
    assert.throws(() => createCnn(defaultCnnOptions(), [32, 32, 3], 1), /at least 2 classes/);
  });

  test('adds a dropout layer only when asked', () => {
    const model = createCnn({ filters: [8], denseUnits: 8, dropout: 0.5 }, [8, 8, 1], 2);
    assert.ok(model.layers.some((layer) => layer.getClassName() === 'Dropout'));
    model.dispose();
  });

  test('learns which quadrant of an image is bright', async () => {
    const train = brightQuadrantImages(256, 16, 1, 'cnn-train');
    const test = brightQuadrantImages(200, 16, 1, 'cnn-test');
    const model = createCnn({ filters: [8, 16], denseUnits: 16, dropout: 0 }, train.shape, train.classes);
    const accuracy = await trainAndScore(model, train, test, { epochs: 8, learningRate: 0.01 });
    assert.ok(accuracy > 0.8, `held-out accuracy ${accuracy} (chance is 0.25)`);
    model.dispose();
  });
});
