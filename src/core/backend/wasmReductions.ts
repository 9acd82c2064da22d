// Sums for the wasm backend:
//   Sum over leading axes (every bias gradient sums dy over batch and space) as one pass over the
//   values; the stock kernel first transposes the whole tensor to bring those axes innermost.
//   UnsortedSegmentSum (the gradient of gather), which the wasm backend lacks.
import { Sum, UnsortedSegmentSum, backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapFloats, kernelConfig, runStock, type KernelArgs } from './wasmKernelScope';

/**
 * When the summed axes are exactly the leading ones, x is [rows, cols] with the sum running down
 * the rows: accumulated row by row (in double precision, as the cpu backend does) into one
 * vector. Any other axes, or non-float data, go to the stock kernel.
 */
function sum(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((axis, i) => axis === i);
  if (x.dtype !== 'float32' || !leading) return runStock(Sum, args);
  const outShape = x.shape.slice(axes.length);
  const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
  const cols = util.sizeFromShape(outShape);
  const shape = attrs.keepDims === true ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  const out = backend.makeOutput(shape, 'float32');
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm memory.
  const values = heapFloats(backend, x);
  heapFloats(backend, out).set(sumRows(values, rows, cols));
  return out;
}

/** Column sums of a row-major [rows, cols] matrix, four columns per pass where they fit. */
function sumRows(values: Float32Array, rows: number, cols: number): Float64Array {
  const totals = new Float64Array(cols);
  const wide = cols - (cols % 4);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < wide; c += 4) {
      totals[c] += values[row + c];
      totals[c + 1] += values[row + c + 1];
      totals[c + 2] += values[row + c + 2];
      totals[c + 3] += values[row + c + 3];
    }
    for (let c = wide; c < cols; c++) totals[c] += values[row + c];
  }
  return totals;
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
