// How many threads share a run's training steps: `auto` is every core (shared fairly when several runs
// train at once); the native TensorFlow backend already spreads each kernel over every core itself.
import { availableParallelism } from 'node:os';
import type { BackendInfo } from '../backend/selectBackend';

/** A thread count, or 'auto'. */
export type ThreadsRequest = number | 'auto';

/** More replica threads than this only add memory: batches split too finely to keep a core busy. */
export const MAX_TRAINING_THREADS = 32;

/** Parses `--threads` / the `trainingThreads` setting: 'auto' or a whole number from 1 to 32. */
export function parseThreadsRequest(value: string | number): ThreadsRequest | undefined {
  if (value === 'auto') return 'auto';
  const count = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isInteger(count) && count >= 1 && count <= MAX_TRAINING_THREADS ? count : undefined;
}

/** Threads for each of `concurrentRuns` runs training at once on this machine's cores ('auto'). */
export function autoTrainingThreads(concurrentRuns = 1): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, concurrentRuns)));
}

/** The replica threads a run uses on a backend. */
export function resolveTrainingThreads(request: ThreadsRequest, backend: Pick<BackendInfo, 'native'>): number {
  if (backend.native) return 1;
  const threads = request === 'auto' ? autoTrainingThreads() : request;
  return Math.max(1, Math.min(MAX_TRAINING_THREADS, Math.floor(threads)));
}
