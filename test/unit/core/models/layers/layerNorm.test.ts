import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../../src/core/backend/selectBackend';
import { LayerNorm } from '../../../../../src/core/models/layers/layerNorm';

describe('LayerNorm', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('computes (x - mean) / sqrt(var + eps) * gamma + beta over the last axis', () => {
    const [rows, features, epsilon] = [6, 5, 1e-3];
    const layer = new LayerNorm({ epsilon });
    const x = tf.randomNormal([2, 3, features], 2, 3);
    layer.apply(x);
    const gamma = [0.5, -1, 2, 1.5, 0.25];
    const beta = [0, 1, -2, 0.5, 3];
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
    const output = (layer.apply(x) as tf.Tensor).dataSync();
    const input = x.dataSync();
    for (let r = 0; r < rows; r++) {
      const row = Array.from(input.subarray(r * features, (r + 1) * features));
      const mean = row.reduce((a, b) => a + b) / features;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / features;
      for (let f = 0; f < features; f++) {
        const expected = ((row[f] - mean) / Math.sqrt(variance + epsilon)) * gamma[f] + beta[f];
        assert.ok(Math.abs(output[r * features + f] - expected) < 1e-4, `row ${r} feature ${f}: ${output[r * features + f]} vs ${expected}`);
      }
    }
  });

  test('has the same values and gradients as tfjs-layers layerNormalization', () => {
    const ours = new LayerNorm({ epsilon: 1e-3 });
    const theirs = tfl.layers.layerNormalization({ epsilon: 1e-3 });
    const x = tf.randomNormal([4, 7, 8]);
    const dy = tf.randomNormal([4, 7, 8]);
    ours.apply(x);
    theirs.apply(x);
    const weights = [tf.randomNormal([8]), tf.randomNormal([8])];
    ours.setWeights(weights);
    theirs.setWeights(weights);
    const gradients = (layer: tfl.layers.Layer): Float32Array[] => {
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const f = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, dy));
      const dx = tf.grad(f)(x);
      const { grads } = tf.variableGrads(() => f(x), variables);
      return [dx, ...variables.map((v) => grads[v.name])].map((t) => t.dataSync() as Float32Array);
    };
    const a = gradients(ours);
    const b = gradients(theirs);
    assert.equal(a.length, 3);
    a.forEach((values, i) => values.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-3, `gradient ${i}[${j}]: ${v} vs ${b[i][j]}`)));
    const forward = (ours.apply(x) as tf.Tensor).dataSync();
    const reference = (theirs.apply(x) as tf.Tensor).dataSync();
    forward.forEach((v, i) => assert.ok(Math.abs(v - reference[i]) < 1e-4));
  });

  test('its backward pass uses no Tile kernel (tfjs implements Tile\'s gradient as one Slice per copy)', async () => {
    const layer = new LayerNorm();
    const x = tf.randomNormal([16, 8, 32]);
    layer.apply(x);
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor), variables);
      tf.dispose([value, ...Object.values(grads)]);
    });
    const kernels = new Set(profile.kernels.map((k) => k.name));
    assert.ok(!kernels.has('Tile'), `kernels: ${[...kernels].join(', ')}`);
    assert.ok(profile.kernels.length < 100, `${profile.kernels.length} kernel calls`);
  });

  test('stays finite on a constant input', () => {
    const layer = new LayerNorm();
    const output = (layer.apply(tf.fill([2, 4], 3)) as tf.Tensor).dataSync();
    assert.ok(output.every((v) => v === 0));
  });

  test('keeps its epsilon in its config', () => {
    const config = new LayerNorm({ epsilon: 0.01, name: 'ln' }).getConfig();
    assert.equal(config.epsilon, 0.01);
    assert.equal(config.name, 'ln');
  });
});
