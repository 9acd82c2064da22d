// A small pool of worker threads that decode image files off the main thread, so decoding the next
// batch overlaps the training step. Falls back to decoding on the calling thread when workers cannot
// start (no bundled worker script, no tsx in development, a sandbox that forbids threads).
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ImageShape } from '../runSpec';
import { decodeImageFiles, type DecodedFiles } from './decodeImageFiles';
import type { DecodeReply, DecodeRequest } from './decodeWorker';
import { findWorkerScript, type WorkerEntry } from '../workers/findWorkerScript';
import { libvipsInfo } from './libvips';

/** Workers for a pool that shares the machine with a training step on the main thread. */
export function defaultDecodeWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

interface Job {
  request: DecodeRequest;
  resolve: (result: DecodedFiles) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  /** Called when the slot's job has settled (set while the pool is closing). */
  onIdle?: () => void;
}

// Fewer files than this per worker are not worth a round trip.
const MIN_FILES_PER_PART = 8;
// Idle workers are stopped after this long and restarted on demand.
const IDLE_MS = 15_000;

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private entry: WorkerEntry | undefined;
  private workersFailed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing = false;

  /** `size` 0 decodes on the calling thread; `entry` overrides the worker script (tests). */
  constructor(private readonly size: number, entry?: WorkerEntry) {
    this.entry = size > 0 ? entry ?? findWorkerScript(__dirname, 'decodeWorker') : undefined;
  }

  /** True while decoding goes to worker threads (false after they failed to start). */
  get usesWorkers(): boolean {
    return this.entry !== undefined && !this.workersFailed;
  }

  /** Decodes the files, split across the workers, into packed [paths.length, ...shape] model inputs. */
  async decode(paths: readonly string[], shape: ImageShape): Promise<DecodedFiles> {
    if (!this.usesWorkers || paths.length === 0) return decodeImageFiles(paths, shape);
    const parts = Math.max(1, Math.min(this.size, Math.floor(paths.length / MIN_FILES_PER_PART)));
    if (parts === 1) return this.submit([...paths], shape);
    const per = Math.ceil(paths.length / parts);
    const results = await Promise.all(
      Array.from({ length: parts }, (_, p) => this.submit(paths.slice(p * per, (p + 1) * per), shape)),
    );
    const exampleBytes = shape[0] * shape[1] * shape[2];
    const pixels = new Uint8Array(paths.length * exampleBytes);
    const failures: DecodedFiles['failures'] = [];
    results.forEach((result, p) => {
      pixels.set(result.pixels, p * per * exampleBytes);
      for (const failure of result.failures) failures.push({ index: failure.index + p * per, reason: failure.reason });
    });
    return { pixels, failures };
  }

  /**
   * Stops the workers; later decodes start them again. Decodes not yet begun are rejected with an
   * AbortError; a decode a worker has begun is let finish first, because a thread stopped in the
   * middle of a libvips call can take the whole process down with it.
   */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.closing = true;
    try {
      for (const job of this.queue.splice(0)) job.reject(new DOMException('The decode was dropped: its pool closed.', 'AbortError'));
      const slots = this.slots.splice(0);
      await Promise.all(slots.map((slot) => (slot.job ? new Promise<void>((idle) => { slot.onIdle = idle; }) : undefined)));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    } finally {
      this.closing = false;
      if (this.queue.length > 0) this.dispatch(); // decodes asked for while the pool was closing
    }
  }

  private submit(paths: string[], shape: ImageShape): Promise<DecodedFiles> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, paths, shape }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.closing) return;
    clearTimeout(this.idleTimer);
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size && this.usesWorkers) slot = this.spawn();
      if (!slot) break;
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.worker.ref(); // keep the process alive while a decode is pending
      slot.worker.postMessage(job.request);
    }
    if (!this.usesWorkers) this.drainOnThisThread();
    if (this.slots.every((s) => !s.job) && this.slots.length > 0) {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private spawn(): Slot | undefined {
    const entry = this.entry as WorkerEntry;
    // libvips is loaded on this thread before any worker loads it, so that a worker's exit never
    // unloads the native library another thread is still using (sharp's rule for worker threads).
    if (this.slots.length === 0) libvipsInfo();
    let worker: Worker;
    try {
      worker = new Worker(entry.script, { eval: entry.eval });
    } catch {
      this.workersFailed = true;
      return undefined;
    }
    const slot: Slot = { worker };
    this.slots.push(slot);
    worker.on('message', (reply: DecodeReply) => {
      const job = slot.job;
      if (!job || job.request.id !== reply.id) return;
      slot.job = undefined;
      worker.unref(); // an idle worker must not keep the process alive
      job.resolve({ pixels: reply.pixels, failures: reply.failures });
      slot.onIdle?.();
      this.dispatch();
    });
    const fail = (): void => {
      const index = this.slots.indexOf(slot);
      if (index < 0) {
        // Exit of a worker the pool let go: a decode it had not answered can no longer be answered.
        slot.job?.reject(new Error('the image decode worker stopped'));
        slot.job = undefined;
        slot.onIdle?.();
        return;
      }
      this.slots.splice(index, 1);
      // A worker that dies (script missing, loader error, crash) is not retried: decode here instead.
      this.workersFailed = true;
      if (slot.job) this.queue.unshift(slot.job);
      slot.job = undefined;
      void worker.terminate();
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return slot;
  }

  private drainOnThisThread(): void {
    for (const job of this.queue.splice(0)) {
      decodeImageFiles(job.request.paths, job.request.shape).then(job.resolve, job.reject);
    }
  }
}
