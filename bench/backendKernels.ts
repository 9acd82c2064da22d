// Training and inference throughput of the reference CNN on one backend, with an optional
// per-kernel profile of a training step. Not a test: numbers depend on the machine and its load.
//
//   node --import tsx bench/backendKernels.ts [--backend wasm|cpu|native|auto] [--steps 20]
//        [--batch 64] [--profile]
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendPreference } from '../src/core/backend/selectBackend';

interface Options {
  backend: BackendPreference;
  steps: number;
  batch: number;
  profile: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: string): string => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && index + 1 < argv.length ? argv[index + 1] : fallback;
  };
  return {
    backend: value('backend', 'wasm') as BackendPreference,
    steps: Number(value('steps', '20')),
    batch: Number(value('batch', '64')),
    profile: argv.includes('--profile'),
  };
}

/** Conv32(3x3,relu)-MaxPool-Conv64-MaxPool-Conv64-Flatten-Dense64-Dense10 on 32x32x3 (122,570 weights). */
function referenceCnn(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 64, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

function trainStep(model: tfl.Sequential, optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor): number {
  const loss = optimizer.minimize(() => {
    const logits = model.apply(xs, { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
  }, true);
  const value = loss === null ? NaN : loss.dataSync()[0];
  loss?.dispose();
  return value;
}

async function profileStep(model: tfl.Sequential, optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
  const info = await tf.profile(() => {
    trainStep(model, optimizer, xs, ys);
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const kernel of info.kernels) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(kernel.kernelTimeMs);
    entry.calls += 1;
    byKernel.set(kernel.name, entry);
  }
  const total = [...byKernel.values()].reduce((sum, e) => sum + e.ms, 0);
  console.log(`\nkernel time in one training step: ${total.toFixed(1)} ms over ${info.kernels.length} kernel calls`);
  for (const [name, e] of [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
    console.log(`  ${name.padEnd(28)} ${e.ms.toFixed(2).padStart(8)} ms  ${String(e.calls).padStart(4)} calls  ${(100 * e.ms / total).toFixed(1)}%`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const backend = await initBackend(options.backend);
  console.log(`backend: ${backend.description}${backend.fallbackReason ? ` (native: ${backend.fallbackReason})` : ''}`);

  const model = referenceCnn();
  const optimizer = tf.train.adam(1e-3);
  const xs = tf.randomUniform([options.batch, 32, 32, 3]);
  const ys = tf.oneHot(tf.randomUniform([options.batch], 0, 10, 'int32') as tf.Tensor1D, 10);

  for (let i = 0; i < 3; i++) trainStep(model, optimizer, xs, ys); // warm-up: operator caches, allocations
  const tensorsBefore = tf.memory().numTensors;
  const trainStart = performance.now();
  let loss = NaN;
  for (let i = 0; i < options.steps; i++) loss = trainStep(model, optimizer, xs, ys);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const leaked = tf.memory().numTensors - tensorsBefore;
  console.log(`train: ${(options.steps * options.batch / trainSeconds).toFixed(0)} img/s ` +
    `(${options.steps} steps of ${options.batch}, ${(1000 * trainSeconds / options.steps).toFixed(1)} ms/step, ` +
    `last loss ${loss.toFixed(3)}, tensors leaked ${leaked})`);

  const inferBatch = 256;
  const images = tf.randomUniform([inferBatch, 32, 32, 3]);
  for (let i = 0; i < 2; i++) tf.tidy(() => (model.predict(images) as tf.Tensor).dataSync());
  const inferRounds = Math.max(4, Math.round(options.steps / 2));
  const inferStart = performance.now();
  for (let i = 0; i < inferRounds; i++) tf.tidy(() => (model.predict(images) as tf.Tensor).dataSync());
  const inferSeconds = (performance.now() - inferStart) / 1000;
  console.log(`inference: ${(inferRounds * inferBatch / inferSeconds).toFixed(0)} img/s (batches of ${inferBatch})`);

  if (options.profile) await profileStep(model, optimizer, xs, ys);
  tf.dispose([xs, ys, images]);
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
