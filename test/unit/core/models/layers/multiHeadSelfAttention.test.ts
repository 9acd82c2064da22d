import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../../src/core/backend/selectBackend';
import { MultiHeadSelfAttention } from '../../../../../src/core/models/layers/multiHeadSelfAttention';

type Matrix = number[][];

function matMul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, v, k) => sum + v * b[k][j], 0)));
}

/** Textbook multi-head attention for one sequence [tokens, features], written out loop by loop. */
function referenceAttention(x: Matrix, heads: number, qkvKernel: Matrix, qkvBias: number[], outKernel: Matrix, outBias: number[]): Matrix {
  const features = x[0].length;
  const headSize = features / heads;
  const qkv = matMul(x, qkvKernel).map((row) => row.map((v, j) => v + qkvBias[j]));
  const context = x.map(() => new Array<number>(features).fill(0));
  for (let h = 0; h < heads; h++) {
    const q = qkv.map((row) => row.slice(h * headSize, (h + 1) * headSize));
    const k = qkv.map((row) => row.slice(features + h * headSize, features + (h + 1) * headSize));
    const v = qkv.map((row) => row.slice(2 * features + h * headSize, 2 * features + (h + 1) * headSize));
    q.forEach((qi, i) => {
      const scores = k.map((kj) => kj.reduce((s, kv, d) => s + kv * qi[d], 0) / Math.sqrt(headSize));
      const max = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - max));
      const total = exp.reduce((a, b) => a + b);
      v.forEach((vj, j) => vj.forEach((value, d) => { context[i][h * headSize + d] += (exp[j] / total) * value; }));
    });
  }
  return matMul(context, outKernel).map((row) => row.map((v, j) => v + outBias[j]));
}

describe('MultiHeadSelfAttention', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('matches a loop-by-loop multi-head attention', () => {
    const [batch, tokens, features, heads] = [2, 5, 8, 2];
    const layer = new MultiHeadSelfAttention({ heads });
    const x = tf.randomNormal([batch, tokens, features]);
    layer.apply(x);
    // Non-zero biases, so their placement is checked too.
    layer.setWeights(layer.getWeights().map((w) => tf.randomNormal(w.shape, 0, 0.5)));
    const [qkvKernel, qkvBias, outKernel, outBias] = layer.getWeights().map((w) => w.arraySync());
    const output = (layer.apply(x) as tf.Tensor).arraySync() as Matrix[];
    const inputs = x.arraySync() as Matrix[];
    for (let b = 0; b < batch; b++) {
      const expected = referenceAttention(inputs[b], heads, qkvKernel as Matrix, qkvBias as number[], outKernel as Matrix, outBias as number[]);
      expected.forEach((row, i) => row.forEach((v, j) => {
        assert.ok(Math.abs(output[b][i][j] - v) < 1e-4, `[${b}, ${i}, ${j}]: ${output[b][i][j]} vs ${v}`);
      }));
    }
  });

  test('is permutation-equivariant: shuffling the tokens shuffles the output the same way', () => {
    const layer = new MultiHeadSelfAttention({ heads: 4 });
    const x = tf.randomNormal([1, 6, 8]);
    const order = [3, 0, 5, 1, 4, 2];
    const shuffled = tf.gather(x, order, 1);
    const a = tf.gather(layer.apply(x) as tf.Tensor, order, 1).dataSync();
    const b = (layer.apply(shuffled) as tf.Tensor).dataSync();
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5));
  });

  test('rejects a head count that does not divide the embedding size', () => {
    assert.throws(() => new MultiHeadSelfAttention({ heads: 3 }).apply(tf.zeros([1, 2, 8])), /3 heads do not divide the embedding size 8/);
    assert.throws(() => new MultiHeadSelfAttention({ heads: 0 }), /positive whole number/);
  });

  test('keeps its head count in its config', () => {
    assert.equal(new MultiHeadSelfAttention({ heads: 4 }).getConfig().heads, 4);
  });
});
