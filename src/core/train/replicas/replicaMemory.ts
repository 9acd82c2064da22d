// The shared memory of a replica pool: batch inputs, labels, predictions, the gradient exchange and the
// barrier the replica threads meet at once per step. Plain SharedArrayBuffers, allocated by the pool
// and handed to every replica thread at start.

/** The buffers themselves: what crosses to each thread (views are rebuilt on each side). */
export interface ReplicaBuffers {
  /** Float32 [capacity, height, width, channels]: the batch being trained on or predicted. */
  inputs: SharedArrayBuffer;
  /** Int32 [capacity]: the batch's class indices. */
  labels: SharedArrayBuffer;
  /** Float32 [capacity, classes]: softmax probabilities written by predictions. */
  outputs: SharedArrayBuffer;
  /**
   * Float32 [2, threads, exchangeLength]: per step parity and thread, the thread's share of the
   * gradient (trainable weights, flattened in order) followed by its non-trainable weights (batch-norm
   * moving statistics). Two sets alternate, so a fast thread may write step k+1 while a slow one still
   * reads step k.
   */
  exchange: SharedArrayBuffer;
  /**
   * Float32 [2, trainableLength]: per step parity, the summed gradient. Each thread sums one chunk of it
   * over every thread's slot, so the reduction costs each thread the size of the model, not N times it.
   */
  gradient: SharedArrayBuffer;
  /** Int32 [3]: barrier arrivals, barrier generation, abort flag. */
  control: SharedArrayBuffer;
}

export interface ReplicaLayout {
  threads: number;
  /** Largest batch (training or prediction) the buffers hold. */
  capacity: number;
  /** height * width * channels. */
  imageSize: number;
  classCount: number;
  /** Trainable weights' total element count. */
  trainableLength: number;
  /** Non-trainable weights' total element count. */
  nonTrainableLength: number;
}

export function exchangeLength(layout: ReplicaLayout): number {
  return layout.trainableLength + layout.nonTrainableLength;
}

export function allocateReplicaBuffers(layout: ReplicaLayout): ReplicaBuffers {
  const floats = (count: number) => new SharedArrayBuffer(4 * Math.max(1, count));
  return {
    inputs: floats(layout.capacity * layout.imageSize),
    labels: floats(layout.capacity),
    outputs: floats(layout.capacity * layout.classCount),
    exchange: floats(2 * layout.threads * exchangeLength(layout)),
    gradient: floats(2 * layout.trainableLength),
    control: new SharedArrayBuffer(4 * 3),
  };
}

/** Elements of a weight of this shape (unknown dimensions count as 1). */
export function elementCount(shape: readonly (number | null)[]): number {
  return shape.reduce((product: number, size) => product * (size ?? 1), 1);
}

/** The rows [start, end) of a `count`-example batch that thread `index` of `threads` works on. */
export function shardOf(count: number, index: number, threads: number): [number, number] {
  return [Math.floor((count * index) / threads), Math.floor((count * (index + 1)) / threads)];
}

const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2;
/** How often a waiting thread looks at the abort flag (a crashed peer never arrives). */
const ABORT_POLL_MS = 250;

/** Thrown in a replica thread when the pool gave up on the step (another thread died). */
export class ReplicaAbortedError extends Error {
  override readonly name = 'ReplicaAbortedError';
}

/** A reusable barrier for `parties` threads over the control buffer (sense-reversing by generation). */
export class ThreadBarrier {
  private readonly control: Int32Array;

  constructor(control: SharedArrayBuffer, private readonly parties: number) {
    this.control = new Int32Array(control);
  }

  /** Blocks until every party arrived; throws ReplicaAbortedError once the pool aborted. */
  arrive(): void {
    const control = this.control;
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === this.parties - 1) {
      Atomics.store(control, ARRIVED, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return;
    }
    while (Atomics.load(control, GENERATION) === generation) {
      if (Atomics.load(control, ABORTED) !== 0) throw new ReplicaAbortedError('The training step was abandoned.');
      Atomics.wait(control, GENERATION, generation, ABORT_POLL_MS);
    }
  }

  /** Wakes every waiting thread with ReplicaAbortedError (from the pool, when a thread died). */
  abort(): void {
    Atomics.store(this.control, ABORTED, 1);
    Atomics.notify(this.control, GENERATION);
  }
}
