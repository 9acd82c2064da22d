// Views onto part of a wasm tensor's buffer, for the backend's wasm functions, which take tensor
// ids: one item of a batch can be handed to XNNPACK in place, without slicing it out first.
//
// A view is an id registered with the wasm side for a range of an existing buffer. It owns no
// memory: releasing it only unregisters the id (and lets the wasm side drop what it cached for
// it, such as an XNNPACK operator built on it as weights); the buffer stays with its tensor.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The parts of the wasm backend that views need, beyond its public typings. */
interface WasmInternals {
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  wasm: {
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
}

function internals(backend: BackendWasm): WasmInternals {
  return backend as unknown as WasmInternals;
}

/** The wasm-side id of a tensor, as the backend's wasm functions take it. */
export function tensorId(backend: BackendWasm, t: TensorInfo): number {
  return internals(backend).dataIdMap.get(t.dataId).id;
}

/** Views made for one kernel call, all released together. */
export class TensorViews {
  private readonly ids: number[] = [];

  constructor(private readonly backend: BackendWasm) {}

  /** An id for `size` floats of `t`'s buffer starting at float `offset`. */
  floats(t: TensorInfo, offset: number, size: number): number {
    const inner = internals(this.backend);
    const id = inner.dataIdNextNumber++;
    inner.wasm.tfjs.registerTensor(id, size, inner.dataIdMap.get(t.dataId).memoryOffset + 4 * offset);
    this.ids.push(id);
    return id;
  }

  /** Unregisters every view made so far. */
  release(): void {
    const { tfjs } = internals(this.backend).wasm;
    for (const id of this.ids) tfjs.disposeData(id);
    this.ids.length = 0;
  }
}
