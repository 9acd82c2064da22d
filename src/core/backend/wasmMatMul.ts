// Matrix products for the wasm backend. The stock wasm matmul is fast (XNNPACK) only for one
// untransposed matrix product: with transposeA/transposeB (every matmul gradient) or a batch of
// several matrices (attention) it runs a scalar loop, ~8x slower. Here the transposes are done
// explicitly first (weights' transposes are kept while the weights live), and batches run as one
// XNNPACK product per item on views of the operands. The stock _FusedMatMul also adds the bias
// wrongly when the batch is larger than one, so batched fused products run as matmul, add, activation.
import {
  Add,
  BatchMatMul,
  Elu,
  LeakyRelu,
  Prelu,
  Relu,
  Relu6,
  Sigmoid,
  _FusedMatMul,
  broadcast_util,
  util,
  type DataId,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { kernelConfig, runStock, withScope, type KernelArgs } from './wasmKernelScope';
import { TensorViews } from './wasmTensorViews';


/**
 * The stock wasm matmul is fast (XNNPACK) only for one untransposed matrix product, and about 8x
 * slower with transposeA/transposeB, which every matmul gradient uses. When the product is a
 * single matrix product (or a batch of rows times one shared matrix), the transposes are done
 * explicitly first and the fast path runs. The stock _FusedMatMul also adds the bias wrongly when
 * the batch is larger than one, so batched fused products run as matmul, add, activation.
 */
function matMul(
  kernelName: typeof BatchMatMul | typeof _FusedMatMul,
  args: KernelArgs<Record<string, TensorInfo>>,
): TensorInfo {
  const { inputs, attrs } = args;
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return runStock(kernelName, args);
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const hasPrelu = inputs.preluActivationWeights !== undefined;
  // Rows of a batch of `a` all times one `b`: one [batchA*rows, k] x [k, cols] product.
  const foldable = batchB === 1 && !hasPrelu && (transposeA ? batchA === 1 : true);
  if (foldable && (batchA > 1 || transposeA || transposeB)) {
    return singleProduct(kernelName, args, batchA, transposeA, transposeB);
  }
  if (kernelName === _FusedMatMul && Math.max(batchA, batchB) > 1) return unfusedMatMul(args);
  if (kernelName === BatchMatMul && Math.max(batchA, batchB) > 1 && batchedByItem(a, b)) {
    return batchedProducts(args, transposeA, transposeB);
  }
  return runStock(kernelName, args);
}

/** The batch dims broadcast item by item: equal, or one side a single matrix. No empty operand. */
function batchedByItem(a: TensorInfo, b: TensorInfo): boolean {
  if (util.sizeFromShape(a.shape) === 0 || util.sizeFromShape(b.shape) === 0) return false;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = util.sizeFromShape(outer);
  const fits = (dims: number[]): boolean => util.sizeFromShape(dims) === 1 || util.arraysEqual(dims, outer)
    || (util.sizeFromShape(dims) === batch && dims.length < outer.length && util.arraysEqual(dims, outer.slice(-dims.length)));
  return fits(outerA) && fits(outerB);
}

type WasmBatchMatMul = (
  aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number,
  transposeA: boolean, transposeB: boolean, outId: number,
) => void;

const wasmBatchMatMuls = new WeakMap<BackendWasm, WasmBatchMatMul>();

function wasmBatchMatMul(backend: BackendWasm): WasmBatchMatMul {
  let run = wasmBatchMatMuls.get(backend);
  if (run === undefined) {
    const module = backend.wasm as unknown as { cwrap(name: string, returns: null, args: string[]): unknown };
    run = module.cwrap(BatchMatMul, null, [
      'number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number',
    ]) as WasmBatchMatMul;
    wasmBatchMatMuls.set(backend, run);
  }
  return run;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/**
 * A batch of matrix products (attention's q k^T and weights v, and their gradients), one XNNPACK
 * product per item on views of the operands, after at most one transpose of each operand. The
 * stock kernel runs any batch larger than one as a scalar loop, ~10x slower.
 */
function batchedProducts(args: KernelArgs<Record<string, TensorInfo>>, transposeA: boolean, transposeB: boolean): TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = util.sizeFromShape(outer);
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const rows = transposeA ? aCols : aRows;
  const inner = transposeA ? aRows : aCols;
  const cols = transposeB ? bRows : bCols;
  return withScope(backend, (scope) => {
    const a3 = scope.reshape(a, [batchA, aRows, aCols]);
    const b3 = scope.reshape(b, [batchB, bRows, bCols]);
    const left = transposeA ? scope.transpose(a3, [0, 2, 1]) : a3; // [batchA, rows, inner]
    const right = transposeB ? scope.transpose(b3, [0, 2, 1]) : b3; // [batchB, inner, cols]
    const out = scope.output([...outer, rows, cols]);
    const run = wasmBatchMatMul(backend);
    const leftShape = shapeBytes([1, rows, inner]);
    const rightShape = shapeBytes([1, inner, cols]);
    const views = new TensorViews(backend);
    try {
      // One view of a shared operand serves every item, so XNNPACK packs shared weights once.
      const sharedRight = batchB === 1 ? views.floats(right, 0, inner * cols) : 0;
      const sharedLeft = batchA === 1 ? views.floats(left, 0, rows * inner) : 0;
      for (let i = 0; i < batch; i++) {
        const leftId = batchA === 1 ? sharedLeft : views.floats(left, i * rows * inner, rows * inner);
        const rightId = batchB === 1 ? sharedRight : views.floats(right, i * inner * cols, inner * cols);
        run(leftId, leftShape, 3, rightId, rightShape, 3, false, false, views.floats(out, i * rows * cols, rows * cols));
      }
    } finally {
      views.release();
    }
    return out;
  });
}

function singleProduct(
  kernelName: typeof BatchMatMul | typeof _FusedMatMul,
  args: KernelArgs<Record<string, TensorInfo>>,
  batchA: number,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const rows = transposeA ? aCols : aRows;
  const cols = transposeB ? bRows : bCols;
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), rows, cols];
  return withScope(backend, (scope) => {
    // Rank 3 with a batch of one: _FusedMatMul reads its operands' shapes as [batch, rows, cols].
    const a3 = scope.reshape(a, [1, batchA * aRows, aCols]);
    const b3 = scope.reshape(b, [1, bRows, bCols]);
    const left = transposeA ? scope.transpose(a3, [0, 2, 1]) : a3;
    const right = transposeB ? transposedWeights(backend, b, [bRows, bCols]) : b3;
    const product = scope.track(runStock(kernelName, {
      inputs: { ...inputs, a: left, b: right },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }));
    return scope.reshape(product, outShape);
  });
}

/** A kept transpose of a matrix that is still alive (the one whose data it copies). */
interface KeptTranspose {
  source: DataId;
  rows: number;
  cols: number;
  transposed: TensorInfo;
}

/** Transposes kept for reuse, newest last: few weights are in play at once. */
const keptTransposes: KeptTranspose[] = [];
const KEPT_TRANSPOSES = 4;

/**
 * b [rows, cols] transposed to [1, cols, rows], kept for as long as b lives. The gradient of a
 * product with weights multiplies by the transposed weights, and a recurrent layer does so at
 * every time step with the same weights: transposing them once (and reusing the same buffer, so
 * that XNNPACK reuses the operator it packed them into) halves the cost of those products.
 * Kept copies are released once their matrix is gone, or when newer ones push them out.
 */
function transposedWeights(backend: BackendWasm, b: TensorInfo, [rows, cols]: number[]): TensorInfo {
  const dataMap = (backend as unknown as { dataIdMap: { has(dataId: DataId): boolean } }).dataIdMap;
  for (let i = keptTransposes.length - 1; i >= 0; i--) {
    const kept = keptTransposes[i];
    if (!dataMap.has(kept.source) || !dataMap.has(kept.transposed.dataId)) {
      keptTransposes.splice(i, 1);
      if (dataMap.has(kept.transposed.dataId)) backend.disposeData(kept.transposed.dataId);
    } else if (kept.source === b.dataId && kept.rows === rows && kept.cols === cols) {
      return kept.transposed;
    }
  }
  const transposed = withScope(backend, (scope) => scope.transpose(scope.reshape(b, [1, rows, cols]), [0, 2, 1]));
  keptTransposes.push({ source: b.dataId, rows, cols, transposed });
  if (keptTransposes.length > KEPT_TRANSPOSES) backend.disposeData(keptTransposes.shift()!.transposed.dataId);
  return transposed;
}

/** matmul, then + bias, then the activation, each as its own wasm kernel. */
function unfusedMatMul(args: KernelArgs<Record<string, TensorInfo>>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b, bias, preluActivationWeights } = inputs;
  return withScope(backend, (scope) => {
    let out = scope.run(BatchMatMul, { a, b }, { transposeA: attrs.transposeA, transposeB: attrs.transposeB });
    if (bias !== undefined) out = scope.run(Add, { a: out, b: bias });
    switch (attrs.activation as string | undefined) {
      case undefined:
      case 'linear':
        return out;
      case 'relu':
        return scope.run(Relu, { x: out });
      case 'relu6':
        return scope.run(Relu6, { x: out });
      case 'elu':
        return scope.run(Elu, { x: out });
      case 'sigmoid':
        return scope.run(Sigmoid, { x: out });
      case 'leakyrelu':
        return scope.run(LeakyRelu, { x: out }, { alpha: attrs.leakyreluAlpha ?? 0.2 });
      case 'prelu':
        return scope.run(Prelu, { x: out, alpha: preluActivationWeights });
      default:
        throw new Error(`_FusedMatMul on wasm: unknown activation '${String(attrs.activation)}'.`);
    }
  });
}

/** Kernels that replace stock wasm ones. */
export const matMulKernels = [
  kernelConfig(BatchMatMul, (args: KernelArgs<Record<string, TensorInfo>>) => matMul(BatchMatMul, args)),
  kernelConfig(_FusedMatMul, (args: KernelArgs<Record<string, TensorInfo>>) => matMul(_FusedMatMul, args)),
];
