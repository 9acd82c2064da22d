// How far this machine's cores scale for our training steps, with nothing shared between threads: N
// worker threads each train their own copy of a model on their own 1/N share of a batch, with no
// gradient exchange and no barrier. The aggregate images/s of N such threads over one thread's is the
// ceiling the replica threads (which add the exchange and one barrier per step) can reach here; what
// separates the two is the cost of working together, what separates the ceiling from N is the
// machine (shared caches and memory bandwidth, or virtual cores that are not whole cores).
//
//   node --import tsx bench/coreCeiling.ts [--model cnn|rnn|attention|resnet] [--batch 64] [--seconds 15] [--threads 1,2]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/core/backend/selectBackend';
import { createModel } from '../src/core/models/createModel';
import { defaultModelSpec } from '../src/core/models/defaultModelSpecs';
import { createOptimizer } from '../src/core/train/createOptimizer';
import { LocalReplica } from '../src/core/train/localReplica';
import { defaultTrainingSpec } from '../src/core/runSpecDefaults';
import { MODEL_KINDS, type ImageShape, type ModelKind } from '../src/core/runSpec';
import { findWorkerScript } from '../src/core/workers/findWorkerScript';

const SHAPE: ImageShape = [32, 32, 3];
const CLASSES = 10;

interface Job {
  model: ModelKind;
  shard: number;
  seconds: number;
}

/** One thread: trains on its shard until the time is up; replies with the images it trained and the time. */
async function trainAlone(job: Job): Promise<{ images: number; seconds: number }> {
  await initBackend('wasm');
  const model = createModel(defaultModelSpec(job.model), SHAPE, CLASSES);
  model.compile({ optimizer: createOptimizer(defaultTrainingSpec()), loss: 'categoricalCrossentropy' });
  const replica = new LocalReplica(model, SHAPE, CLASSES, defaultTrainingSpec());
  const inputs = Float32Array.from({ length: job.shard * SHAPE[0] * SHAPE[1] * SHAPE[2] }, (_, i) => ((i * 7919) % 255) / 255);
  const labels = Int32Array.from({ length: job.shard }, (_, i) => i % CLASSES);
  const step = { learningRate: 1e-3, epoch: 1 };
  for (let i = 0; i < 3; i++) await replica.trainStep(inputs, labels, step); // warm-up
  const start = performance.now();
  let images = 0;
  while (performance.now() - start < job.seconds * 1000) {
    await replica.trainStep(inputs, labels, step);
    images += job.shard;
  }
  const seconds = (performance.now() - start) / 1000;
  model.optimizer?.dispose();
  model.dispose();
  tf.disposeVariables();
  return { images, seconds };
}

async function measure(model: ModelKind, batch: number, threads: number, seconds: number): Promise<number> {
  const shard = Math.max(1, Math.round(batch / threads));
  const results = await Promise.all(Array.from({ length: threads }, () => new Promise<{ images: number; seconds: number }>((resolve, reject) => {
    const entry = findWorkerScript(__dirname, 'coreCeiling');
    if (!entry) throw new Error('tsx is needed to start the bench threads');
    const worker = new Worker(entry.script, { eval: entry.eval, workerData: { model, shard, seconds } satisfies Job });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  return results.reduce((sum, r) => sum + r.images / r.seconds, 0);
}

async function main(): Promise<void> {
  const value = (name: string, fallback: string): string => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
  };
  const model = value('model', 'cnn') as ModelKind;
  if (!MODEL_KINDS.includes(model)) throw new Error(`--model must be one of ${MODEL_KINDS.join(', ')} (got ${model}).`);
  const batch = Number(value('batch', '64'));
  const seconds = Number(value('seconds', '15'));
  const counts = value('threads', Array.from({ length: cpus().length }, (_, i) => i + 1).join(',')).split(',').map(Number);
  console.log(`${model}, batch ${batch} split over N independent threads (no exchange, no barrier), ${seconds} s each, ${cpus().length} cores`);
  let one: number | undefined;
  for (const threads of counts) {
    const imagesPerSecond = await measure(model, batch, threads, seconds);
    one ??= threads === 1 ? imagesPerSecond : undefined;
    const speedUp = one ? ` ${(imagesPerSecond / one).toFixed(2)}x one thread` : '';
    console.log(`  ${threads} thread(s), ${Math.round(batch / threads)} images each: ${imagesPerSecond.toFixed(0)} img/s${speedUp}`);
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  trainAlone(workerData as Job).then((result) => parentPort?.postMessage(result), (error: unknown) => {
    throw error;
  });
}
