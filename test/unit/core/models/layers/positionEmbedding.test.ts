import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../../src/core/backend/selectBackend';
import { PositionEmbedding } from '../../../../../src/core/models/layers/positionEmbedding';

describe('PositionEmbedding', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('adds one trainable vector per position, the same for every image of the batch', () => {
    const layer = new PositionEmbedding();
    const x = tf.randomNormal([3, 4, 2]);
    layer.apply(x);
    assert.deepEqual(layer.getWeights()[0].shape, [4, 2]);
    const embedding = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    layer.setWeights([embedding]);
    const output = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
    const input = x.arraySync() as number[][][];
    const e = embedding.arraySync();
    output.forEach((image, b) => image.forEach((row, p) => row.forEach((v, f) => {
      assert.ok(Math.abs(v - (input[b][p][f] + e[p][f])) < 1e-6);
    })));
  });

  test('its gradient is the sum over the batch, with no Tile or Gather kernel', async () => {
    const layer = new PositionEmbedding();
    const x = tf.randomNormal([5, 3, 2]);
    layer.apply(x);
    const variable = layer.trainableWeights[0].read() as tf.Variable;
    const dy = tf.randomNormal([5, 3, 2]);
    let gradient: Float32Array = new Float32Array();
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, dy)), [variable]);
      gradient = grads[variable.name].dataSync() as Float32Array;
      tf.dispose([value, grads[variable.name]]);
    });
    const expected = tf.sum(dy, 0).dataSync();
    expected.forEach((v, i) => assert.ok(Math.abs(v - gradient[i]) < 1e-5));
    const kernels = profile.kernels.map((k) => k.name);
    assert.ok(!kernels.includes('Tile') && !kernels.includes('GatherV2'), kernels.join(', '));
  });

  test('rejects inputs that are not [batch, sequence, features]', () => {
    assert.throws(() => new PositionEmbedding().apply(tf.zeros([2, 3])), /expected input \[batch, sequence, features\]/);
  });
});
