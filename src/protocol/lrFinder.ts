// Messages between the extension host and a learning-rate finder process (child_process IPC). Types only.
import type { RunSpec } from '../core/runSpec';
import type { RangeTestPoint } from '../core/train/learningRateFinder';
import type { BackendChoice } from './trainer';

export type { RangeTestPoint } from '../core/train/learningRateFinder';

/** The range test's bounds; absent values take the engine's defaults (1e-6 to 10 over 200 steps). */
export interface RangeTestRequest {
  minRate?: number;
  maxRate?: number;
  steps?: number;
}

/** How a range test ended, with what it found. */
export interface LearningRateResult {
  end: 'completed' | 'diverged' | 'cancelled';
  /** Where the loss fell fastest; null when it never fell. */
  suggestedRate: number | null;
  /** The rate of the lowest smoothed loss. */
  minimumRate: number | null;
  steps: number;
  minRate: number;
  maxRate: number;
  /** Training examples the batches were drawn from. */
  trainCount: number;
  backend: string;
}

/** Extension -> finder. */
export type ToLrFinder =
  | { type: 'start'; spec: RunSpec; backend: BackendChoice; rangeTest?: RangeTestRequest }
  /** Stop after the current step and report what was found so far. */
  | { type: 'stop' };

/** Finder -> extension. */
export type FromLrFinder =
  /** The bounds the test runs with (the request's, else the defaults), before the dataset is read. */
  | { type: 'started'; minRate: number; maxRate: number; steps: number }
  | { type: 'point'; point: RangeTestPoint }
  | { type: 'warning'; message: string }
  | { type: 'finished'; result: LearningRateResult }
  /** The test could not run (unreadable dataset, a model that does not fit the images...). */
  | { type: 'failed'; error: string };
