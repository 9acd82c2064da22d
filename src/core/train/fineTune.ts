// Which weights a training step updates: all of them, or only the classifier head while fine-tuning starts frozen.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainingSpec } from '../runSpec';

function variablesOf(weights: tfl.LayerVariable[]): tf.Variable[] {
  return weights.map((weight) => weight.read() as tf.Variable);
}

/**
 * The variables to train in `epoch` (1-based). Without frozen epochs: every trainable weight, in the
 * model's order. With `freezeEpochs` N: only the head's (the last layer's) for epochs 1..N, then all
 * of them with the head's first: tfjs optimisers keep their state (momenta) by position in this list,
 * so the head keeps its own state when the rest joins, in one run or after a resume.
 */
export function trainableVariablesAt(model: tfl.LayersModel, training: Pick<TrainingSpec, 'freezeEpochs'>, epoch: number): tf.Variable[] {
  const all = variablesOf(model.trainableWeights);
  const frozenEpochs = training.freezeEpochs ?? 0;
  if (frozenEpochs === 0) return all;
  const head = variablesOf(model.layers[model.layers.length - 1].trainableWeights);
  if (epoch <= frozenEpochs) return head;
  return [...head, ...all.filter((variable) => !head.includes(variable))];
}
