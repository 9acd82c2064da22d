// Per-thread training and inference throughput of one of the product's default models on one
// backend, with an optional per-kernel profile of a training step. Not a test: numbers depend on
// the machine and its load, so compare runs made side by side. Besides wall-clock img/s it prints
// img/s per CPU second of this process, which stays meaningful when other processes share the
// cores; the profile is in CPU time for the same reason.
//
//   node --import tsx bench/backendKernels.ts [--model cnn|rnn|attention] [--backend wasm|cpu|native|auto]
//        [--batch 64,32] [--steps 20] [--profile]
//
// The step is the trainer's: the model from createModel(defaultModelSpec(kind)) on 32x32x3 images
// and 10 classes, cross-entropy on its softmax output, Adam 1e-3. Batch 32 is the share of one
// worker when two split a batch of 64.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendPreference } from '../src/core/backend/selectBackend';
import { createModel } from '../src/core/models/createModel';
import { defaultModelSpec } from '../src/core/models/defaultModelSpecs';
import { MODEL_KINDS, type ModelKind } from '../src/core/runSpec';
import { createLoss } from '../src/core/train/losses';

const IMAGE: [number, number, number] = [32, 32, 3];
const CLASSES = 10;
const INFER_BATCH = 256;

interface Options {
  model: ModelKind;
  backend: BackendPreference;
  steps: number;
  batches: number[];
  profile: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: string): string => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && index + 1 < argv.length ? argv[index + 1] : fallback;
  };
  const model = value('model', 'cnn') as ModelKind;
  if (!MODEL_KINDS.includes(model)) throw new Error(`--model must be one of ${MODEL_KINDS.join(', ')} (got ${model}).`);
  const batches = value('batch', '64,32').split(',').map(Number);
  if (batches.some((b) => !Number.isInteger(b) || b < 1)) throw new Error('--batch takes positive whole numbers, e.g. 64,32.');
  return {
    model,
    backend: value('backend', 'wasm') as BackendPreference,
    steps: Number(value('steps', '20')),
    batches,
    profile: argv.includes('--profile'),
  };
}

interface Step {
  run(): number;
  dispose(): void;
}

function trainingStep(model: tfl.LayersModel, optimizer: tf.Optimizer, batch: number): Step {
  const loss = createLoss('crossentropy');
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const xs = tf.randomUniform([batch, ...IMAGE]);
  const ys = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch], 0, CLASSES, 'int32') as tf.Tensor1D, CLASSES), 'float32') as tf.Tensor2D);
  return {
    run(): number {
      const value = optimizer.minimize(() => loss(ys, model.apply(xs, { training: true }) as tf.Tensor2D), true, variables);
      const result = value === null ? NaN : value.dataSync()[0];
      value?.dispose();
      return result;
    },
    dispose(): void {
      tf.dispose([xs, ys]);
    },
  };
}

function measureTraining(model: tfl.LayersModel, optimizer: tf.Optimizer, batch: number, steps: number): Step {
  const step = trainingStep(model, optimizer, batch);
  for (let i = 0; i < 3; i++) step.run(); // warm-up: operator caches, allocations
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  let loss = NaN;
  const cpuStart = cpuMs();
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    loss = step.run();
    times.push(performance.now() - start);
  }
  const cpuPerStep = (cpuMs() - cpuStart) / steps;
  const seconds = times.reduce((a, b) => a + b, 0) / 1000;
  const median = [...times].sort((a, b) => a - b)[Math.floor(steps / 2)];
  const leaked = tf.memory().numTensors - tensorsBefore;
  // The median step resists the bursts of a shared machine; the mean is what a run would see.
  console.log(`train batch ${String(batch).padStart(3)}: ${(steps * batch / seconds).toFixed(0).padStart(5)} img/s ` +
    `(${(1000 * seconds / steps).toFixed(1)} ms/step; median step ${(1000 * batch / median).toFixed(0)} img/s; ` +
    `per CPU second ${(1000 * batch / cpuPerStep).toFixed(0)} img/s; ${steps} steps, last loss ${loss.toFixed(3)}, tensors leaked ${leaked})`);
  return step;
}

function measureInference(model: tfl.LayersModel, steps: number): void {
  const images = tf.randomUniform([INFER_BATCH, ...IMAGE]);
  const predict = (): void => tf.tidy(() => {
    (model.predict(images) as tf.Tensor).dataSync();
  });
  for (let i = 0; i < 2; i++) predict();
  const rounds = Math.max(4, Math.round(steps / 2));
  const cpuStart = cpuMs();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) predict();
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuMs() - cpuStart;
  console.log(`inference:       ${(rounds * INFER_BATCH / seconds).toFixed(0).padStart(5)} img/s ` +
    `(per CPU second ${(rounds * INFER_BATCH * 1000 / cpu).toFixed(0)} img/s; batches of ${INFER_BATCH})`);
  images.dispose();
}

/** CPU time of this process in ms: unlike wall time, it does not grow when other processes share the cores. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface KernelTotals {
  cpuMs: number;
  wallMs: number;
  calls: number;
}

/**
 * Wraps every kernel registered for `backendName` to add its CPU and wall time to `totals`.
 * Kernels that call other kernels through the registry count once, at the outermost call.
 */
function instrumentKernels(backendName: string, totals: Map<string, KernelTotals>): () => void {
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const kernel of originals) {
    const run = kernel.kernelFunc;
    tf.unregisterKernel(kernel.kernelName, backendName);
    tf.registerKernel({
      ...kernel,
      kernelFunc: (args) => {
        if (depth > 0) return run(args);
        depth++;
        const cpuStart = cpuMs();
        const wallStart = performance.now();
        try {
          return run(args);
        } finally {
          depth--;
          const entry = totals.get(kernel.kernelName) ?? { cpuMs: 0, wallMs: 0, calls: 0 };
          entry.cpuMs += cpuMs() - cpuStart;
          entry.wallMs += performance.now() - wallStart;
          entry.calls++;
          totals.set(kernel.kernelName, entry);
        }
      },
    });
  }
  return () => {
    for (const kernel of originals) {
      tf.unregisterKernel(kernel.kernelName, backendName);
      tf.registerKernel(kernel);
    }
  };
}

/** CPU time per kernel over a few training steps, largest first, as the share of one step. */
function profileSteps(step: Step, batch: number, backendName: string, steps: number): void {
  const totals = new Map<string, KernelTotals>();
  const restore = instrumentKernels(backendName, totals);
  const cpuStart = cpuMs();
  const wallStart = performance.now();
  try {
    for (let i = 0; i < steps; i++) step.run();
  } finally {
    restore();
  }
  const stepCpu = (cpuMs() - cpuStart) / steps;
  const stepWall = (performance.now() - wallStart) / steps;
  const kernels = [...totals.entries()].map(([name, t]) => ({ name, cpu: t.cpuMs / steps, wall: t.wallMs / steps, calls: t.calls / steps }));
  const kernelCpu = kernels.reduce((sum, k) => sum + k.cpu, 0);
  console.log(`\nbatch ${batch}, per step (mean of ${steps}): ${stepCpu.toFixed(1)} ms CPU (${stepWall.toFixed(1)} ms wall), ` +
    `${kernelCpu.toFixed(1)} ms CPU in ${kernels.reduce((sum, k) => sum + k.calls, 0)} kernel calls, ` +
    `${(stepCpu - kernelCpu).toFixed(1)} ms outside kernels`);
  console.log(`  ${'kernel'.padEnd(28)} ${'cpu ms'.padStart(8)} ${'calls'.padStart(6)} ${'share'.padStart(6)}`);
  for (const k of kernels.sort((a, b) => b.cpu - a.cpu).slice(0, 18)) {
    console.log(`  ${k.name.padEnd(28)} ${k.cpu.toFixed(2).padStart(8)} ${String(k.calls).padStart(6)} ${(100 * k.cpu / stepCpu).toFixed(1).padStart(5)}%`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const backend = await initBackend(options.backend);
  console.log(`backend: ${backend.description}${backend.fallbackReason ? ` (native: ${backend.fallbackReason})` : ''}`);
  const model = createModel(defaultModelSpec(options.model), IMAGE, CLASSES);
  console.log(`model: ${options.model} (${model.countParams()} parameters), Adam 1e-3, ${IMAGE.join('x')} images`);
  const optimizer = tf.train.adam(1e-3);

  const steps: Array<{ batch: number; step: Step }> = [];
  for (const batch of options.batches) steps.push({ batch, step: measureTraining(model, optimizer, batch, options.steps) });
  measureInference(model, options.steps);
  if (options.profile) {
    for (const { batch, step } of steps) profileSteps(step, batch, backend.name, Math.max(1, Math.round(options.steps / 4)));
  }
  for (const { step } of steps) step.dispose();
  optimizer.dispose();
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
