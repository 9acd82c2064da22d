// Entry of a replica thread (bundled as dist/replicaWorker.js): holds one copy of the model and its
// optimiser, computes the gradients of its share of each batch, meets the other replicas at a barrier,
// sums everyone's gradients in a fixed order and applies the same optimiser step, so every replica
// stays identical. Batch-norm moving statistics, updated by each replica's own forward pass, are
// averaged across the replicas after every step.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../backend/selectBackend';
import { modelFromArtifacts, modelToArtifacts } from '../../models/modelArtifacts';
import { predictBatch, setWeightValues, type ReplicaTrainingSpec } from '../localReplica';
import { createLoss, type LossFunction } from '../losses';
import { seededStream } from '../seededRandom';
import { setLearningRate } from '../createOptimizer';
import { trainableVariablesAt } from '../fineTune';
import { elementCount, exchangeLength, shardOf, ThreadBarrier, type ReplicaLayout } from './replicaMemory';
import type { FromReplica, ReplicaInit, ToReplica } from './replicaMessages';

interface Replica {
  index: number;
  layout: ReplicaLayout;
  model: tfl.LayersModel;
  /** Absent for a model that only predicts. */
  optimizer: tf.Optimizer | undefined;
  lossFn: LossFunction;
  training: ReplicaTrainingSpec;
  imageShape: [number, number, number];
  inputs: Float32Array;
  labels: Int32Array;
  outputs: Float32Array;
  exchange: Float32Array;
  /** [2, trainableLength]: the summed gradient of each step parity. */
  gradient: Float32Array;
  barrier: ThreadBarrier;
}

const port = parentPort;
let replica: Replica | undefined;

function post(message: FromReplica, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function start(init: ReplicaInit): Promise<Replica> {
  // Dropout masks (and anything else tfjs draws from Math.random) differ per replica but repeat per seed.
  Math.random = seededStream(init.seed, `replica:${init.index}`);
  const backend = await initBackend(init.backend);
  const model = await modelFromArtifacts(init.artifacts);
  const { layout, buffers } = init;
  const created: Replica = {
    index: init.index,
    layout,
    model,
    optimizer: model.optimizer,
    lossFn: createLoss(init.training.loss, init.training.labelSmoothing),
    training: init.training,
    imageShape: init.imageShape,
    inputs: new Float32Array(buffers.inputs),
    labels: new Int32Array(buffers.labels),
    outputs: new Float32Array(buffers.outputs),
    exchange: new Float32Array(buffers.exchange),
    gradient: new Float32Array(buffers.gradient),
    barrier: new ThreadBarrier(buffers.control, layout.threads),
  };
  post({ type: 'ready', index: init.index, backend: backend.description });
  return created;
}

function slotOf(r: Replica, parity: number, thread: number): Float32Array {
  const length = exchangeLength(r.layout);
  const start = (parity * r.layout.threads + thread) * length;
  return r.exchange.subarray(start, start + length);
}

function step(r: Replica, count: number, learningRate: number, epoch: number, parity: 0 | 1): { lossSum: number; correct: number } {
  const optimizer = r.optimizer;
  if (!optimizer) throw new Error('The replicated model has no optimizer: it can only predict.');
  const { threads, imageSize, trainableLength: slotTrainable } = r.layout;
  const [start, end] = shardOf(count, r.index, threads);
  const size = end - start;
  const slot = slotOf(r, parity, r.index);
  // While fine-tuning starts frozen, only the head trains: the gradient is then shorter than the slot's part for it.
  const variables = trainableVariablesAt(r.model, r.training, epoch);
  const trainableLength = variables.reduce((sum, variable) => sum + variable.size, 0);
  let lossSum = 0;
  let correct = 0;
  if (size > 0) {
    const [h, w, c] = r.imageShape;
    const x = tf.tensor4d(r.inputs.slice(start * imageSize, end * imageSize), [size, h, w, c]);
    const labels = tf.tensor1d(r.labels.slice(start, end), 'int32');
    const classCount = r.layout.classCount;
    const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, classCount), 'float32') as tf.Tensor2D);
    const hits: { tensor?: tf.Tensor } = {};
    const { value, grads } = optimizer.computeGradients(() => {
      const probabilities = r.model.apply(x, { training: true }) as tf.Tensor2D;
      hits.tensor = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, -1), labels), 'float32')));
      return r.lossFn(oneHot, probabilities);
    }, variables);
    lossSum = value.dataSync()[0] * size;
    correct = hits.tensor ? hits.tensor.dataSync()[0] : 0;
    // The full batch's mean loss is the size-weighted mean of the shards' mean losses; so is its gradient.
    const share = size / count;
    let offset = 0;
    for (const variable of variables) {
      const gradient = grads[variable.name].dataSync();
      for (let i = 0; i < gradient.length; i++) slot[offset + i] = gradient[i] * share;
      offset += gradient.length;
    }
    tf.dispose([x, labels, oneHot, value, ...Object.values(grads), ...(hits.tensor ? [hits.tensor] : [])]);
  } else {
    slot.fill(0, 0, trainableLength);
  }
  let offset = slotTrainable;
  for (const weight of r.model.nonTrainableWeights) {
    const values = weight.read().dataSync();
    slot.set(values, offset);
    offset += values.length;
  }

  r.barrier.arrive();
  // Each thread sums its chunk of the gradient over every thread's slot, always in thread order, so the
  // sum is the same whatever the timing; once all chunks are in, every replica applies the same step.
  const total = r.gradient.subarray(parity * slotTrainable, parity * slotTrainable + trainableLength);
  const [from, to] = shardOf(trainableLength, r.index, threads);
  total.set(slotOf(r, parity, 0).subarray(from, to), from);
  for (let t = 1; t < threads; t++) {
    const other = slotOf(r, parity, t);
    for (let i = from; i < to; i++) total[i] += other[i];
  }
  r.barrier.arrive();

  setLearningRate(optimizer, learningRate);
  let position = 0;
  const named = variables.map((variable) => {
    const length = variable.size;
    const tensor = tf.tensor(total.subarray(position, position + length), variable.shape, 'float32');
    position += length;
    return { name: variable.name, tensor };
  });
  optimizer.applyGradients(named);
  tf.dispose(named.map((entry) => entry.tensor));
  averageNonTrainable(r, parity, count);
  return { lossSum, correct };
}

/**
 * Batch normalisation's moving statistics moved by each replica's own shard: set every replica's to
 * their mean over the replicas that trained (frozen weights, equal everywhere, are left alone).
 */
function averageNonTrainable(r: Replica, parity: number, count: number): void {
  const { threads, trainableLength } = r.layout;
  // (The non-trainable weights sit after the slot's trainable part, whatever this step trained.)
  const contributors: Float32Array[] = [];
  for (let t = 0; t < threads; t++) {
    const [start, end] = shardOf(count, t, threads);
    if (end > start) contributors.push(slotOf(r, parity, t));
  }
  if (contributors.length < 2) return;
  let offset = trainableLength;
  for (const weight of r.model.nonTrainableWeights) {
    const length = elementCount(weight.shape);
    let differs = false;
    for (let i = offset; i < offset + length && !differs; i++) {
      for (let k = 1; k < contributors.length; k++) {
        if (contributors[k][i] !== contributors[0][i]) {
          differs = true;
          break;
        }
      }
    }
    if (differs) {
      const mean = new Float32Array(length);
      for (let i = 0; i < length; i++) {
        let sum = 0;
        for (const slot of contributors) sum += slot[offset + i];
        mean[i] = sum / contributors.length;
      }
      const value = tf.tensor(mean, weight.shape as number[], 'float32');
      weight.write(value);
      value.dispose();
    }
    offset += length;
  }
}

function predict(r: Replica, count: number): void {
  const [start, end] = shardOf(count, r.index, r.layout.threads);
  if (end <= start) return;
  const { imageSize, classCount } = r.layout;
  const probabilities = predictBatch(r.model, r.inputs.subarray(start * imageSize, end * imageSize), end - start, r.imageShape, r.training.testTimeAugmentation);
  r.outputs.set(probabilities, start * classCount);
}

async function handle(message: ToReplica): Promise<void> {
  if (message.type === 'init') {
    replica = await start(message);
    return;
  }
  const r = replica;
  if (!r) throw new Error(`'${message.type}' arrived before the replica started.`);
  switch (message.type) {
    case 'step': {
      const result = step(r, message.count, message.learningRate, message.epoch, message.parity);
      post({ type: 'stepped', id: message.id, ...result });
      return;
    }
    case 'predict':
      predict(r, message.count);
      post({ type: 'done', id: message.id });
      return;
    case 'readWeights': {
      const weights = r.model.getWeights().map((weight) => Float32Array.from(weight.dataSync()));
      post({ type: 'weights', id: message.id, weights }, weights.map((w) => w.buffer as ArrayBuffer));
      return;
    }
    case 'writeWeights':
      setWeightValues(r.model, message.weights);
      post({ type: 'done', id: message.id });
      return;
    case 'export': {
      const artifacts = await modelToArtifacts(r.model, { includeOptimizer: message.includeOptimizer });
      post({ type: 'exported', id: message.id, artifacts }, [artifacts.weights.buffer as ArrayBuffer]);
      return;
    }
  }
}

// Messages are handled one at a time, in order: a step never overlaps an export.
let queue: Promise<void> = Promise.resolve();
port?.on('message', (message: ToReplica) => {
  queue = queue.then(() => handle(message)).catch((error: unknown) => {
    const id = 'id' in message ? message.id : undefined;
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
  });
});
