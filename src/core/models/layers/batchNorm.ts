// Batch normalisation over the channels of [batch, height, width, channels] images, fast on the wasm backend.
// tfjs-layers' batchNormalization reduces with Sum/Mean kernels over the leading axes and its gradient
// tiles the inverse deviation to the whole input: on wasm that made one BN layer cost about as much as
// the convolution before it (Tile alone ~120 ms for a [64,16,16,64] batch). Here every reduction is a
// sum down the rows of a [rows, channels] view (on wasm one vectorised pass, see wasmReductions.ts),
// everything else broadcasts over the channel axis, and the backward pass is written out by hand
// (tf.customGrad) instead of differentiating the forward ops.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleShape, singleTensor, type LayerArgs, type LayerCallArgs } from './layerArgs';

export interface BatchNormArgs extends LayerArgs {
  /**
   * Weight of the old value in the moving averages of mean and variance: moving = momentum * moving
   * + (1 - momentum) * batch. Keras' default is 0.99; short runs want faster statistics (0.9 here).
   */
  momentum?: number;
  /** Added to the variance before the square root. */
  epsilon?: number;
}

/**
 * The per-channel sums of a [rows, channels] matrix as [1, channels]. (A product with a row of ones,
 * which this once was, makes XNNPACK repack the whole matrix as weights on every call: 5 ms for
 * [8192, 32] where a sum down the rows takes a fraction of a millisecond.)
 */
function columnSums(m: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(m, 0, true);
}

/**
 * Training mode: y = (x - mean) / sqrt(var + epsilon) * gamma + beta with the batch's per-channel mean
 * and (biased) variance, and the moving averages of both updated. Inference: the moving averages
 * instead. Weights: gamma, beta (trainable), moving_mean, moving_variance (non-trainable), all [channels].
 */
export class BatchNorm extends tfl.layers.Layer {
  static className = 'BatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;
  private movingMean: tfl.LayerVariable | null = null;
  private movingVariance: tfl.LayerVariable | null = null;

  constructor(args: BatchNormArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`${this.name}: the channel axis of the input must have a known size.`);
    this.gamma = this.addWeight('gamma', [channels], 'float32', tfl.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tfl.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tfl.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tfl.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: LayerCallArgs): tf.Tensor {
    const x = singleTensor(inputs);
    const gamma = this.gamma!.read();
    const beta = this.beta!.read();
    if (kwargs?.training !== true) {
      return tf.tidy(() => {
        const scale = tf.mul(gamma, tf.rsqrt(tf.add(this.movingVariance!.read(), this.epsilon)));
        const shift = tf.sub(beta, tf.mul(this.movingMean!.read(), scale));
        return tf.add(tf.mul(x, scale), shift);
      });
    }
    return tf.tidy(() => {
      const channels = x.shape[x.shape.length - 1];
      const rows = x.size / channels;
      const flat = tf.reshape(x, [rows, channels]) as tf.Tensor2D;
      // Two passes (mean first, then the variance of the centred values) stay accurate when |mean| >> std.
      const mean = tf.div(columnSums(flat), rows) as tf.Tensor2D;
      const centred = tf.sub(flat, mean) as tf.Tensor2D;
      const variance = tf.div(columnSums(tf.square(centred)), rows) as tf.Tensor2D;
      const inverseStd = tf.rsqrt(tf.add(variance, this.epsilon)) as tf.Tensor2D;
      this.updateMovingAverages(tf.reshape(mean, [channels]), tf.reshape(variance, [channels]));
      const normalise = tf.customGrad((_input, g, b, save) => {
        const scale = tf.mul(g as tf.Tensor, inverseStd);
        (save as tf.GradSaveFunc)([centred, inverseStd, scale]);
        return {
          value: tf.add(tf.mul(centred, scale), b as tf.Tensor),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const [xc, inv, k] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
            const dy2 = dy as tf.Tensor2D;
            const dBeta = columnSums(dy2);
            // sum(dy * xhat) with xhat = xc * inv.
            const dGamma = tf.mul(columnSums(tf.mul(dy2, xc) as tf.Tensor2D), inv);
            // dx = k * (dy - dBeta / n - xhat * dGamma / n), regrouped so the big tensors see 3 broadcasts.
            const perCentred = tf.neg(tf.div(tf.mul(tf.mul(k, inv), dGamma), rows));
            const perOne = tf.neg(tf.div(tf.mul(k, dBeta), rows));
            const dx = tf.add(tf.add(tf.mul(dy2, k), tf.mul(xc, perCentred)), perOne);
            return [dx, tf.reshape(dGamma, [channels]), tf.reshape(dBeta, [channels])];
          },
        };
      });
      const y = normalise(flat, gamma, beta) as tf.Tensor;
      return tf.reshape(y, x.shape);
    });
  }

  private updateMovingAverages(mean: tf.Tensor, variance: tf.Tensor): void {
    tf.tidy(() => {
      for (const [moving, batch] of [[this.movingMean!, mean], [this.movingVariance!, variance]] as const) {
        const old = moving.read();
        moving.write(tf.add(tf.mul(old, this.momentum), tf.mul(batch, 1 - this.momentum)));
      }
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return singleShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
