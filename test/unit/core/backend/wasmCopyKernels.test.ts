// Identity, Cast, Slice, SplitV and Reverse on wasm: the same values as the cpu backend, and clones that
// share a buffer stay valid however the tensors are disposed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { onCpuAndWasm, seededLevels, tensor, worstError } from './backendComparison';

describe('Slice and SplitV on wasm match the cpu backend', () => {
  const slices: Array<{ shape: number[]; begin: number[]; size: number[] }> = [
    { shape: [6, 5], begin: [2, 0], size: [3, 5] }, // contiguous rows
    { shape: [6, 5], begin: [1, 2], size: [4, 2] },
    { shape: [3, 6, 5, 4], begin: [1, 2, 1, 0], size: [2, 3, 4, 4] },
    { shape: [3, 6, 5, 4], begin: [0, 1, 0, 1], size: [3, 4, 5, 2] },
    { shape: [2, 3, 4, 5, 6], begin: [1, 0, 1, 2, 3], size: [1, 3, 2, 3, 3] },
    { shape: [4, 3], begin: [1, 1], size: [0, 2] },
  ];
  for (const c of slices) {
    test(`slice of ${c.shape.join('x')} from [${c.begin.join(',')}] size [${c.size.join(',')}]`, async () => {
      const results = await onCpuAndWasm(() => [
        tf.slice(tensor(c.shape, 40), c.begin, c.size),
        tf.slice(tf.tensor(seededLevels(c.shape.reduce((a, b) => a * b, 1), 41, 50), c.shape, 'int32'), c.begin, c.size),
      ]);
      assert.equal(worstError(results), 0);
    });
  }

  const splits: Array<{ shape: number[]; sizes: number[]; axis: number }> = [
    { shape: [8, 12], sizes: [3, 3, 3, 3], axis: 1 }, // an LSTM's four gates
    { shape: [6, 4, 9], sizes: [2, 4, 3], axis: 2 },
    { shape: [6, 4, 9], sizes: [1, 5], axis: 0 },
    { shape: [6, 4, 9], sizes: [1, -1], axis: 1 },
  ];
  for (const c of splits) {
    test(`split of ${c.shape.join('x')} into [${c.sizes.join(',')}] along axis ${c.axis}`, async () => {
      const results = await onCpuAndWasm(() => tf.split(tensor(c.shape, 42), c.sizes, c.axis));
      assert.equal(results.wasm.length, c.sizes.length);
      assert.equal(worstError(results), 0);
    });
  }
});

describe('Reverse on wasm matches the cpu backend', () => {
  const reversals: Array<{ shape: number[]; dims: number[] }> = [
    { shape: [3, 3, 5, 4], dims: [0, 1] }, // a filter flipped for its input gradient: long runs
    { shape: [2, 4, 5, 3], dims: [2] }, // a batch mirrored left to right: runs of 3
    { shape: [2, 4, 5, 3], dims: [3] }, // the last axis: one value at a time
    { shape: [2, 4, 5, 3], dims: [0, 2, 3] },
    { shape: [3, 2, 20], dims: [1] }, // runs long enough for block copies
    { shape: [7], dims: [0] },
    { shape: [4, 6], dims: [-1] },
    { shape: [4, 0, 3], dims: [0] },
  ];
  for (const c of reversals) {
    test(`reverse of ${c.shape.join('x')} along [${c.dims.join(',')}]`, async () => {
      const results = await onCpuAndWasm(() => [
        tf.reverse(tensor(c.shape, 43), c.dims),
        tf.reverse(tf.tensor(seededLevels(c.shape.reduce((a, b) => a * b, 1), 44, 50), c.shape, 'int32'), c.dims),
      ]);
      assert.equal(worstError(results), 0);
    });
  }
});

describe('Identity and Cast on wasm share the input buffer safely', () => {
  test('a clone keeps its values after the original is disposed, and both free their buffer', async () => {
    await initBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const buffers = backend.numDataIds();
    const original = tensor([3, 4], 43);
    const expected = original.dataSync().slice();
    const cloned = tf.clone(original);
    const sameType = tf.cast(original, 'float32');
    original.dispose();
    assert.deepEqual(cloned.dataSync(), expected);
    cloned.dispose();
    assert.deepEqual(sameType.dataSync(), expected);
    sameType.dispose();
    assert.equal(backend.numDataIds(), buffers);
  });

  test('casting to another type still converts the values', async () => {
    const results = await onCpuAndWasm(() => [
      tf.cast(tf.tensor([1.75, -2.5, 3, 0]), 'int32'),
      tf.cast(tf.tensor([1, 0, 7], [3], 'int32'), 'float32'),
      tf.cast(tf.tensor([1, 0, 1], [3], 'bool'), 'float32'),
    ]);
    assert.equal(worstError(results), 0);
  });

  test('a variable updated after cloning leaves the clone unchanged', async () => {
    await initBackend('wasm');
    const variable = tf.variable(tf.tensor([1, 2, 3]));
    const snapshot = tf.clone(variable);
    variable.assign(tf.tensor([7, 8, 9]));
    assert.deepEqual(Array.from(snapshot.dataSync()), [1, 2, 3]);
    assert.deepEqual(Array.from(variable.dataSync()), [7, 8, 9]);
    tf.dispose([variable, snapshot]);
  });
});
