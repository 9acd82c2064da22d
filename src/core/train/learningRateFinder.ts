// The learning-rate range test: train briefly while the rate grows exponentially, record the smoothed loss,
// stop when it diverges, and suggest the rate where the loss fell fastest.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { augmentBatch, isAugmenting } from '../data/augment';
import type { ExampleSource } from '../data/dataset';
import type { AugmentSpec, ImageShape, TrainingSpec } from '../runSpec';
import { setLearningRate } from './createOptimizer';
import { createLoss } from './losses';
import { seededStream, shuffleInPlace } from './seededRandom';

export interface RangeTestOptions {
  /** The first step's rate; the rate grows exponentially to maxRate at the last step. */
  minRate: number;
  maxRate: number;
  /** Steps (batches) at most. */
  steps: number;
  /** Weight of the past in the loss's exponential moving average (0.98 as in fastai). */
  smoothing: number;
  /** Stop once the smoothed loss exceeds this multiple of the lowest smoothed loss so far. */
  divergence: number;
}

export function defaultRangeTestOptions(): RangeTestOptions {
  return { minRate: 1e-6, maxRate: 10, steps: 200, smoothing: 0.98, divergence: 4 };
}

export interface RangeTestPoint {
  /** 0-based step. */
  step: number;
  rate: number;
  /** The batch's training loss at this rate. */
  loss: number;
  /** Bias-corrected exponential moving average of the losses so far. */
  smoothedLoss: number;
}

export interface RangeTestResult {
  points: RangeTestPoint[];
  /** Where the smoothed loss fell fastest against log(rate), before its minimum; null if it never fell. */
  suggestedRate: number | null;
  /** The rate at the lowest smoothed loss (rates past it make the loss worse). */
  minimumRate: number | null;
  /** Why the test ended: all steps done, the loss diverged (or became NaN), or cancelled. */
  end: 'completed' | 'diverged' | 'cancelled';
}

/** The rate of step `step`: minRate * (maxRate / minRate) ^ (step / (steps - 1)). */
export function rangeTestRate(step: number, options: Pick<RangeTestOptions, 'minRate' | 'maxRate' | 'steps'>): number {
  const t = options.steps > 1 ? step / (options.steps - 1) : 0;
  return options.minRate * (options.maxRate / options.minRate) ** t;
}

/**
 * The steepest descent of the smoothed loss against log10(rate), by central differences over a few
 * points, between the first 10% of the points (still settling) and the minimum. Null when the minimum
 * comes too early to tell a descent.
 */
export function suggestLearningRate(points: readonly RangeTestPoint[]): { suggestedRate: number | null; minimumRate: number | null } {
  if (points.length === 0) return { suggestedRate: null, minimumRate: null };
  let lowest = 0;
  points.forEach((point, i) => {
    if (point.smoothedLoss < points[lowest].smoothedLoss) lowest = i;
  });
  const minimumRate = points[lowest].rate;
  const reach = Math.max(1, Math.round(points.length / 40));
  const first = Math.max(reach, Math.floor(points.length * 0.1));
  let steepest = -1;
  let steepestSlope = 0;
  for (let i = first; i < lowest; i++) {
    const before = points[Math.max(0, i - reach)];
    const after = points[Math.min(lowest, i + reach)];
    const slope = (after.smoothedLoss - before.smoothedLoss) / (Math.log10(after.rate) - Math.log10(before.rate));
    if (slope < steepestSlope) {
      steepestSlope = slope;
      steepest = i;
    }
  }
  return { suggestedRate: steepest >= 0 ? points[steepest].rate : null, minimumRate };
}

export function rangeTestProblem(options: RangeTestOptions): string | undefined {
  const { minRate, maxRate, steps, smoothing, divergence } = options;
  if (!(Number.isFinite(minRate) && minRate > 0)) return `The lowest rate must be a positive number (got ${minRate}).`;
  if (!(Number.isFinite(maxRate) && maxRate > minRate && maxRate <= 1000)) {
    return `The highest rate must be above the lowest (${minRate}) and at most 1000 (got ${maxRate}).`;
  }
  if (!(Number.isInteger(steps) && steps >= 10 && steps <= 10_000)) return `Steps must be a whole number from 10 to 10000 (got ${steps}).`;
  if (!(smoothing >= 0 && smoothing < 1)) return `Smoothing must be in [0, 1) (got ${smoothing}).`;
  if (!(divergence > 1)) return `The divergence factor must be above 1 (got ${divergence}).`;
  return undefined;
}

export interface RangeTestInput {
  /** A compiled model: `model.optimizer` takes the steps. It is trained by the test (use a throwaway copy). */
  model: tfl.LayersModel;
  train: ExampleSource;
  imageShape: ImageShape;
  classCount: number;
  training: Pick<TrainingSpec, 'batchSize' | 'loss' | 'labelSmoothing' | 'seed'>;
  augment: AugmentSpec;
  options: RangeTestOptions;
  signal?: AbortSignal;
  onPoint?(point: RangeTestPoint): void | Promise<void>;
}

/** Runs the range test: one training step per rate, batches drawn in seeded shuffles of the training set. */
export async function runRangeTest(input: RangeTestInput): Promise<RangeTestResult> {
  const { model, train, imageShape, classCount, training, augment, options, signal } = input;
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error('The range test needs a compiled model (model.compile with an optimizer).');
  if (train.count === 0) throw new Error('The range test needs training examples.');
  const lossFn = createLoss(training.loss, training.labelSmoothing);
  const [h, w, c] = imageShape;
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const points: RangeTestPoint[] = [];
  let average = 0;
  let lowest = Number.POSITIVE_INFINITY;
  let end: RangeTestResult['end'] = 'completed';
  let order: number[] = [];
  let pass = 0;
  let random = seededStream(training.seed, 'lr-find:augment:0');
  for (let step = 0; step < options.steps; step++) {
    // Each step lets pending events in first, so a cancel (Ctrl+C, a Stop button's message) is seen
    // between two steps even when the data is in memory and nothing else would yield.
    // (A timer, not setImmediate: this module is also compiled for the tab's page, which has no Node timers.)
    await new Promise((resume) => setTimeout(resume, 0));
    if (signal?.aborted) {
      end = 'cancelled';
      break;
    }
    if (order.length < Math.min(training.batchSize, train.count)) {
      // A new pass over the data, shuffled by (seed, pass).
      pass += 1;
      order = shuffleInPlace(Array.from({ length: train.count }, (_, i) => i), seededStream(training.seed, `lr-find:shuffle:${pass}`));
      random = seededStream(training.seed, `lr-find:augment:${pass}`);
    }
    const indices = order.splice(0, training.batchSize);
    const pixels = await train.readPixels(indices);
    let floats: Float32Array = Float32Array.from(pixels, (v) => v / 255);
    if (isAugmenting(augment)) floats = augmentBatch(floats, [indices.length, h, w, c], augment, random);
    const rate = rangeTestRate(step, options);
    setLearningRate(optimizer, rate);
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(floats, [indices.length, h, w, c]);
      const oneHot = tf.cast(tf.oneHot(tf.tensor1d(indices.map((i) => train.labels[i]), 'int32'), classCount), 'float32') as tf.Tensor2D;
      const value = optimizer.minimize(() => lossFn(oneHot, model.apply(x, { training: true }) as tf.Tensor2D), true, variables);
      return value ? value.dataSync()[0] : Number.NaN;
    });
    if (!Number.isFinite(loss)) {
      end = 'diverged';
      break;
    }
    average = options.smoothing * average + (1 - options.smoothing) * loss;
    const smoothedLoss = average / (1 - options.smoothing ** (step + 1));
    const point = { step, rate, loss, smoothedLoss };
    points.push(point);
    await input.onPoint?.(point);
    lowest = Math.min(lowest, smoothedLoss);
    if (step > 0 && smoothedLoss > options.divergence * lowest) {
      end = 'diverged';
      break;
    }
  }
  return { points, ...suggestLearningRate(points), end };
}
