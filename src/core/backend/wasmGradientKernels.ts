// Registers our kernels on the wasm backend: the ones it lacks for training (convolution and
// gather gradients) and faster versions of the ones it has (see each file for what and why):
//   wasmConvGradients.ts     Conv2DBackpropFilter/Input, depthwise gradients
//   wasmMatMul.ts            BatchMatMul, _FusedMatMul
//   wasmPoolingGradients.ts  MaxPoolGrad
//   wasmReductions.ts        Sum, UnsortedSegmentSum
//   wasmCopyKernels.ts       Identity, Cast, Slice, SplitV, Reverse
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { addedConvKernels, convKernels } from './wasmConvGradients';
import { copyKernels } from './wasmCopyKernels';
import { WASM, rememberStock } from './wasmKernelScope';
import { matMulKernels } from './wasmMatMul';
import { poolingKernels } from './wasmPoolingGradients';
import { addedReductionKernels, reductionKernels } from './wasmReductions';

/** Kernels the wasm backend does not have. */
const addedKernels: KernelConfig[] = [...addedConvKernels, ...addedReductionKernels];

/** Faster versions of kernels the wasm backend has. */
const replacedKernels: KernelConfig[] = [
  ...convKernels,
  ...matMulKernels,
  ...poolingKernels,
  ...reductionKernels,
  ...copyKernels,
];

function putKernel(kernel: KernelConfig): void {
  if (getKernel(kernel.kernelName, WASM) !== undefined) unregisterKernel(kernel.kernelName, WASM);
  registerKernel(kernel);
}

/**
 * Registers the missing gradient kernels on the wasm backend and replaces its slow ones.
 * Safe to call more than once, before or after the wasm backend is initialised.
 */
export function registerWasmGradientKernels(): void {
  if (getKernel(addedKernels[0].kernelName, WASM)?.kernelFunc === addedKernels[0].kernelFunc) return;
  for (const kernel of replacedKernels) {
    const stock = getKernel(kernel.kernelName, WASM);
    if (stock === undefined) continue; // nothing to replace: leave the name to the backend
    rememberStock(stock);
    // The stock kernel binds its wasm function in setupFunc, which the engine runs when the
    // backend is set; ours takes its place in the registry, so it forwards that call.
    putKernel({ ...kernel, setupFunc: stock.setupFunc, disposeFunc: stock.disposeFunc });
  }
  for (const kernel of addedKernels) putKernel(kernel);
}
