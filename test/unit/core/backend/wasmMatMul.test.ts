// BatchMatMul and _FusedMatMul on wasm against the cpu backend.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
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

