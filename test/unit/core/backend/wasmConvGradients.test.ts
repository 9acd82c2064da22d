// Convolution gradient kernels on wasm against the cpu backend's reference kernels, on seeded random inputs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { TOLERANCE, onCpuAndWasm, runKernel, tensor, worstError, type Shape4 } from './backendComparison';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

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
  // Windows that tile the input (a patch embedding): one matrix product each way.
  { x: [3, 8, 12, 3], filter: [4, 4, 3, 5], strides: 4, pad: 'valid' },
  { x: [1, 6, 9, 2], filter: [2, 3, 2, 7], strides: [2, 3], pad: 'valid' },
  // Almost tiling: the last row is left over, so the general kernels run.
  { x: [2, 9, 8, 3], filter: [4, 4, 3, 5], strides: 4, pad: 'valid' },
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


describe('Conv2D and FusedConv2D on wasm match the cpu backend', () => {
  const cases: Array<{ x: Shape4; filter: Shape4; strides: number | [number, number]; pad: Pad }> = [
    { x: [3, 8, 12, 3], filter: [4, 4, 3, 5], strides: 4, pad: 'valid' }, // tiles: one matrix product
    { x: [1, 6, 9, 2], filter: [2, 3, 2, 7], strides: [2, 3], pad: 'valid' },
    { x: [2, 9, 8, 3], filter: [4, 4, 3, 5], strides: 4, pad: 'valid' }, // stock
    { x: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' }, // stock
  ];
  for (const c of cases) {
    test(describeCase(c), async () => {
      const results = await onCpuAndWasm(() => {
        const x = tensor(c.x, 50) as tf.Tensor4D;
        const w = tensor(c.filter, 51) as tf.Tensor4D;
        return [
          tf.conv2d(x, w, c.strides, c.pad),
          tf.fused.conv2d({ x, filter: w, strides: c.strides, pad: c.pad, bias: tensor([c.filter[3]], 52), activation: 'relu' }),
        ];
      });
      assert.ok(worstError(results) < TOLERANCE, `relative error ${worstError(results)}`);
    });
  }
});
