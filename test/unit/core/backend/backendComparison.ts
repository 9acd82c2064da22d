// Runs the same computation on the cpu reference backend and on wasm (with our kernels) and
// measures how far apart the results are.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';

/** Largest relative error our wasm kernels may have against the cpu reference. */
export const TOLERANCE = 1e-4;

export type Shape4 = [number, number, number, number];

/** A tensor of seeded values in [-1, 1). */
export function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(sizeOf(shape), seed), shape);
}

/** Runs one kernel by name on the active backend, as the engine would for an op. */
export function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** Deterministic values in [-1, 1) from a seed (an LCG: enough for test inputs). */
export function seededValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Small integers 0..levels-1, so that pooling windows hold ties. */
export function seededLevels(count: number, seed: number, levels: number): Float32Array {
  return seededValues(count, seed).map((v) => Math.floor((v + 1) / 2 * levels));
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** max |a - b| / max |a|: the error of `b` relative to the reference `a`'s scale. */
export function relativeError(reference: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (reference.length !== actual.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(reference[i] - actual[i]));
    maxRef = Math.max(maxRef, Math.abs(reference[i]));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

export interface BothResults {
  cpu: Float32Array[];
  wasm: Float32Array[];
  cpuShapes: number[][];
  wasmShapes: number[][];
}

/**
 * Runs `compute` on cpu, then on wasm, reading back every output. Tensors it makes are disposed;
 * the active backend is wasm afterwards.
 */
export async function onCpuAndWasm(compute: () => tf.Tensor | tf.Tensor[]): Promise<BothResults> {
  const read = (): { values: Float32Array[]; shapes: number[][] } => {
    const outputs = tf.tidy(compute);
    const list = Array.isArray(outputs) ? outputs : [outputs];
    const result = { values: list.map((t) => Float32Array.from(t.dataSync())), shapes: list.map((t) => t.shape) };
    tf.dispose(list);
    return result;
  };
  await initBackend('cpu');
  const cpu = read();
  await initBackend('wasm');
  const wasm = read();
  return { cpu: cpu.values, wasm: wasm.values, cpuShapes: cpu.shapes, wasmShapes: wasm.shapes };
}

/** Largest relative error over all outputs (Infinity when the shapes differ). */
export function worstError(results: BothResults): number {
  if (JSON.stringify(results.cpuShapes) !== JSON.stringify(results.wasmShapes)) return Infinity;
  return Math.max(...results.cpu.map((ref, i) => relativeError(ref, results.wasm[i])));
}
