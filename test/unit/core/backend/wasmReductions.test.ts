// Sum and UnsortedSegmentSum on wasm against the cpu backend.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { TOLERANCE, onCpuAndWasm, runKernel, seededLevels, tensor, worstError } from './backendComparison';

describe('UnsortedSegmentSum (the gradient of gather) on wasm matches the cpu backend', () => {
  test('rows summed by segment, out-of-range ids dropped', async () => {
    const results = await onCpuAndWasm(() => runKernel('UnsortedSegmentSum',
      { x: tensor([6, 4], 12), segmentIds: tf.tensor1d([0, 2, 2, -1, 1, 7], 'int32') }, { numSegments: 4 }));
    assert.deepEqual(results.wasmShapes[0], [4, 4]);
    assert.ok(worstError(results) < TOLERANCE);
  });

  test('rows of a rank-3 int32 tensor', async () => {
    const results = await onCpuAndWasm(() => runKernel('UnsortedSegmentSum', {
      x: tf.tensor(seededLevels(30, 13, 9), [5, 2, 3], 'int32'),
      segmentIds: tf.tensor1d([4, 0, 4, 2, 0], 'int32'),
    }, { numSegments: 5 }));
    assert.deepEqual(results.wasmShapes[0], [5, 2, 3]);
    assert.equal(worstError(results), 0);
  });

  test('the gradient of an embedding lookup with repeated ids', async () => {
    const results = await onCpuAndWasm(() => {
      const table = tensor([10, 3], 14);
      const ids = tf.tensor2d([[1, 3, 3], [9, 1, 0]], [2, 3], 'int32');
      const dy = tensor([2, 3, 3], 15);
      return tf.grad((t: tf.Tensor) => tf.gather(t, ids))(table, dy);
    });
    assert.ok(worstError(results) < TOLERANCE);
  });
});


describe('Sum on wasm matches the cpu backend', () => {
  const cases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
    // Leading axes: summed in one pass down the rows.
    { shape: [6, 5, 4], axis: [0, 1], keepDims: false },
    { shape: [9, 7], axis: 0, keepDims: false },
    { shape: [3, 4, 5, 6], axis: [1, 0, 2], keepDims: true },
    { shape: [1, 3], axis: 0, keepDims: false },
    { shape: [40, 3, 3, 5], axis: [0, 1, 2], keepDims: false },
    { shape: [8, 32, 32, 3], axis: [0, 1, 2], keepDims: false }, // 8,192 rows: many pooling passes
    // Any other axes go to the stock kernel.
    { shape: [4, 5, 6], axis: [1], keepDims: false },
    { shape: [4, 5, 6], axis: [0, 2], keepDims: true },
    { shape: [4, 5], axis: [0, 1], keepDims: false },
  ];
  for (const c of cases) {
    test(`x ${c.shape.join('x')}, axis ${JSON.stringify(c.axis)}${c.keepDims ? ', keepDims' : ''}`, async () => {
      await initBackend('wasm');
      const results = await onCpuAndWasm(() => tf.sum(tensor(c.shape, 31), c.axis, c.keepDims));
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });
  }

  test('the bias gradient of a convolution sums dy over batch and space', async () => {
    const results = await onCpuAndWasm(() => tf.grad((bias: tf.Tensor) => tf.add(
      tf.conv2d(tensor([3, 7, 6, 2], 32) as tf.Tensor4D, tensor([3, 3, 2, 5], 33) as tf.Tensor4D, 1, 'same'), bias))(
      tensor([5], 34), tensor([3, 7, 6, 5], 35)));
    assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
  });

  test('int32 values keep the stock kernel and stay exact', async () => {
    const results = await onCpuAndWasm(() => tf.sum(tf.tensor(seededLevels(60, 36, 9), [5, 4, 3], 'int32'), [0, 1]));
    assert.equal(worstError(results), 0);
  });
});
