// The wasm gradient kernels against the cpu backend's reference kernels, on seeded random inputs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { registerWasmGradientKernels } from '../../../../src/core/backend/wasmGradientKernels';
import { onCpuAndWasm, relativeError, seededLevels, seededValues, sizeOf, worstError } from './backendComparison';

const TOLERANCE = 1e-4;

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(sizeOf(shape), seed), shape);
}

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
}

const convCases: ConvCase[] = [
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [3, 9, 7, 2], filter: [3, 2, 2, 5], strides: 1, pad: 'valid' },
  // The last input rows/columns are never reached by the forward pass.
  { x: [2, 10, 8, 3], filter: [3, 2, 3, 4], strides: 2, pad: 'valid' },
  { x: [2, 11, 9, 2], filter: [2, 4, 2, 5], strides: [2, 1], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { x: [1, 5, 6, 4], filter: [5, 5, 4, 3], strides: 1, pad: 'same' },
  // Strides larger than the filter: some input rows/columns get no gradient at all.
  { x: [2, 9, 8, 4], filter: [1, 3, 4, 3], strides: [3, 2], pad: 'same' },
  { x: [2, 8, 8, 4], filter: [2, 2, 4, 3], strides: 2, pad: 'valid' },
  { x: [2, 10, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: [[0, 0], [3, 1], [0, 2], [0, 0]] },
  // Few taps per output channel (kh*kw*Cin <= Cout): the filter gradient gathers patches instead.
  { x: [2, 12, 12, 3], filter: [1, 1, 3, 6], strides: 2, pad: 'valid' },
  { x: [2, 9, 7, 1], filter: [3, 3, 1, 9], strides: 2, pad: 'same' },
  { x: [3, 8, 6, 2], filter: [2, 3, 2, 12], strides: 1, pad: 'valid' },
  { x: [2, 7, 7, 1], filter: [3, 3, 1, 10], strides: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
];

function describeCase(c: { x: number[]; filter: number[]; strides: unknown; pad: unknown }): string {
  return `x ${c.x.join('x')}, filter ${c.filter.join('x')}, strides ${String(c.strides)}, pad ${JSON.stringify(c.pad)}`;
}

function outputShape(c: ConvCase): number[] {
  return tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape);
}

describe('Conv2D gradients on wasm match the cpu backend', () => {
  for (const c of convCases) {
    test(`Conv2DBackpropFilter: ${describeCase(c)}`, async () => {
      await initBackend('wasm');
      const dyShape = outputShape(c);
      const results = await onCpuAndWasm(() => runKernel('Conv2DBackpropFilter',
        { x: tensor(c.x, 1), dy: tensor(dyShape, 2) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }));
      assert.deepEqual(results.wasmShapes[0], c.filter);
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });

    test(`Conv2DBackpropInput: ${describeCase(c)}`, async () => {
      await initBackend('wasm');
      const dyShape = outputShape(c);
      const results = await onCpuAndWasm(() => runKernel('Conv2DBackpropInput',
        { dy: tensor(dyShape, 3), filter: tensor(c.filter, 4) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }));
      assert.deepEqual(results.wasmShapes[0], c.x);
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });
  }
});

interface DepthwiseCase {
  x: Shape4;
  filter: Shape4;
  strides: number;
  pad: 'same' | 'valid';
  dilations: number | [number, number];
}

const depthwiseCases: DepthwiseCase[] = [
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same', dilations: 1 },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'same', dilations: 1 },
  { x: [3, 9, 7, 2], filter: [3, 2, 2, 2], strides: 1, pad: 'valid', dilations: 1 },
  { x: [2, 10, 8, 3], filter: [2, 3, 3, 1], strides: 2, pad: 'valid', dilations: 1 },
];

describe('Depthwise conv gradients on wasm match the cpu backend', () => {
  for (const c of depthwiseCases) {
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations };
    const dyShape = (): number[] => tf.tidy(() => tf.depthwiseConv2d(
      tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape);

    test(`DepthwiseConv2dNativeBackpropFilter: ${describeCase(c)}`, async () => {
      await initBackend('wasm');
      const results = await onCpuAndWasm(() => runKernel('DepthwiseConv2dNativeBackpropFilter',
        { x: tensor(c.x, 5), dy: tensor(dyShape(), 6) }, { ...attrs, filterShape: c.filter }));
      assert.deepEqual(results.wasmShapes[0], c.filter);
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });

    test(`DepthwiseConv2dNativeBackpropInput: ${describeCase(c)}`, async () => {
      await initBackend('wasm');
      const results = await onCpuAndWasm(() => runKernel('DepthwiseConv2dNativeBackpropInput',
        { dy: tensor(dyShape(), 7), filter: tensor(c.filter, 8) }, { ...attrs, inputShape: c.x }));
      assert.deepEqual(results.wasmShapes[0], c.x);
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });
  }

  // The cpu backend's depthwise gradient kernels ignore dilations (the gradient ops never pass
  // them), so dilated cases are checked against the forward op instead: a convolution is
  // bilinear, so sum(y * dy) = sum(w * dW) = sum(x * dx).
  const dilated: DepthwiseCase[] = [
    { x: [2, 9, 7, 3], filter: [3, 2, 3, 2], strides: 1, pad: 'valid', dilations: 2 },
    { x: [1, 12, 12, 2], filter: [3, 3, 2, 1], strides: 1, pad: 'same', dilations: [2, 3] },
  ];
  for (const c of dilated) {
    test(`dilated depthwise gradients agree with the forward op: ${describeCase(c)}`, async () => {
      await initBackend('wasm');
      const [forward, viaFilter, viaInput] = tf.tidy(() => {
        const x = tensor(c.x, 9) as tf.Tensor4D;
        const w = tensor(c.filter, 10) as tf.Tensor4D;
        const y = tf.depthwiseConv2d(x, w, c.strides, c.pad, 'NHWC', c.dilations);
        const dy = tensor(y.shape, 11);
        const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations };
        const dW = runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: c.filter });
        const dx = runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: c.x });
        return [tf.sum(tf.mul(y, dy)), tf.sum(tf.mul(w, dW)), tf.sum(tf.mul(x, dx))].map((t) => t.dataSync()[0]);
      });
      assert.ok(Math.abs(viaFilter - forward) < TOLERANCE * Math.abs(forward), `${viaFilter} vs ${forward}`);
      assert.ok(Math.abs(viaInput - forward) < TOLERANCE * Math.abs(forward), `${viaInput} vs ${forward}`);
    });
  }
});

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

describe('MaxPoolGrad on wasm matches the cpu backend, ties included', () => {
  const cases: Array<{ x: Shape4; size: number | [number, number]; strides: number; pad: 'same' | 'valid' }> = [
    { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' },
    { x: [2, 9, 7, 3], size: 3, strides: 2, pad: 'same' },
    { x: [1, 7, 9, 2], size: [2, 3], strides: 1, pad: 'same' },
    { x: [2, 10, 10, 4], size: 3, strides: 3, pad: 'valid' },
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
});

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
