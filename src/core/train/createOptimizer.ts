// The optimiser named in a run spec, built fresh for each run, and the one way to change its learning rate.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../runSpec';
import { AdamW, SGDW } from './decoupledWeightDecay';

export function createOptimizer(
  training: Pick<TrainingSpec, 'optimizer' | 'learningRate' | 'momentum' | 'weightDecay' | 'nesterov'>,
): tf.Optimizer {
  const weightDecay = training.weightDecay ?? 0;
  const nesterov = training.nesterov ?? false;
  switch (training.optimizer) {
    case 'adam':
      return weightDecay > 0 ? new AdamW(training.learningRate, 0.9, 0.999, null, weightDecay) : tf.train.adam(training.learningRate);
    case 'sgd':
      if (weightDecay > 0) return new SGDW(training.learningRate, training.momentum, nesterov, weightDecay);
      return training.momentum > 0
        ? tf.train.momentum(training.learningRate, training.momentum, nesterov)
        : tf.train.sgd(training.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(training.learningRate);
  }
}

/** The rate the optimiser applies at its next step. */
export function learningRateOf(optimizer: tf.Optimizer): number {
  const config = optimizer.getConfig() as { learningRate?: number };
  return typeof config.learningRate === 'number' ? config.learningRate : Number.NaN;
}

/**
 * Sets the rate of the optimiser's next step (a schedule calls this before every step). SGD and
 * momentum keep the negated rate as a tensor, which their own setter replaces; Adam, RMSProp and the
 * other tfjs optimisers read their `learningRate` field at every step.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  if (learningRateOf(optimizer) === rate) return;
  // Not `instanceof tf.SGDOptimizer`: tfjs' Optimizer classes answer instanceof for any optimiser.
  const settable = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (typeof settable.setLearningRate === 'function') settable.setLearningRate(rate);
  else settable.learningRate = rate;
}
