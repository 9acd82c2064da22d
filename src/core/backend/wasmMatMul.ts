// Matrix products for the wasm backend. The stock wasm matmul is fast (XNNPACK) only for one
// untransposed matrix product, and about 8x slower with transposeA/transposeB, which every
// matmul gradient uses. The stock _FusedMatMul also adds the bias wrongly when the batch is
// larger than one.
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
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelConfig, runStock, withScope, type KernelArgs } from './wasmKernelScope';


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
  return runStock(kernelName, args);
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
    const right = transposeB ? scope.transpose(b3, [0, 2, 1]) : b3;
    const product = scope.track(runStock(kernelName, {
      inputs: { ...inputs, a: left, b: right },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }));
    return scope.reshape(product, outShape);
  });
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
