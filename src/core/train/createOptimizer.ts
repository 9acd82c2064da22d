// The optimiser named in a run spec, built fresh for each run.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../runSpec';

export function createOptimizer(training: Pick<TrainingSpec, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  switch (training.optimizer) {
    case 'adam':
      return tf.train.adam(training.learningRate);
    case 'sgd':
      return training.momentum > 0
        ? tf.train.momentum(training.learningRate, training.momentum)
        : tf.train.sgd(training.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(training.learningRate);
  }
}
