// MaxPoolGrad on wasm against the cpu backend, ties included.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { TOLERANCE, onCpuAndWasm, runKernel, seededLevels, seededValues, sizeOf, tensor, worstError, type Shape4 } from './backendComparison';

describe('MaxPoolGrad on wasm matches the cpu backend, ties included', () => {
  const cases: Array<{ x: Shape4; size: number | [number, number]; strides: number; pad: 'same' | 'valid' }> = [
    { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' },
    { x: [2, 9, 7, 3], size: 3, strides: 2, pad: 'same' },
    { x: [1, 7, 9, 2], size: [2, 3], strides: 1, pad: 'same' },
    { x: [2, 10, 10, 4], size: 3, strides: 3, pad: 'valid' },
    // 2x2 windows with stride 2 tile the input: odd sizes leave the last row and column out.
    { x: [1, 7, 9, 3], size: 2, strides: 2, pad: 'valid' },
    { x: [3, 6, 5, 1], size: 2, strides: 2, pad: 'valid' },
    { x: [2, 7, 7, 5], size: 2, strides: 2, pad: 'same' },
  ];
  for (const c of cases) {
    test(`pool ${String(c.size)}, strides ${c.strides}, pad ${c.pad}, x ${c.x.join('x')}`, async () => {
      await initBackend('wasm');
      const yShape = tf.tidy(() => tf.maxPool(tf.zeros(c.x) as tf.Tensor4D, c.size, c.strides, c.pad).shape);
      const results = await onCpuAndWasm(() => {
        // Four levels only: most windows hold several equal maxima, and the first one must win.
        // Negative ones too: padding must not count as a zero in the window.
        const x = tf.tensor(seededLevels(sizeOf(c.x), 16, 4).map((v) => v - 2), c.x) as tf.Tensor4D;
        return tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, c.size, c.strides, c.pad))(x, tensor(yShape, 17));
      });
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });
  }
  test('an output that does not match the input still routes dy to each window maximum', async () => {
    const shape: Shape4 = [2, 6, 6, 3];
    const results = await onCpuAndWasm(() => runKernel('MaxPoolGrad', {
      dy: tensor([2, 3, 3, 3], 29),
      input: tf.tensor(seededLevels(sizeOf(shape), 30, 4), shape),
      output: tf.fill([2, 3, 3, 3], 100), // a value no window holds
    }, { filterSize: 2, strides: 2, pad: 'valid' }));
    assert.ok(worstError(results) < TOLERANCE);
  });

  test('NaN inputs never receive the gradient; a window of NaN gives none', async () => {
    const shape: Shape4 = [1, 4, 4, 2];
    const values = seededValues(sizeOf(shape), 37);
    values[0] = NaN; // first input of the first window (channel 0): the largest of the others wins
    for (const at of [4, 6, 12, 14]) values[at] = NaN; // every input of window (0, 1), channel 0
    const results = await onCpuAndWasm(() => tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid'))(
      tf.tensor(values, shape), tensor([1, 2, 2, 2], 38)));
    assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
  });
});
