// Multiplies its input by a fixed number: the ResNet's down-scaled logits, saved with the model.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleShape, singleTensor, type LayerArgs, type LayerCallArgs } from './layerArgs';

export interface ScaleArgs extends LayerArgs {
  scale: number;
}

/** y = scale * x; no weights. */
export class Scale extends tfl.layers.Layer {
  static className = 'Scale';
  readonly scale: number;

  constructor(args: ScaleArgs) {
    super(args);
    this.scale = args.scale;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: LayerCallArgs): tf.Tensor {
    return tf.tidy(() => tf.mul(singleTensor(inputs), this.scale));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return singleShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}
