import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { createAttention } from '../../../../src/core/models/createAttention';
import type { AttentionOptions } from '../../../../src/core/runSpec';
import { brightQuadrantImages } from './syntheticImages';
import { toTensors, trainAndScore } from './trainBriefly';

const small: AttentionOptions = { patchSize: 4, embedDim: 16, depth: 1, heads: 2, mlpDim: 32, dropout: 0 };

describe('createAttention', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('embeds patches, adds positions, stacks pre-norm blocks and pools the patches', () => {
    const model = createAttention({ ...small, depth: 2, dropout: 0.1 }, [32, 32, 3], 10);
    assert.deepEqual(model.getLayer('patch_embedding').outputShape, [null, 8, 8, 16]);
    assert.deepEqual(model.getLayer('patches').outputShape, [null, 64, 16]);
    assert.deepEqual(model.getLayer('position_embedding').outputShape, [null, 64, 16]);
    assert.equal(model.getLayer('block2_attention').getClassName(), 'MultiHeadSelfAttention');
    assert.equal(model.getLayer('block2_norm1').getClassName(), 'LayerNorm');
    assert.deepEqual(model.getLayer('mean_over_patches').outputShape, [null, 16]);
    assert.deepEqual(model.outputs[0].shape, [null, 10]);
    // No tfjs-layers layer normalisation (its gradient goes through Tile).
    assert.ok(!model.layers.some((layer) => layer.getClassName() === 'LayerNormalization'));
    model.dispose();
  });

  test('ignores pixels past the last whole patch (28x28 with 8x8 patches gives 3x3 patches)', () => {
    const model = createAttention({ ...small, patchSize: 8 }, [28, 28, 1], 10);
    assert.deepEqual(model.getLayer('patches').outputShape, [null, 9, 16]);
    const sums = tf.tidy(() => tf.sum(model.predict(tf.randomUniform([2, 28, 28, 1])) as tf.Tensor, -1).arraySync() as number[]);
    for (const sum of sums) assert.ok(Math.abs(sum - 1) < 1e-5);
    model.dispose();
  });

  test('rejects unusable options', () => {
    assert.throws(() => createAttention({ ...small, heads: 3 }, [16, 16, 1], 4), /multiple of the number of attention heads/);
    assert.throws(() => createAttention({ ...small, patchSize: 20 }, [16, 16, 1], 4), /smaller than one 20x20 patch/);
    assert.throws(() => createAttention({ ...small, depth: 0 }, [16, 16, 1], 4), /depth/);
  });

  test('a training step leaves no tensors behind', () => {
    const model = createAttention({ ...small, dropout: 0.1 }, [16, 16, 1], 4);
    const optimizer = tf.train.adam(0.001);
    const { x, y } = toTensors(brightQuadrantImages(8, 16, 1, 'leak'));
    const step = (): void => {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
        model.trainableWeights.map((weight) => weight.read() as tf.Variable),
      );
      loss?.dispose();
    };
    step(); // creates the optimiser's moment variables
    const before = tf.memory().numTensors;
    step();
    step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });

  test('a training step runs no Tile or Gather kernel (their gradients are very slow or missing on wasm)', async () => {
    const model = createAttention({ ...small, dropout: 0.1 }, [16, 16, 1], 4);
    const optimizer = tf.train.adam(0.001);
    const { x, y } = toTensors(brightQuadrantImages(8, 16, 1, 'kernels'));
    const profile = await tf.profile(() => {
      optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        false,
        model.trainableWeights.map((weight) => weight.read() as tf.Variable),
      );
    });
    const kernels = new Set(profile.kernels.map((k) => k.name));
    for (const slow of ['Tile', 'GatherV2', 'UnsortedSegmentSum']) assert.ok(!kernels.has(slow), `${slow} ran`);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });

  test('learns which quadrant of an image is bright', async () => {
    const train = brightQuadrantImages(512, 16, 1, 'attention-train');
    const test = brightQuadrantImages(200, 16, 1, 'attention-test');
    const model = createAttention(small, train.shape, train.classes);
    const accuracy = await trainAndScore(model, train, test, { epochs: 12, learningRate: 0.003 });
    assert.ok(accuracy > 0.6, `held-out accuracy ${accuracy} (chance is 0.25)`);
    model.dispose();
  });
});
