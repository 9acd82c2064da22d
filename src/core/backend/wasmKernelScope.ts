// Plumbing shared by our wasm kernels: calling other wasm kernels without making engine tensors,
// releasing every intermediate, and reaching the stock kernels that ours replace.
//
// Our kernels call other wasm kernels directly through the kernel registry (not through
// engine().runKernel), so intermediates never become engine tensors: each one is released with
// backend.disposeData() before the kernel returns, and the engine only sees the final output.
import '@tensorflow/tfjs-backend-wasm';
import {
  Reshape,
  Transpose,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM = 'wasm';

export type Shape4 = [number, number, number, number];
export type PadAttr = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
export type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;

export interface KernelArgs<Inputs = Record<string, TensorInfo>> {
  inputs: Inputs;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}

/**
 * Runs wasm kernels for one composite kernel and remembers every intermediate it made, so that
 * they are all released once the composite kernel has its result (or has thrown).
 */
export class KernelScope {
  private readonly intermediates: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(kernelName, WASM);
    if (config === undefined) {
      throw new Error(`Kernel '${kernelName}' is not registered for the wasm backend.`);
    }
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    const single = Array.isArray(out) ? out[0] : out;
    this.intermediates.push(single);
    return single;
  }

  /** Adopts a result made outside run() so that it is released with the rest. */
  track(t: TensorInfo): TensorInfo {
    this.intermediates.push(t);
    return t;
  }

  /** A new float32 buffer of `shape`, released with the rest (contents undefined). */
  output(shape: number[]): TensorInfo {
    return this.track(this.backend.makeOutput(shape, 'float32'));
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run(Reshape, { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run(Transpose, { x }, { perm });
  }

  /** Takes `result` out of the scope so that dispose() leaves it alive for the caller. */
  keep(result: TensorInfo): TensorInfo {
    const index = this.intermediates.indexOf(result);
    if (index >= 0) this.intermediates.splice(index, 1);
    return result;
  }

  dispose(): void {
    for (const t of this.intermediates) this.backend.disposeData(t.dataId);
    this.intermediates.length = 0;
  }
}

export function withScope(backend: BackendWasm, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

/**
 * A float32 view of a tensor's values on the wasm heap. Take views after the last allocation:
 * allocating may grow (and so detach) the wasm memory.
 */
export function heapFloats(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Stock wasm kernels that ours replace, kept to handle the cases ours hand back. */
const stockKernels = new Map<string, KernelConfig>();

export function rememberStock(kernel: KernelConfig): void {
  stockKernels.set(kernel.kernelName, kernel);
}

export function runStock<Inputs>(kernelName: string, args: KernelArgs<Inputs>): TensorInfo {
  const stock = stockKernels.get(kernelName);
  if (stock === undefined) throw new Error(`The wasm backend has no stock '${kernelName}' kernel.`);
  const out = stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]);
  return Array.isArray(out) ? out[0] : out;
}

export function kernelConfig<Inputs>(
  kernelName: string,
  kernelFunc: (args: KernelArgs<Inputs>) => TensorInfo | TensorInfo[],
): KernelConfig {
  return { kernelName, backendName: WASM, kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function assertChannelsLast(kernelName: string, dataFormat: unknown): void {
  if (dataFormat === 'NCHW') {
    throw new Error(`${kernelName} on the wasm backend supports only NHWC (channelsLast) data.`);
  }
}
