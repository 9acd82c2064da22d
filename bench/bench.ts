// `npm run bench`: training and inference images/s of the default models on 32x32x3 (training batch 64,
// inference batch 256) with 1 thread, the default thread count (every core) and more, the PyTorch twin
// of each model on the same CPU (Debian's python3-torch) with the ratios, scaling efficiency (measured
// up to this machine's cores, simulated beyond), image decode throughput and memory.
// A benchmark, not a test: it prints numbers (and writes bench/results/latest.json), it asserts nothing.
//
//   node --import tsx bench/bench.ts [--models cnn,rnn,attention] [--threads 1,2,4] [--simulate 4,8,16]
//        [--quick] [--peer | --no-peer] [--no-decode] [--json]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/core/backend/selectBackend';
import { noAugmentation } from '../src/core/data/augment';
import { InMemorySource } from '../src/core/data/inMemorySource';
import { createModel } from '../src/core/models/createModel';
import { defaultModelSpec } from '../src/core/models/defaultModelSpecs';
import type { ImageShape, ModelKind } from '../src/core/runSpec';
import { defaultTrainingSpec } from '../src/core/runSpecDefaults';
import { createOptimizer } from '../src/core/train/createOptimizer';
import { LocalReplica } from '../src/core/train/localReplica';
import { startReplicas } from '../src/core/train/startReplicas';
import { trainModel } from '../src/core/train/trainModel';
import { autoTrainingThreads } from '../src/core/train/trainingThreads';
import { makeShapesDataset } from '../test/fixtures/syntheticImages';
import { benchDecode } from './benchDecode';

const SHAPE: ImageShape = [32, 32, 3];
const BATCH = 64;
const INFER_BATCH = 256;
const CLASSES = 10;

interface Row {
  model: ModelKind;
  engine: 'classifier-lab' | 'pytorch';
  threads: number;
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
  default?: boolean;
  /** Estimated for a machine with `threads` cores (one shard timed on one core). */
  simulated?: boolean;
  parameters?: number;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((_, i) => args[i - 1] === `--${name}`);
const quick = flag('quick');
const json = flag('json');
const kinds = (option('models')?.split(',') ?? ['cnn', 'rnn', 'attention', 'resnet']) as ModelKind[];
const defaultThreads = autoTrainingThreads();
const threadCounts = option('threads')?.split(',').map(Number)
  ?? [...new Set([1, defaultThreads, 2 * defaultThreads])];
const simulated = option('simulate')?.split(',').map(Number) ?? (quick ? [] : [4, 8, 16].filter((n) => n > defaultThreads));

function log(line: string): void {
  if (!json) console.log(line);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function compiledModel(kind: ModelKind) {
  const model = createModel(defaultModelSpec(kind), SHAPE, CLASSES);
  model.compile({ optimizer: createOptimizer(defaultTrainingSpec()), loss: 'categoricalCrossentropy' });
  return model;
}

function benchData(batches: number) {
  const data = makeShapesDataset(batches * BATCH, SHAPE[0], 1);
  // Ten classes as in CIFAR-10: the shapes' labels spread over 10 class slots.
  const labels = Int32Array.from(data.labels, (label, i) => (label + 4 * (i % 2)) % CLASSES);
  return { pixels: data.pixels, labels };
}

/** Training images/s through the real training loop (epoch 1 warms up, epoch 2 is measured), and inference images/s. */
async function benchOurs(kind: ModelKind, threads: number): Promise<Row> {
  const batches = quick ? 6 : { cnn: 30, rnn: 16, attention: 12, resnet: 8 }[kind];
  const data = benchData(batches);
  const source = InMemorySource.create({ pixels: data.pixels, labels: data.labels, shape: SHAPE, sourceOf: (i) => `#${i}` });
  const model = compiledModel(kind);
  const training = { ...defaultTrainingSpec(), epochs: 2, batchSize: BATCH };
  const replicas = await startReplicas({ model, imageShape: SHAPE, classCount: CLASSES, training, threads, backend: 'wasm' });
  const epochSpeeds: number[] = [];
  try {
    await trainModel({
      model, classes: Array.from({ length: CLASSES }, (_, i) => String(i)), imageShape: SHAPE, train: source, val: null,
      training, augment: noAugmentation(), replicas,
      emit: (event) => {
        if (event.type === 'epochEnd') epochSpeeds.push(event.imagesPerSecond);
      },
    });
    const images = Float32Array.from(benchData(INFER_BATCH / BATCH).pixels, (v) => v / 255);
    const timings: number[] = [];
    for (let i = 0; i < (quick ? 5 : 14); i++) {
      const start = performance.now();
      await replicas.predict(images, INFER_BATCH);
      timings.push(performance.now() - start);
    }
    return {
      model: kind, engine: 'classifier-lab', threads: replicas.threads, parameters: model.countParams(),
      trainImagesPerSecond: epochSpeeds.at(-1)!, inferImagesPerSecond: INFER_BATCH / (median(timings.slice(2)) / 1000),
      ...(threads === defaultThreads ? { default: true } : {}),
    };
  } finally {
    await replicas.dispose();
    model.optimizer?.dispose();
    model.dispose();
  }
}

/**
 * What `cores` threads would give on a machine with that many cores: one thread's step on its shard
 * (BATCH / cores images) timed on one core here, the gradient exchange's summing included.
 */
async function simulateOurs(kind: ModelKind, cores: number): Promise<Row> {
  const shard = Math.max(1, Math.round(BATCH / cores));
  const data = benchData(1);
  const inputs = Float32Array.from(data.pixels.subarray(0, shard * 32 * 32 * 3), (v) => v / 255);
  const labels = data.labels.slice(0, shard);
  const model = compiledModel(kind);
  const replica = new LocalReplica(model, SHAPE, CLASSES, defaultTrainingSpec());
  const parameters = model.countParams();
  const slots = Array.from({ length: cores }, () => new Float32Array(parameters).fill(1e-3));
  const total = new Float32Array(parameters);
  const timings: number[] = [];
  for (let i = 0; i < (quick ? 6 : 20); i++) {
    const start = performance.now();
    await replica.trainStep(inputs, labels, { learningRate: 1e-3, epoch: 1 });
    // The exchange: this thread's 1/cores chunk summed over every thread's slot.
    const chunk = Math.ceil(parameters / cores);
    for (const slot of slots) for (let j = 0; j < chunk; j++) total[j] += slot[j];
    timings.push(performance.now() - start);
  }
  model.optimizer?.dispose();
  model.dispose();
  const stepSeconds = median(timings.slice(3)) / 1000;
  return {
    model: kind, engine: 'classifier-lab', threads: cores, simulated: true,
    trainImagesPerSecond: BATCH / stepSeconds,
    inferImagesPerSecond: Number.NaN,
  };
}

function runPeer(kind: ModelKind, threads: number): Row | string {
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'PyTorch is not installed (apt-get install python3-torch): the peer rows are skipped';
  const result = spawnSync(python, [join(__dirname, 'peer_torch.py'), '--model', kind, '--threads', String(threads), '--steps', quick ? '6' : '30'],
    { encoding: 'utf8', timeout: 900_000 });
  if (result.status !== 0) return `the PyTorch ${kind} failed: ${result.stderr.trim().split('\n').at(-1)}`;
  const peer = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Row;
  return { ...peer, model: kind, engine: 'pytorch', threads };
}

function fixed(value: number): string {
  return (Number.isFinite(value) ? value.toFixed(0) : '-').padStart(7);
}

function printTable(rows: Row[]): void {
  log('');
  log('model      engine          threads   train img/s  infer img/s   train ratio  infer ratio');
  for (const row of rows) {
    const peer = rows.find((r) => r.model === row.model && r.engine === 'pytorch' && r.threads === defaultThreads);
    const ratio = (mine: number, theirs: number | undefined) =>
      (peer && theirs && Number.isFinite(mine) ? `${(mine / theirs).toFixed(2)}x` : '').padStart(11);
    const threads = `${row.threads}${row.default ? ' (default)' : row.simulated ? ' (sim.)' : row.threads > cpus().length ? ' (>cores)' : ''}`;
    log(`${row.model.padEnd(10)} ${row.engine.padEnd(15)} ${threads.padEnd(13)} ${fixed(row.trainImagesPerSecond)}     ${fixed(row.inferImagesPerSecond)}  `
      + `${row.engine === 'pytorch' ? ''.padStart(11) : ratio(row.trainImagesPerSecond, peer?.trainImagesPerSecond)}  `
      + `${row.engine === 'pytorch' ? '' : ratio(row.inferImagesPerSecond, peer?.inferImagesPerSecond)}`);
  }
  log(`ratios: Classifier Lab / PyTorch on ${defaultThreads} threads (the default: every core).`);
  log('');
  log('scaling (training): threads  img/s   speed-up  efficiency');
  for (const kind of kinds) {
    const ours = rows.filter((r) => r.model === kind && r.engine === 'classifier-lab');
    const one = ours.find((r) => r.threads === 1 && !r.simulated);
    if (!one) continue;
    for (const row of ours) {
      const speedUp = row.trainImagesPerSecond / one.trainImagesPerSecond;
      log(`  ${kind.padEnd(10)} ${String(row.threads).padStart(7)}${row.simulated ? '*' : row.threads > cpus().length ? '+' : ' '} ${fixed(row.trainImagesPerSecond)}`
        + `   ${speedUp.toFixed(2).padStart(6)}x   ${(100 * speedUp / row.threads).toFixed(0).padStart(5)}%`);
    }
  }
  log('  * simulated for a machine with that many cores (one shard timed on one core); + more threads than this machine has cores');
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  log(`Classifier Lab benchmark: backend ${backend.description}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), `
    + `node ${process.version}, training batch ${BATCH}, inference batch ${INFER_BATCH}, 32x32x3, ${CLASSES} classes`);
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const kind of kinds) {
    const ours: Row[] = [];
    for (const threads of threadCounts) {
      const row = await benchOurs(kind, threads);
      ours.push(row);
      log(`  ${kind} on ${threads} thread(s): train ${row.trainImagesPerSecond.toFixed(0)} img/s, infer ${row.inferImagesPerSecond.toFixed(0)} img/s`);
    }
    const one = ours.find((r) => r.threads === 1);
    if (one) for (const cores of simulated) ours.push(await simulateOurs(kind, cores));
    rows.push(...ours);
    if (!flag('no-peer')) {
      for (const threads of [...new Set([1, Math.min(defaultThreads, availableParallelism())])]) {
        const peer = runPeer(kind, threads);
        if (typeof peer === 'string') {
          notes.push(peer);
          break;
        }
        rows.push(peer);
      }
    }
  }
  if (json) for (const row of rows) console.log(JSON.stringify({ ...row, inferImagesPerSecond: Number.isFinite(row.inferImagesPerSecond) ? row.inferImagesPerSecond : null }));
  printTable(rows);
  for (const note of new Set(notes)) log(`note: ${note}`);
  const decode = quick || flag('no-decode') ? [] : await benchDecode(false);
  for (const row of decode) log(`decode+resize ${row.label.padEnd(22)} ${row.imagesPerSecond.toFixed(0).padStart(6)} img/s`);
  const memory = process.memoryUsage();
  log(`memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB (peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB), `
    + `tfjs ${(tf.memory().numBytes / 2 ** 20).toFixed(1)} MiB in ${tf.memory().numTensors} tensors after all models were disposed`);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), JSON.stringify({
    time: new Date().toISOString(), backend: backend.description, cores: cpus().length, rows, decode, notes, rssBytes: memory.rss,
  }, null, 2) + '\n');
}

void main();
