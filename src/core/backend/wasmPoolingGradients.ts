// MaxPoolGrad for the wasm backend: dx gets each dy value at the first largest input of its
// pooling window (row-major order, NaN never chosen), as the cpu backend does. The stock kernel
// rescans every window for every input pixel (3x slower) and hands tied maxima to the last one.
import { MaxPoolGrad, backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapFloats, kernelConfig, type KernelArgs, type PadAttr, type RoundingMode, type Shape4 } from './wasmKernelScope';

function maxPoolGrad(args: KernelArgs<{ dy: TensorInfo; input: TensorInfo; output: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: number | [number, number];
    strides: number | [number, number];
    pad: PadAttr;
    dimRoundingMode: RoundingMode;
  };
  const info = backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const dx = backend.makeOutput(input.shape, 'float32');
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm memory.
  const values: PoolValues = {
    dx: heapFloats(backend, dx),
    x: heapFloats(backend, input),
    y: heapFloats(backend, output),
    dy: heapFloats(backend, dy),
  };
  values.dx.fill(0);
  // Windows that tile the input: no overlap, no padding, none reaching past the last row or column.
  const tiles = info.filterHeight === info.strideHeight && info.filterWidth === info.strideWidth
    && info.padInfo.top === 0 && info.padInfo.left === 0
    && info.outHeight * info.strideHeight <= info.inHeight && info.outWidth * info.strideWidth <= info.inWidth;
  if (tiles && info.filterHeight === 2 && info.filterWidth === 2) routeTwoByTwo(values, info);
  else routeWindows(values, info);
  return dx;
}

interface PoolValues {
  dx: Float32Array;
  x: Float32Array;
  y: Float32Array;
  dy: Float32Array;
}

/**
 * The common 2x2 pool with stride 2 and no padding: windows tile the input without overlap, so
 * each dy value goes to one of four known offsets. The window's first input equal to the forward
 * output wins; when none is (an output that is not this input's maximum), the first largest does.
 */
function routeTwoByTwo({ dx, x, y, dy }: PoolValues, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  let at = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      let topLeft = (b * inHeight + 2 * oh) * rowStride;
      for (let ow = 0; ow < outWidth; ow++, topLeft += 2 * channels) {
        for (let c = 0; c < channels; c++, at++) {
          const p00 = topLeft + c;
          const p01 = p00 + channels;
          const p10 = p00 + rowStride;
          const p11 = p10 + channels;
          const target = y[at];
          let found: number;
          if (x[p00] === target) found = p00;
          else if (x[p01] === target) found = p01;
          else if (x[p10] === target) found = p10;
          else if (x[p11] === target) found = p11;
          else found = firstLargestOfFour(x, p00, p01, p10, p11);
          if (found >= 0) dx[found] += dy[at];
        }
      }
    }
  }
}

/** The first of the four offsets holding the largest value, or -1 when none compares (all NaN). */
function firstLargestOfFour(x: Float32Array, p00: number, p01: number, p10: number, p11: number): number {
  let best = -Infinity;
  let found = -1;
  if (x[p00] > best) [best, found] = [x[p00], p00];
  if (x[p01] > best) [best, found] = [x[p01], p01];
  if (x[p10] > best) [best, found] = [x[p10], p10];
  if (x[p11] > best) found = p11;
  return found;
}

/** Any window size, stride and padding: windows may overlap and are clipped to the input. */
function routeWindows({ dx, x, y, dy }: PoolValues, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * info.strideHeight - info.padInfo.top;
      const h0 = Math.max(0, top);
      const h1 = Math.min(inHeight, top + info.filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * info.strideWidth - info.padInfo.left;
        const w0 = Math.max(0, left);
        const w1 = Math.min(inWidth, left + info.filterWidth);
        const window: PoolWindow = {
          start: (b * inHeight + h0) * rowStride + w0 * channels, rows: h1 - h0, cols: w1 - w0, rowStride, channels,
        };
        const at = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          let found = firstEqual(x, window, c, y[at + c]);
          if (found < 0) found = firstMax(x, window, c);
          if (found >= 0) dx[found] += dy[at + c];
        }
      }
    }
  }
}

/** One pooling window clipped to the input, in flat NHWC offsets. */
interface PoolWindow {
  start: number;
  rows: number;
  cols: number;
  rowStride: number;
  channels: number;
}

/** Offset of the first input of the window (channel c) equal to `target`, or -1. */
function firstEqual(x: Float32Array, window: PoolWindow, c: number, target: number): number {
  for (let i = 0; i < window.rows; i++) {
    let at = window.start + i * window.rowStride + c;
    for (let j = 0; j < window.cols; j++, at += window.channels) {
      if (x[at] === target) return at;
    }
  }
  return -1;
}

/** Offset of the first largest input of the window (channel c), or -1 if none compares (all NaN). */
function firstMax(x: Float32Array, window: PoolWindow, c: number): number {
  let best = -Infinity;
  let found = -1;
  for (let i = 0; i < window.rows; i++) {
    let at = window.start + i * window.rowStride + c;
    for (let j = 0; j < window.cols; j++, at += window.channels) {
      if (x[at] > best) {
        best = x[at];
        found = at;
      }
    }
  }
  return found;
}

/** Kernels that replace stock wasm ones. */
export const poolingKernels = [kernelConfig(MaxPoolGrad, maxPoolGrad)];
