// Sums for the wasm backend:
//   Sum over leading axes (every bias gradient sums dy over batch and space) as one vectorised pass
//   over the values; the stock kernel first transposes the whole tensor to bring those axes innermost.
//   UnsortedSegmentSum (the gradient of gather), which the wasm backend lacks.
import { AvgPool, Sum, UnsortedSegmentSum, backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapFloats, kernelConfig, runStock, withScope, type KernelArgs } from './wasmKernelScope';

/**
 * When the summed axes are exactly the leading ones, x is [rows, cols] with the sum running down
 * the rows. XNNPACK's average pooling over one window of all the rows does that in a single
 * vectorised pass (10x faster than a JavaScript loop); the mean times the row count is the sum,
 * within a few 1e-6 of a double-precision sum. Any other axes, or non-float data, go to the stock kernel.
 */
function sum(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((axis, i) => axis === i);
  const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
  const outShape = x.shape.slice(axes.length);
  const cols = util.sizeFromShape(outShape);
  if (x.dtype !== 'float32' || !leading || rows < 2 || cols === 0) return runStock(Sum, args);
  const shape = attrs.keepDims === true ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  return withScope(backend, (scope) => {
    const mean = scope.run(AvgPool, { x: scope.reshape(x, [1, rows, 1, cols]) }, {
      filterSize: [rows, 1], strides: [rows, 1], pad: 'valid',
    });
    const values = heapFloats(backend, mean);
    for (let c = 0; c < cols; c++) values[c] *= rows;
    return scope.reshape(mean, shape);
  });
}

/**
 * out[s, ...] = sum of x[i, ...] over the i with segmentIds[i] == s. Ids outside [0, numSegments)
 * are dropped, as the cpu backend does. A direct loop over the wasm heap: O(size of x).
 */
function unsortedSegmentSum(args: KernelArgs<{ x: TensorInfo; segmentIds: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  const numSegments = attrs.numSegments as number;
  const idsRank = segmentIds.shape.length;
  const rows = util.sizeFromShape(segmentIds.shape);
  const rowSize = rows === 0 ? 0 : util.sizeFromShape(x.shape) / rows;
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm memory.
  const values = backend.typedArrayFromHeap(out);
  values.fill(0);
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  for (let row = 0; row < rows; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) values[to + k] += xValues[from + k];
  }
  return out;
}

/** Kernels that replace stock wasm ones. */
export const reductionKernels = [kernelConfig(Sum, sum)];

/** Kernels the wasm backend does not have. */
export const addedReductionKernels = [kernelConfig(UnsortedSegmentSum, unsortedSegmentSum)];
