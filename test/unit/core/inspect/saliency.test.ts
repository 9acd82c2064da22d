// Saliency maps must point where the decision is made: models trained on a generated task in which
// only the top-left quadrant decides the class put most of their saliency mass there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import seedrandom from 'seedrandom';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { createAttention } from '../../../../src/core/models/createAttention';
import { createCnn } from '../../../../src/core/models/createCnn';
import { createRnn } from '../../../../src/core/models/createRnn';
import { computeSaliency, defaultSaliencyMethod } from '../../../../src/core/inspect/saliency';
import type { SaliencyMethod } from '../../../../src/core/inspect/saliencyMap';

const SIZE = 16;
const HALF = SIZE / 2;
const BLOB = 4;

interface Task {
  /** [count, SIZE, SIZE, 1] in [0, 1]. */
  x: tf.Tensor4D;
  /** One-hot [count, 2]. */
  y: tf.Tensor2D;
  labels: number[];
}

/**
 * Class 0: a bright square somewhere in the top-left quadrant plus one in another quadrant; class 1:
 * two bright squares in the other quadrants only. Both classes show two squares over noise, so only
 * the top-left quadrant tells them apart.
 */
function regionTask(count: number, seed: string): Task {
  const random = seedrandom(seed);
  const pixels = new Float32Array(count * SIZE * SIZE);
  const labels: number[] = [];
  const square = (i: number, quadrant: number) => {
    const top = (quadrant >> 1) * HALF + Math.floor(random() * (HALF - BLOB + 1));
    const left = (quadrant & 1) * HALF + Math.floor(random() * (HALF - BLOB + 1));
    for (let y = top; y < top + BLOB; y++) {
      for (let x = left; x < left + BLOB; x++) pixels[(i * SIZE + y) * SIZE + x] = 0.75 + 0.25 * random();
    }
  };
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < SIZE * SIZE; p++) pixels[i * SIZE * SIZE + p] = 0.3 * random();
    const label = i % 2;
    labels.push(label);
    const others = [1, 2, 3].sort(() => random() - 0.5);
    if (label === 0) square(i, 0);
    else square(i, others.pop()!);
    square(i, others.pop()!);
  }
  return {
    x: tf.tensor4d(pixels, [count, SIZE, SIZE, 1]),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 2), 'float32') as tf.Tensor2D),
    labels,
  };
}

async function train(model: tfl.LayersModel, task: Task, epochs: number, learningRate: number): Promise<void> {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' });
  await model.fit(task.x, task.y, { epochs, batchSize: 32, shuffle: true, verbose: 0 });
}

function accuracy(model: tfl.LayersModel, task: Task): number {
  const predicted = tf.tidy(() => Array.from(tf.argMax(model.predict(task.x) as tf.Tensor, -1).dataSync()));
  return predicted.filter((p, i) => p === task.labels[i]).length / task.labels.length;
}

/** Share of a map's total in the top-left quadrant (a uniform map gives 0.25). */
function topLeftShare(values: number[][]): number {
  let inside = 0;
  let total = 0;
  values.forEach((row, y) => row.forEach((v, x) => {
    total += v;
    if (y < HALF && x < HALF) inside += v;
  }));
  return total > 0 ? inside / total : 0;
}

/** Mean top-left share of class-0 saliency over the class-0 test images. */
function meanShare(model: tfl.LayersModel, task: Task, method: SaliencyMethod): number {
  const shares: number[] = [];
  task.labels.forEach((label, i) => {
    if (label !== 0 || shares.length >= 12) return;
    const image = tf.slice(task.x, [i, 0, 0, 0], [1, SIZE, SIZE, 1]);
    const map = computeSaliency(model, image, 0, { method });
    image.dispose();
    assert.equal(map.method, method);
    assert.equal(map.values.length, SIZE);
    assert.ok(map.values.every((row) => row.length === SIZE && row.every((v) => v >= 0 && v <= 1)));
    shares.push(topLeftShare(map.values));
  });
  return shares.reduce((a, b) => a + b, 0) / shares.length;
}

describe('computeSaliency', () => {
  let trainSet: Task;
  let testSet: Task;
  before(async () => {
    await initBackend('wasm');
    trainSet = regionTask(480, 'saliency-train');
    testSet = regionTask(60, 'saliency-test');
  });
  after(() => tf.dispose([trainSet.x, trainSet.y, testSet.x, testSet.y]));

  test('Grad-CAM of a CNN puts most of its mass on the quadrant that decides the class', async () => {
    const model = createCnn({ filters: [8, 16], denseUnits: 16, dropout: 0 }, [SIZE, SIZE, 1], 2);
    assert.equal(defaultSaliencyMethod(model), 'grad-cam');
    await train(model, trainSet, 12, 0.005);
    assert.ok(accuracy(model, testSet) >= 0.9, `the CNN learned the task (test accuracy ${accuracy(model, testSet)})`);
    const tensorsBefore = tf.memory().numTensors;
    const share = meanShare(model, testSet, 'grad-cam');
    assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors leak');
    assert.ok(share > 0.6, `mean top-left share ${share.toFixed(2)} (uniform would be 0.25)`);
    const image = tf.slice(testSet.x, [0, 0, 0, 0], [1, SIZE, SIZE, 1]);
    assert.equal(computeSaliency(model, image, 0).layer, 'conv2');
    // Integrated gradients work on any model, the CNN included, and agree on the place.
    const integrated = meanShare(model, testSet, 'integrated-gradients');
    assert.ok(integrated > 0.5, `integrated gradients: mean top-left share ${integrated.toFixed(2)}`);
    image.dispose();
    model.dispose();
  });

  test('integrated gradients of an RNN put most of their mass on the quadrant that decides the class', async () => {
    const model = createRnn({ cell: 'lstm', units: [32], dropout: 0 }, [SIZE, SIZE, 1], 2);
    assert.equal(defaultSaliencyMethod(model), 'integrated-gradients');
    await train(model, trainSet, 15, 0.01);
    assert.ok(accuracy(model, testSet) >= 0.9, `the RNN learned the task (test accuracy ${accuracy(model, testSet)})`);
    const share = meanShare(model, testSet, 'integrated-gradients');
    assert.ok(share > 0.5, `mean top-left share ${share.toFixed(2)} (uniform would be 0.25)`);
    model.dispose();
  });

  test('the attention model gets integrated gradients (residual connections rule out Grad-CAM); bad requests are refused', () => {
    const model = createAttention({ patchSize: 4, embedDim: 16, depth: 1, heads: 2, mlpDim: 16, dropout: 0 }, [SIZE, SIZE, 1], 2);
    assert.equal(defaultSaliencyMethod(model), 'integrated-gradients');
    const image = tf.slice(testSet.x, [0, 0, 0, 0], [1, SIZE, SIZE, 1]);
    const map = computeSaliency(model, image, 1, { steps: 4 });
    assert.equal(map.method, 'integrated-gradients');
    assert.equal(map.values.length, SIZE);
    assert.ok(Math.max(...map.values.flat()) === 1, 'normalised to a maximum of 1');
    assert.throws(() => computeSaliency(model, image, 2), /outside the model's 2 classes/);
    assert.throws(() => computeSaliency(model, image, 0, { method: 'grad-cam' }), /Grad-CAM needs/);
    image.dispose();
    model.dispose();
  });
});
