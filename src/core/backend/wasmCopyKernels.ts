// Wasm kernels that only move memory, without the copies the stock ones make:
//   Identity and same-type Cast share the input's buffer (tensors are immutable), as the cpu
//   backend does; the engine clones every tensor a gradient keeps, so the stock copies cost a
//   full pass over each saved activation per step.
//   Slice and SplitV read the input in place; the stock ones first copy the whole input out of
//   the wasm heap for every slice they cut (an LSTM splits its gates 4 ways at every time step).
//   Reverse copies whole runs of values; the stock one moves one value at a time (a 3x3x128x128
//   filter flipped for its input gradient took ~5 ms, a flip of a batch for test-time augmentation more).
import { Cast, Identity, Reverse, Slice, SplitV, backend_util, slice_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { kernelConfig, runStock, type KernelArgs } from './wasmKernelScope';

function share(backend: BackendWasm, x: TensorInfo, shape: number[] = x.shape): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

function identity(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { x } = args.inputs;
  if (x.dtype === 'string') return runStock(Identity, args);
  return share(args.backend, x);
}

function cast(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { x } = args.inputs;
  if (x.dtype === args.attrs.dtype && x.dtype !== 'string') return share(args.backend, x);
  return runStock(Cast, args);
}

type NumericArray = Float32Array | Int32Array | Uint8Array;

/**
 * Copies the box [begin, begin + size) of `x` (shape `shape`) into `out`, one run of contiguous
 * values at a time: the trailing axes taken whole, times the last axis cut, form one run.
 */
function copyBox(x: NumericArray, shape: number[], begin: number[], size: number[], out: NumericArray): void {
  const rank = shape.length;
  const strides = util.computeStrides(shape);
  let inner = rank - 1;
  let run = rank === 0 ? 1 : size[rank - 1];
  while (inner > 0 && size[inner] === shape[inner]) {
    inner--;
    run *= size[inner];
  }
  // Axes [0, inner) are walked one index at a time; axis `inner` and after form the runs.
  const outer = size.slice(0, inner);
  const count = util.sizeFromShape(outer);
  const index = new Array<number>(inner).fill(0);
  let base = 0;
  for (let axis = 0; axis < rank; axis++) base += begin[axis] * (axis < rank - 1 ? strides[axis] : 1);
  let to = 0;
  for (let n = 0; n < count; n++) {
    let from = base;
    for (let axis = 0; axis < inner; axis++) from += index[axis] * strides[axis];
    out.set(x.subarray(from, from + run), to);
    to += run;
    for (let axis = inner - 1; axis >= 0; axis--) {
      if (++index[axis] < outer[axis]) break;
      index[axis] = 0;
    }
  }
}

function sliceOf(backend: BackendWasm, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (util.sizeFromShape(size) === 0) return out;
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm memory.
  const values = backend.typedArrayFromHeap(x) as NumericArray;
  const target = backend.typedArrayFromHeap(out) as NumericArray;
  if (slice_util.isSliceContinous(x.shape, begin, size)) {
    const offset = slice_util.computeFlatOffset(begin, util.computeStrides(x.shape));
    target.set(values.subarray(offset, offset + util.sizeFromShape(size)));
  } else {
    copyBox(values, x.shape, begin, size, target);
  }
  return out;
}

function slice(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return runStock(Slice, args);
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin as number | number[], attrs.size as number | number[]);
  return sliceOf(backend, x, begin, size);
}

function splitV(args: KernelArgs<{ x: TensorInfo }>): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string') {
    throw new Error('SplitV of string tensors is not supported on the wasm backend.');
  }
  const axis = util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits as number | number[], axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const part = sliceOf(backend, x, [...begin], size);
    begin[axis] += s;
    return part;
  });
}

/** Runs shorter than this are copied value by value: a subarray per run would cost more than the copy. */
const SHORT_RUN = 16;

/**
 * Reverse along `dims`: the axes after the last reversed one are taken whole, so each index of the
 * axes up to it names one contiguous run, copied from the mirrored index.
 */
function reverse(args: KernelArgs<{ x: TensorInfo }>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return runStock(Reverse, args);
  const shape = x.shape;
  const axes = util.parseAxisParam(attrs.dims as number | number[], shape);
  if (axes.length === 0 || shape.length === 0) return share(backend, x);
  const last = Math.max(...axes);
  const run = util.sizeFromShape(shape.slice(last + 1));
  const outer = shape.slice(0, last + 1);
  const count = util.sizeFromShape(outer);
  const out = backend.makeOutput([...shape], x.dtype);
  if (count * run === 0) return out;
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm memory.
  const source = backend.typedArrayFromHeap(x) as NumericArray;
  const target = backend.typedArrayFromHeap(out) as NumericArray;
  const strides = util.computeStrides(outer).concat(1).map((stride) => stride * run);
  const reversed = outer.map((_, axis) => axes.includes(axis));
  const index = new Array<number>(outer.length).fill(0);
  // `from` is the source offset of the run written at `to`; it moves by the axis' stride, backwards on a reversed axis.
  let from = 0;
  for (let axis = 0; axis < outer.length; axis++) if (reversed[axis]) from += (outer[axis] - 1) * strides[axis];
  for (let to = 0; to < count * run; to += run) {
    if (run < SHORT_RUN) {
      for (let k = 0; k < run; k++) target[to + k] = source[from + k];
    } else {
      target.set(source.subarray(from, from + run), to);
    }
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      const step = reversed[axis] ? -strides[axis] : strides[axis];
      if (++index[axis] < outer[axis]) {
        from += step;
        break;
      }
      index[axis] = 0;
      from -= step * (outer[axis] - 1);
    }
  }
  return out;
}

/** Kernels that replace stock wasm ones. */
export const copyKernels = [
  kernelConfig(Identity, identity),
  kernelConfig(Cast, cast),
  kernelConfig(Slice, slice),
  kernelConfig(SplitV, splitV),
  kernelConfig(Reverse, reverse),
];
