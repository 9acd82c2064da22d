// `npm run bench`: training and inference images/s of the four default models on 32x32x3 at batch 64,
// image decode + resize throughput, memory, and the PyTorch peer on the same CPU when it is installed.
// A benchmark, not a test: it prints numbers (and writes bench/results/latest.json), it asserts nothing.
//
//   node --import tsx bench/bench.ts [--models cnn,rnn,attention,resnet] [--quick] [--no-peer]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/core/backend/selectBackend';
import { InMemorySource } from '../src/core/data/inMemorySource';
import { noAugmentation } from '../src/core/data/augment';
import { createModel } from '../src/core/models/createModel';
import { defaultModelSpec } from '../src/core/models/defaultModelSpecs';
import type { ImageShape, ModelKind } from '../src/core/runSpec';
import { defaultTrainingSpec } from '../src/core/runSpecDefaults';
import { createOptimizer } from '../src/core/train/createOptimizer';
import { trainModel } from '../src/core/train/trainModel';
import { makeShapesDataset } from '../test/fixtures/syntheticImages';
import { benchDecode } from './benchDecode';

const SHAPE: ImageShape = [32, 32, 3];
const BATCH = 64;
const CLASSES = 10;
/** Targets on the project's 2-core machines (issue: training engine). */
const TARGETS: Record<ModelKind, { train?: number; infer?: number }> = {
  cnn: { train: 400, infer: 2000 },
  rnn: {},
  attention: { train: 150 },
  resnet: {},
};

interface ModelResult {
  model: ModelKind;
  parameters: number;
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const modelsArg = args.find((a, i) => args[i - 1] === '--models');
const kinds = (modelsArg ? modelsArg.split(',') : ['cnn', 'rnn', 'attention', 'resnet']) as ModelKind[];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function benchModel(kind: ModelKind): Promise<ModelResult> {
  const batches = quick ? 4 : { cnn: 24, rnn: 8, attention: 12, resnet: 6 }[kind];
  const data = makeShapesDataset(batches * BATCH, SHAPE[0], 1);
  // Ten classes as in CIFAR-10: the shapes' labels spread over 10 class slots.
  const labels = Int32Array.from(data.labels, (label, i) => (label + 4 * (i % 2)) % CLASSES);
  const source = InMemorySource.create({ pixels: data.pixels, labels, shape: SHAPE, sourceOf: (i) => `#${i}` });
  const model = createModel(defaultModelSpec(kind), SHAPE, CLASSES);
  const training = { ...defaultTrainingSpec(), epochs: 2, batchSize: BATCH };
  model.compile({ optimizer: createOptimizer(training), loss: 'categoricalCrossentropy' });
  const epochSpeeds: number[] = [];
  // Epoch 1 warms up (kernel compilation, allocation); epoch 2 is measured, through the real training loop.
  await trainModel({
    model, classes: Array.from({ length: CLASSES }, (_, i) => String(i)), imageShape: SHAPE, train: source, val: null,
    training, augment: noAugmentation(),
    emit: (event) => {
      if (event.type === 'epochEnd') epochSpeeds.push(event.imagesPerSecond);
    },
  });
  const x = tf.randomUniform([BATCH, ...SHAPE]);
  const timings: number[] = [];
  for (let i = 0; i < (quick ? 5 : 25); i++) {
    const start = performance.now();
    tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    timings.push(performance.now() - start);
  }
  x.dispose();
  const parameters = model.countParams();
  model.optimizer?.dispose();
  model.dispose();
  return {
    model: kind, parameters, trainImagesPerSecond: epochSpeeds.at(-1)!,
    inferImagesPerSecond: BATCH / (median(timings.slice(2)) / 1000),
  };
}

function runPeer(): { trainImagesPerSecond: number; inferImagesPerSecond: number } | string {
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'not installed (apt-get install python3-torch)';
  const result = spawnSync(python, [join(__dirname, 'peer_torch_cnn.py'), '--steps', quick ? '5' : '30'], { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) return `failed: ${result.stderr.trim().split('\n').at(-1)}`;
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { trainImagesPerSecond: number; inferImagesPerSecond: number };
}

function mark(value: number, target: number | undefined): string {
  if (target === undefined) return '';
  return value >= target ? `(target ${target}: met)` : `(target ${target}: MISSED)`;
}

async function main(): Promise<void> {
  const backend = await initBackend('auto');
  console.log(`Classifier Lab benchmark: backend ${backend.description}, node ${process.version}, batch ${BATCH}, 32x32x3, ${CLASSES} classes`);
  const results: ModelResult[] = [];
  for (const kind of kinds) {
    const result = await benchModel(kind);
    results.push(result);
    console.log(
      `${kind.padEnd(9)} ${result.parameters.toLocaleString('en').padStart(9)} params | `
      + `train ${result.trainImagesPerSecond.toFixed(0).padStart(5)} img/s ${mark(result.trainImagesPerSecond, TARGETS[kind].train)} | `
      + `infer ${result.inferImagesPerSecond.toFixed(0).padStart(5)} img/s ${mark(result.inferImagesPerSecond, TARGETS[kind].infer)}`,
    );
  }
  const decode = await benchDecode(quick);
  for (const row of decode) console.log(`decode+resize ${row.label.padEnd(22)} ${row.imagesPerSecond.toFixed(0).padStart(6)} img/s`);
  const memory = process.memoryUsage();
  console.log(`memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, tfjs ${(tf.memory().numBytes / 2 ** 20).toFixed(1)} MiB in ${tf.memory().numTensors} tensors after all models were disposed`);
  const peer = args.includes('--no-peer') ? 'skipped (--no-peer)' : runPeer();
  const cnn = results.find((r) => r.model === 'cnn');
  if (typeof peer === 'string') {
    console.log(`peer (PyTorch, same CNN, 2 threads): ${peer}`);
  } else {
    console.log(`peer (PyTorch, same CNN, 2 threads): train ${peer.trainImagesPerSecond.toFixed(0)} img/s, infer ${peer.inferImagesPerSecond.toFixed(0)} img/s`);
    if (cnn) {
      console.log(`ratio Classifier Lab / PyTorch: train ${(cnn.trainImagesPerSecond / peer.trainImagesPerSecond).toFixed(2)}, infer ${(cnn.inferImagesPerSecond / peer.inferImagesPerSecond).toFixed(2)}`);
    }
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), JSON.stringify({
    time: new Date().toISOString(), backend: backend.description, models: results, decode, peer, rssBytes: memory.rss,
  }, null, 2) + '\n');
}

void main();
