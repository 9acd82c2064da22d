// Builds the model a run spec names, and counts its parameters.
import type * as tfl from '@tensorflow/tfjs-layers';
import { MODEL_KINDS, type ImageShape, type ModelSpec } from '../runSpec';
import { RunSpecError } from '../runSpecDefaults';
import { createAttention } from './createAttention';
import { createCnn } from './createCnn';
import { createResnet } from './createResnet';
import { createRnn } from './createRnn';

/** A fresh, uncompiled model: input [batch, ...inputShape] floats in [0, 1], output softmax [batch, numClasses]. */
export function createModel(spec: ModelSpec, inputShape: ImageShape, numClasses: number): tfl.LayersModel {
  switch (spec.kind) {
    case 'cnn':
      return createCnn(spec.options, inputShape, numClasses);
    case 'rnn':
      return createRnn(spec.options, inputShape, numClasses);
    case 'attention':
      return createAttention(spec.options, inputShape, numClasses);
    case 'resnet':
      return createResnet(spec.options, inputShape, numClasses);
    default:
      // Reached only by a spec read from an untrusted file.
      throw new RunSpecError(`Unknown model kind "${(spec as { kind: unknown }).kind}": use one of ${MODEL_KINDS.join(', ')}.`);
  }
}

/** Trainable and non-trainable weights, as Keras' model.summary() counts them. */
export function countParameters(model: tfl.LayersModel): number {
  return model.countParams();
}
