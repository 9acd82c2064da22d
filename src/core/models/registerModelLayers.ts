// Makes the custom layers known to tfjs' deserialiser, so saved models that use them load again.
import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from './layers/batchNorm';
import { LayerNorm } from './layers/layerNorm';
import { MultiHeadSelfAttention } from './layers/multiHeadSelfAttention';
import { PositionEmbedding } from './layers/positionEmbedding';
import { Scale } from './layers/scale';
import { registerOptimizers } from '../train/decoupledWeightDecay';

/**
 * Registers every custom layer class by its className, and our optimisers (a checkpoint's model.json
 * names its optimiser). Safe to call any number of times (and from
 * two copies of this module): registering a name again simply points it at the same kind of class.
 */
export function registerModelLayers(): void {
  tf.serialization.registerClass(LayerNorm);
  tf.serialization.registerClass(PositionEmbedding);
  tf.serialization.registerClass(MultiHeadSelfAttention);
  tf.serialization.registerClass(BatchNorm);
  tf.serialization.registerClass(Scale);
  registerOptimizers();
}
