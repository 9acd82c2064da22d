// Changes a tfjs optimiser's learning rate between steps (schedules, the learning-rate finder).
import type * as tf from '@tensorflow/tfjs-core';

interface WithLearningRate {
  learningRate?: unknown;
  setLearningRate?: (rate: number) => void;
}

/** The optimiser's current learning rate, or NaN when it has none. */
export function learningRateOf(optimizer: tf.Optimizer): number {
  const rate = (optimizer as unknown as WithLearningRate).learningRate;
  return typeof rate === 'number' ? rate : Number.NaN;
}

/**
 * Sets the rate the next applyGradients uses. Adam and RMSProp read their `learningRate` field on every
 * step; SGD and momentum cache it as a scalar tensor, which their own setLearningRate replaces.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  if (learningRateOf(optimizer) === rate) return;
  const target = optimizer as unknown as WithLearningRate;
  if (typeof target.setLearningRate === 'function') target.setLearningRate(rate);
  else target.learningRate = rate;
}
