// A learned position embedding for a sequence of patch embeddings.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleShape, singleTensor, type LayerCallArgs } from './layerArgs';

/**
 * Adds a trainable [sequenceLength, features] weight to each [batch, sequenceLength, features] input.
 * The add broadcasts over the batch, so the gradient is a plain sum (no Tile or Gather, which are
 * very slow or missing on the wasm backend).
 */
export class PositionEmbedding extends tfl.layers.Layer {
  static className = 'PositionEmbedding';
  private embedding: tfl.LayerVariable | null = null;

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    const [length, features] = [shape[shape.length - 2], shape[shape.length - 1]];
    if (shape.length !== 3 || length == null || features == null) {
      throw new Error(`${this.name}: expected input [batch, sequence, features] with known sizes, got [${shape.join(', ')}].`);
    }
    this.embedding = this.addWeight('embedding', [length, features], 'float32',
      tfl.initializers.truncatedNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: LayerCallArgs): tf.Tensor {
    return tf.tidy(() => tf.add(singleTensor(inputs), this.embedding!.read()));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return singleShape(inputShape);
  }
}
