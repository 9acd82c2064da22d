// Layer normalisation over the last axis, written with broadcasting ops only.
// tfjs-layers' own layerNormalization tiles gamma/beta, and Tile's gradient costs one Slice + Add per
// tile element: with it a small transformer takes ~24 s per batch on wasm instead of ~0.3 s.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleShape, singleTensor, type LayerArgs, type LayerCallArgs } from './layerArgs';

export interface LayerNormArgs extends LayerArgs {
  /** Added to the variance before the square root; keeps the output finite for constant inputs. */
  epsilon?: number;
}

/** y = (x - mean) / sqrt(var + epsilon) * gamma + beta, with mean and var over the last axis. */
export class LayerNorm extends tfl.layers.Layer {
  static className = 'LayerNorm';
  readonly epsilon: number;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: LayerNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    const features = shape[shape.length - 1];
    if (features == null) throw new Error(`${this.name}: the last axis of the input must have a known size.`);
    this.gamma = this.addWeight('gamma', [features], 'float32', tfl.initializers.ones());
    this.beta = this.addWeight('beta', [features], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: LayerCallArgs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      const { mean, variance } = tf.moments(x, -1, true);
      const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normalised, this.gamma!.read()), this.beta!.read());
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return singleShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
