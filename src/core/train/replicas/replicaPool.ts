// Data-parallel training on every core: N replica threads (worker_threads), each with its own
// TensorFlow.js backend and a copy of the model. A batch is split into N shards; each thread computes
// its shard's gradients, the threads sum them through shared memory and apply one identical optimiser
// step (see replicaWorker.ts). The pool itself stays on the training loop's thread: it fills the shared
// input buffer, sends one message per step and collects the losses, so the loop can prepare the next
// batch while the threads train on this one.
import { Worker } from 'node:worker_threads';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendPreference } from '../../backend/selectBackend';
import { modelToArtifacts, type ModelArtifacts } from '../../models/modelArtifacts';
import type { ImageShape } from '../../runSpec';
import type { ReplicaTrainingSpec } from '../localReplica';
import { findWorkerScript, type WorkerEntry } from '../../workers/findWorkerScript';
import type { StepResult, StepSettings, TrainingReplicas } from '../trainingReplicas';
import { allocateReplicaBuffers, elementCount, ThreadBarrier, type ReplicaBuffers, type ReplicaLayout } from './replicaMemory';
import type { FromReplica, ToReplica } from './replicaMessages';
import { errorMessage } from '../../errorMessage';

export interface ReplicaPoolOptions {
  /** The model to replicate (its weights and, when compiled, its optimiser and state are copied; it is not changed). */
  model: tfl.LayersModel;
  threads: number;
  imageShape: ImageShape;
  classCount: number;
  /** Largest batch a step or a prediction will pass. */
  capacity: number;
  training: ReplicaTrainingSpec;
  seed: number;
  backend: BackendPreference;
  /** Overrides the replica thread's script (tests). */
  entry?: WorkerEntry;
}

/** A replica thread failed (crashed, ran out of memory, threw): the pool is unusable afterwards. */
export class ReplicaPoolError extends Error {
  override readonly name = 'ReplicaPoolError';
}

interface Pending {
  /** Replies still expected, by thread index. */
  waiting: Set<number>;
  replies: FromReplica[];
  resolve(replies: FromReplica[]): void;
  reject(error: Error): void;
}

export class ReplicaPool implements TrainingReplicas {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private parity: 0 | 1 = 0;
  private failure: ReplicaPoolError | undefined;
  private disposed = false;
  private readonly inputs: Float32Array;
  private readonly labels: Int32Array;
  private readonly outputs: Float32Array;
  private readonly barrier: ThreadBarrier;

  private constructor(
    private readonly workers: Worker[],
    private readonly layout: ReplicaLayout,
    buffers: ReplicaBuffers,
  ) {
    this.inputs = new Float32Array(buffers.inputs);
    this.labels = new Int32Array(buffers.labels);
    this.outputs = new Float32Array(buffers.outputs);
    this.barrier = new ThreadBarrier(buffers.control, layout.threads);
  }

  get threads(): number {
    return this.layout.threads;
  }

  /** Starts the replica threads and waits until each holds the model. Throws when threads cannot start. */
  static async start(options: ReplicaPoolOptions): Promise<ReplicaPool> {
    const entry = options.entry ?? findWorkerScript(__dirname, 'replicaWorker');
    if (!entry) throw new ReplicaPoolError('The replica thread script (replicaWorker.js) is missing from the build.');
    const { model, threads, imageShape } = options;
    const size = (weights: tfl.LayerVariable[]) => weights.reduce((sum, w) => sum + elementCount(w.shape), 0);
    const layout: ReplicaLayout = {
      threads,
      capacity: options.capacity,
      imageSize: imageShape[0] * imageShape[1] * imageShape[2],
      classCount: options.classCount,
      trainableLength: size(model.trainableWeights),
      nonTrainableLength: size(model.nonTrainableWeights),
    };
    const buffers = allocateReplicaBuffers(layout);
    const artifacts = await modelToArtifacts(model, { includeOptimizer: true });
    const workers: Worker[] = [];
    for (let index = 0; index < threads; index++) {
      try {
        workers.push(new Worker(entry.script, { eval: entry.eval, name: `replica-${index + 1}` }));
      } catch (error) {
        await Promise.all(workers.map((w) => w.terminate()));
        throw new ReplicaPoolError(`Could not start training thread ${index + 1}: ${errorMessage(error)}`);
      }
    }
    const pool = new ReplicaPool(workers, layout, buffers);
    const ready = pool.request(workers.map((_, index): ToReplica => ({
      type: 'init', index, layout, buffers, artifacts, imageShape, training: options.training,
      seed: options.seed, backend: options.backend,
    })), 'ready');
    workers.forEach((worker, index) => pool.watch(worker, index));
    try {
      await ready;
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    return pool;
  }

  async trainStep(inputs: Float32Array, labels: Int32Array, step: StepSettings): Promise<StepResult> {
    const count = labels.length;
    this.checkCapacity(count);
    this.inputs.set(inputs.subarray(0, count * this.layout.imageSize));
    this.labels.set(labels);
    const parity = this.parity;
    this.parity = parity === 0 ? 1 : 0;
    const replies = await this.broadcast({ type: 'step', count, learningRate: step.learningRate, epoch: step.epoch, parity });
    let lossSum = 0;
    let correct = 0;
    for (const reply of replies) {
      if (reply.type !== 'stepped') continue;
      lossSum += reply.lossSum;
      correct += reply.correct;
    }
    return { loss: lossSum / count, acc: correct / count };
  }

  async predict(inputs: Float32Array, count: number): Promise<Float32Array> {
    this.checkCapacity(count);
    this.inputs.set(inputs.subarray(0, count * this.layout.imageSize));
    await this.broadcast({ type: 'predict', count });
    return this.outputs.slice(0, count * this.layout.classCount);
  }

  async readWeights(): Promise<Float32Array[]> {
    const [reply] = await this.ask(0, { type: 'readWeights' });
    if (reply.type !== 'weights') throw new ReplicaPoolError(`Unexpected reply '${reply.type}' to readWeights.`);
    return reply.weights;
  }

  async writeWeights(weights: readonly Float32Array[]): Promise<void> {
    await this.broadcast({ type: 'writeWeights', weights: [...weights] });
  }

  async exportModel(includeOptimizer: boolean): Promise<ModelArtifacts> {
    const [reply] = await this.ask(0, { type: 'export', includeOptimizer });
    if (reply.type !== 'exported') throw new ReplicaPoolError(`Unexpected reply '${reply.type}' to export.`);
    return reply.artifacts;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.barrier.abort();
    this.failAll(new ReplicaPoolError('The training threads were stopped.'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private checkCapacity(count: number): void {
    if (count < 1 || count > this.layout.capacity) {
      throw new Error(`A batch of ${count} does not fit the training threads' buffers (1 to ${this.layout.capacity}).`);
    }
  }

  private broadcast(message: DistributiveOmit<Exclude<ToReplica, { type: 'init' }>, 'id'>): Promise<FromReplica[]> {
    const id = this.nextId++;
    return this.request(this.workers.map(() => ({ ...message, id }) as ToReplica), undefined, id);
  }

  private ask(index: number, message: DistributiveOmit<Exclude<ToReplica, { type: 'init' }>, 'id'>): Promise<FromReplica[]> {
    const id = this.nextId++;
    const messages = this.workers.map((_, i) => (i === index ? ({ ...message, id } as ToReplica) : undefined));
    return this.request(messages, undefined, id);
  }

  /** Sends each thread its message (undefined: none) and resolves with their replies. */
  private request(messages: (ToReplica | undefined)[], readyKey?: 'ready', id = 0): Promise<FromReplica[]> {
    if (this.failure) return Promise.reject(this.failure);
    const key = readyKey === 'ready' ? 0 : id;
    return new Promise((resolve, reject) => {
      const waiting = new Set<number>();
      messages.forEach((message, index) => {
        if (message) waiting.add(index);
      });
      this.pending.set(key, { waiting, replies: [], resolve, reject });
      messages.forEach((message, index) => {
        if (message) this.workers[index].postMessage(message);
      });
    });
  }

  private watch(worker: Worker, index: number): void {
    worker.on('message', (reply: FromReplica) => {
      if (reply.type === 'failed') {
        this.fail(`Training thread ${index + 1} of ${this.threads} failed: ${reply.message}`);
        return;
      }
      const key = reply.type === 'ready' ? 0 : reply.id;
      const pending = this.pending.get(key);
      if (!pending || !pending.waiting.delete(index)) return;
      pending.replies[index] = reply;
      if (pending.waiting.size === 0) {
        this.pending.delete(key);
        pending.resolve(pending.replies);
      }
    });
    worker.on('error', (error) => this.fail(`Training thread ${index + 1} of ${this.threads} crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.disposed) this.fail(`Training thread ${index + 1} of ${this.threads} stopped unexpectedly (exit code ${code}).`);
    });
  }

  /** One thread failed: wake the others from the barrier and fail every request, now and later. */
  private fail(message: string): void {
    if (this.failure || this.disposed) return;
    this.failure = new ReplicaPoolError(message);
    this.barrier.abort();
    this.failAll(this.failure);
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) entry.reject(error);
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
