// BatchMatMul and _FusedMatMul on wasm against the cpu backend.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { TOLERANCE, onCpuAndWasm, tensor, worstError } from './backendComparison';

describe('MatMul on wasm matches the cpu backend for every transpose and batch layout', () => {
  const cases: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
    { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
    { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
    { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
    { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
    { a: [4, 5, 7], b: [7, 3], transposeA: false, transposeB: false },
    { a: [4, 5, 7], b: [3, 7], transposeA: false, transposeB: true },
    { a: [2, 4, 5, 7], b: [1, 7, 3], transposeA: false, transposeB: false },
    { a: [1, 5, 7], b: [1, 3, 7], transposeA: false, transposeB: true },
    { a: [4, 7, 5], b: [4, 7, 3], transposeA: true, transposeB: false },
  ];
  for (const c of cases) {
    test(`a ${c.a.join('x')}${c.transposeA ? '^T' : ''} times b ${c.b.join('x')}${c.transposeB ? '^T' : ''}`, async () => {
      const results = await onCpuAndWasm(() => [
        tf.matMul(tensor(c.a, 18), tensor(c.b, 19), c.transposeA, c.transposeB),
        tf.fused.matMul({
          a: tensor(c.a, 18), b: tensor(c.b, 19), transposeA: c.transposeA, transposeB: c.transposeB,
          bias: tensor([c.transposeB ? c.b[c.b.length - 2] : c.b[c.b.length - 1]], 20), activation: 'relu',
        }),
      ]);
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });
  }
});


describe('batched products on wasm match the cpu backend', () => {
  const cases: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
    // Attention: [batch * heads, tokens, size] against itself, every transpose layout.
    { a: [6, 9, 4], b: [6, 9, 4], transposeA: false, transposeB: true },
    { a: [6, 9, 9], b: [6, 9, 4], transposeA: false, transposeB: false },
    { a: [6, 9, 9], b: [6, 9, 4], transposeA: true, transposeB: false },
    { a: [6, 4, 9], b: [6, 9, 4], transposeA: true, transposeB: true },
    { a: [2, 3, 5, 7], b: [2, 3, 7, 4], transposeA: false, transposeB: false },
    // One side a single matrix, broadcast over the other's batch.
    { a: [1, 5, 7], b: [4, 7, 3], transposeA: false, transposeB: false },
    { a: [4, 7, 5], b: [7, 3], transposeA: true, transposeB: false },
    { a: [5, 7], b: [2, 2, 3, 7], transposeA: false, transposeB: true },
    // Batch dims that broadcast both ways go to the stock kernel.
    { a: [2, 1, 5, 7], b: [1, 3, 7, 4], transposeA: false, transposeB: false },
    { a: [1, 1], b: [3, 1, 2], transposeA: false, transposeB: false },
  ];
  for (const c of cases) {
    test(`a ${c.a.join('x')}${c.transposeA ? '^T' : ''} times b ${c.b.join('x')}${c.transposeB ? '^T' : ''}`, async () => {
      const results = await onCpuAndWasm(() => tf.matMul(tensor(c.a, 21), tensor(c.b, 22), c.transposeA, c.transposeB));
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });
  }

  test('gradients of scaled dot-product attention', async () => {
    const results = await onCpuAndWasm(() => tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
      tf.matMul(tf.softmax(tf.matMul(q, k, false, true)), v))([tensor([3, 6, 4], 23), tensor([3, 6, 4], 24), tensor([3, 6, 4], 25)]));
    assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
  });

  test('batched products leave no wasm buffers behind', async () => {
    await initBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const product = (): void => tf.dispose(tf.tidy(() => tf.matMul(tensor([4, 5, 3], 26), tensor([4, 6, 3], 27), false, true)));
    product();
    const buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) product();
    assert.equal(backend.numDataIds(), buffers);
  });
});
