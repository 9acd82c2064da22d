// The wasm kernels together: gradients of a small conv net against the cpu backend, no leaks,
// idempotent registration, and real learning on wasm.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { registerWasmGradientKernels } from '../../../../src/core/backend/wasmGradientKernels';
import { TOLERANCE, onCpuAndWasm, relativeError, seededValues, tensor, worstError } from './backendComparison';

/** A small conv net as plain ops: strided 'same' conv, 'valid' conv, max pool, dense, softmax loss. */
function convNetLoss(x: tf.Tensor4D, labels: tf.Tensor2D) {
  return (w1: tf.Tensor, w2: tf.Tensor, dense: tf.Tensor, input: tf.Tensor): tf.Scalar => {
    const h1 = tf.relu(tf.conv2d(input as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'));
    const h2 = tf.relu(tf.conv2d(h1, w2 as tf.Tensor4D, 1, 'valid'));
    const pooled = tf.maxPool(h2, 2, 2, 'valid');
    const logits = tf.matMul(tf.reshape(pooled, [x.shape[0], -1]), dense);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
}

function convNetGradients(): tf.Tensor[] {
  const x = tensor([3, 12, 10, 2], 21) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d([0, 2, 1], 'int32'), 3) as tf.Tensor2D;
  const w1 = tf.mul(tensor([3, 3, 2, 4], 22), 0.5);
  const w2 = tf.mul(tensor([2, 3, 4, 5], 23), 0.5);
  const dense = tensor([2 * 1 * 5, 3], 24); // pooled: [3, 2, 1, 5] after 12x10 -> 6x5 -> 5x3 -> 2x1
  return tf.grads(convNetLoss(x, labels))([w1, w2, dense, x]);
}

describe('training through the wasm kernels', () => {
  test('tf.grads of a small conv net on wasm matches the cpu backend', async () => {
    const results = await onCpuAndWasm(convNetGradients);
    assert.equal(results.wasm.length, 4);
    for (let i = 0; i < 4; i++) {
      assert.ok(relativeError(results.cpu[i], results.wasm[i]) < TOLERANCE, `gradient ${i}`);
    }
  });

  test('repeated gradient steps leave no tensors or wasm buffers behind', async () => {
    await initBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const step = (): void => tf.dispose(tf.tidy(convNetGradients));
    step();
    const tensors = tf.memory().numTensors;
    // Our kernels' intermediates never become engine tensors, so count the backend's buffers too.
    const buffers = backend.numDataIds();
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(backend.numDataIds(), buffers);
  });

  test('registering the kernels again changes nothing', async () => {
    await initBackend('wasm');
    const before = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    registerWasmGradientKernels();
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), before);
    const results = await onCpuAndWasm(convNetGradients);
    assert.ok(worstError(results) < TOLERANCE);
  });

  test('a small conv net learns to tell left-lit from right-lit images on wasm', async () => {
    await initBackend('wasm');
    const count = 64;
    const { images, labels } = tf.tidy(() => {
      const side = tf.tensor1d(Array.from({ length: count }, (_, i) => i % 2), 'int32');
      const noise = tf.mul(tf.tensor(seededValues(count * 12 * 12, 25), [count, 12, 12, 1]), 0.3);
      const leftLit = tf.concat([tf.ones([12, 6, 1]), tf.zeros([12, 6, 1])], 1);
      const right = tf.reshape(tf.cast(side, 'float32'), [count, 1, 1, 1]);
      const masks = tf.add(tf.mul(right, tf.sub(1, leftLit)), tf.mul(tf.sub(1, right), leftLit));
      return { images: tf.add(masks, noise) as tf.Tensor4D, labels: tf.oneHot(side, 2) as tf.Tensor2D };
    });
    const params = [
      tf.variable(tf.mul(tensor([3, 3, 1, 4], 26), 0.3)),
      tf.variable(tf.mul(tensor([2, 3, 4, 5], 27), 0.3)),
      tf.variable(tf.mul(tensor([5 * 4 * 5, 2], 28), 0.1)), // 12x12 -> 6x6x4 -> 5x4x5
    ];
    const net = (input: tf.Tensor4D): tf.Tensor2D => {
      const h1 = tf.relu(tf.conv2d(input, params[0] as tf.Tensor4D, 2, 'same'));
      const h2 = tf.relu(tf.conv2d(h1, params[1] as tf.Tensor4D, 1, 'valid'));
      return tf.matMul(tf.reshape(h2, [input.shape[0], -1]), params[2]);
    };
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 40; step++) {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net(images)) as tf.Scalar);
    }
    const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(net(images), 1), tf.argMax(labels, 1)), 'float32')).dataSync()[0]);
    tf.dispose([images, labels, ...params]);
    optimizer.dispose();
    assert.ok(accuracy >= 0.95, `accuracy ${accuracy}`);
  });
});
