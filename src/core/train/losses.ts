// Training losses on softmax probabilities [batch, classes] against one-hot targets [batch, classes].
import * as tf from '@tensorflow/tfjs-core';
import type { LossKind } from '../runSpec';

/** Keeps log() finite when a probability reaches 0 or 1. */
const EPSILON = 1e-7;

export type LossFunction = (oneHot: tf.Tensor2D, probabilities: tf.Tensor2D) => tf.Scalar;

export function createLoss(kind: LossKind, labelSmoothing = 0): LossFunction {
  switch (kind) {
    case 'crossentropy':
      return (oneHot, probabilities) => tf.tidy(() => {
        const classes = oneHot.shape[1];
        const targets = labelSmoothing > 0
          ? tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / classes)
          : oneHot;
        const logP = tf.log(tf.clipByValue(probabilities, EPSILON, 1 - EPSILON));
        return tf.neg(tf.mean(tf.sum(tf.mul(targets, logP), -1))) as tf.Scalar;
      });
    case 'mse':
      return (oneHot, probabilities) => tf.tidy(() => tf.mean(tf.squaredDifference(probabilities, oneHot)) as tf.Scalar);
  }
}

/** The Keras name of the loss, stored in model.json's training config. */
export function kerasLossName(kind: LossKind): string {
  return kind === 'crossentropy' ? 'categoricalCrossentropy' : 'meanSquaredError';
}

/**
 * The same loss computed in plain numbers from softmax probabilities [count, classes] and class
 * indices: the mean over the examples. Used where predictions arrive as arrays (evaluation).
 */
export function lossOfProbabilities(
  kind: LossKind,
  labelSmoothing: number,
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  classCount: number,
): number {
  const count = labels.length;
  if (count === 0) return 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const row = i * classCount;
    let example = 0;
    for (let k = 0; k < classCount; k++) {
      const target = (k === labels[i] ? 1 : 0);
      const p = probabilities[row + k];
      if (kind === 'crossentropy') {
        const smoothed = labelSmoothing > 0 ? target * (1 - labelSmoothing) + labelSmoothing / classCount : target;
        if (smoothed !== 0) example -= smoothed * Math.log(Math.min(Math.max(p, EPSILON), 1 - EPSILON));
      } else {
        example += (p - target) * (p - target) / classCount;
      }
    }
    total += example;
  }
  return total / count;
}
