import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../../src/core/backend/selectBackend';
import { BatchNorm } from '../../../../../src/core/models/layers/batchNorm';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('BatchNorm', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('normalises each channel over batch, height and width, then scales and shifts', () => {
    const [n, h, w, c, epsilon] = [3, 4, 5, 2, 1e-5];
    const layer = new BatchNorm({ epsilon });
    const x = tf.randomNormal([n, h, w, c], 3, 2);
    layer.apply(x);
    const gamma = [0.5, -2];
    const beta = [1, 0.25];
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([c]), tf.ones([c])]);
    const output = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
    const input = x.dataSync();
    for (let k = 0; k < c; k++) {
      const values = Array.from({ length: n * h * w }, (_, i) => input[i * c + k]);
      const mean = values.reduce((a, b) => a + b) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      values.forEach((v, i) => {
        const expected = ((v - mean) / Math.sqrt(variance + epsilon)) * gamma[k] + beta[k];
        assert.ok(Math.abs(output[i * c + k] - expected) < 1e-4, `channel ${k}, value ${i}: ${output[i * c + k]} vs ${expected}`);
      });
    }
  });

  test('has the same values and gradients as tfjs-layers batchNormalization in training mode', () => {
    const ours = new BatchNorm({ epsilon: 1e-3 });
    const theirs = tfl.layers.batchNormalization({ epsilon: 1e-3 });
    const x = tf.randomNormal([4, 6, 6, 8], 1, 2);
    const dy = tf.randomNormal([4, 6, 6, 8]);
    ours.apply(x);
    theirs.apply(x);
    const weights = [tf.randomNormal([8]), tf.randomNormal([8]), tf.zeros([8]), tf.ones([8])];
    ours.setWeights(weights);
    theirs.setWeights(weights);
    const gradients = (layer: tfl.layers.Layer): Float32Array[] => {
      const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
      const f = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, dy));
      const dx = tf.grad(f)(x);
      const { grads } = tf.variableGrads(() => f(x), variables);
      return [dx, ...variables.map((v) => grads[v.name])].map((t) => t.dataSync() as Float32Array);
    };
    const a = gradients(ours);
    const b = gradients(theirs);
    assert.equal(a.length, 3);
    ['dx', 'dgamma', 'dbeta'].forEach((name, i) => close(a[i], b[i], 1e-3, name));
    close((ours.apply(x, { training: true }) as tf.Tensor).dataSync(), (theirs.apply(x, { training: true }) as tf.Tensor).dataSync(), 1e-4, 'y');
  });

  test('keeps moving averages of the batch statistics and uses them outside training', () => {
    const layer = new BatchNorm({ momentum: 0.5, epsilon: 0 });
    const x = tf.add(tf.mul(tf.randomNormal([64, 4, 4, 3]), tf.tensor1d([1, 2, 3])), tf.tensor1d([5, -1, 0]));
    layer.apply(x);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    for (let i = 0; i < 20; i++) tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const [, , movingMean, movingVariance] = layer.getWeights();
    close(movingMean.dataSync(), mean.dataSync(), 1e-4, 'moving mean');
    close(movingVariance.dataSync(), variance.dataSync(), 1e-4, 'moving variance');
    // Inference normalises with the moving statistics: the same batch comes out standardised.
    const out = layer.apply(x) as tf.Tensor;
    const stats = tf.moments(out, [0, 1, 2]);
    close(stats.mean.dataSync(), [0, 0, 0], 1e-3, 'inference mean');
    close(stats.variance.dataSync(), [1, 1, 1], 1e-3, 'inference variance');
    assert.equal(layer.trainableWeights.length, 2, 'gamma and beta train; the moving statistics do not');
    assert.equal(layer.nonTrainableWeights.length, 2);
  });

  test('its training step uses no Tile and no matrix product, and sums only down the rows (the fast paths on wasm)', async () => {
    const layer = new BatchNorm();
    const x = tf.randomNormal([8, 8, 8, 16]);
    layer.apply(x);
    const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)), variables);
      tf.dispose([value, ...Object.values(grads)]);
    });
    const kernels = profile.kernels.map((k) => `${k.name}(${k.inputShapes.map((s) => s?.join('x')).join(',')})->${k.outputShapes.map((s) => s?.join('x')).join(',')}`);
    assert.ok(!kernels.some((k) => k.startsWith('Tile')), kernels.join(' '));
    // A product with a row of ones makes XNNPACK repack the whole activation as weights on every call.
    assert.ok(!kernels.some((k) => k.startsWith('BatchMatMul') || k.startsWith('_FusedMatMul')), kernels.join(' '));
    // Every sum but the test's own scalar loss runs down the rows of the [512, 16] view, to [1, 16].
    const sums = kernels.filter((k) => k.startsWith('Sum'));
    const perChannel = sums.filter((k) => k === 'Sum(512x16)->1x16');
    assert.equal(perChannel.length, 4, kernels.join(' '));
    assert.ok(sums.length <= perChannel.length + 1, sums.join(' '));
  });

  test('serialises its momentum and epsilon', () => {
    const layer = new BatchNorm({ momentum: 0.6, epsilon: 1e-4, name: 'bn' });
    const config = layer.getConfig();
    assert.equal(config.momentum, 0.6);
    assert.equal(config.epsilon, 1e-4);
    const copy = BatchNorm.fromConfig(BatchNorm, config) as BatchNorm;
    assert.equal(copy.momentum, 0.6);
    assert.equal(copy.epsilon, 1e-4);
  });
});
