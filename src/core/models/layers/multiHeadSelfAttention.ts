// Multi-head scaled dot-product self-attention over a sequence of embeddings.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { singleShape, singleTensor, type LayerArgs, type LayerCallArgs } from './layerArgs';

export interface MultiHeadSelfAttentionArgs extends LayerArgs {
  /** Number of heads; must divide the embedding size. */
  heads: number;
}

/**
 * Input and output [batch, tokens, features]. Queries, keys and values come from one fused
 * [features, 3 * features] projection; each head attends over `features / heads` of them, and an
 * output projection mixes the heads back together.
 */
export class MultiHeadSelfAttention extends tfl.layers.Layer {
  static className = 'MultiHeadSelfAttention';
  readonly heads: number;
  private qkvKernel: tfl.LayerVariable | null = null;
  private qkvBias: tfl.LayerVariable | null = null;
  private outputKernel: tfl.LayerVariable | null = null;
  private outputBias: tfl.LayerVariable | null = null;

  constructor(args: MultiHeadSelfAttentionArgs) {
    super(args);
    if (!Number.isInteger(args.heads) || args.heads < 1) throw new Error(`Attention heads must be a positive whole number (got ${args.heads}).`);
    this.heads = args.heads;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    const features = shape[shape.length - 1];
    if (shape.length !== 3 || features == null) {
      throw new Error(`${this.name}: expected input [batch, tokens, features], got [${shape.join(', ')}].`);
    }
    if (features % this.heads !== 0) {
      throw new Error(`${this.name}: ${this.heads} heads do not divide the embedding size ${features}.`);
    }
    this.qkvKernel = this.addWeight('qkv_kernel', [features, 3 * features], 'float32', tfl.initializers.glorotUniform({}));
    this.qkvBias = this.addWeight('qkv_bias', [3 * features], 'float32', tfl.initializers.zeros());
    this.outputKernel = this.addWeight('output_kernel', [features, features], 'float32', tfl.initializers.glorotUniform({}));
    this.outputBias = this.addWeight('output_bias', [features], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: LayerCallArgs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      const [batch, tokens, features] = x.shape;
      const heads = this.heads;
      const headSize = features / heads;
      // [batch * tokens, 3 * features]
      const qkv = tf.fused.matMul({
        a: tf.reshape(x, [batch * tokens, features]), b: this.qkvKernel!.read() as tf.Tensor2D, bias: this.qkvBias!.read(),
      });
      // Each of q, k, v: [batch * tokens, features] -> [batch * heads, tokens, headSize].
      const perHead = (t: tf.Tensor): tf.Tensor3D => tf.reshape(
        tf.transpose(tf.reshape(t, [batch, tokens, heads, headSize]), [0, 2, 1, 3]),
        [batch * heads, tokens, headSize],
      );
      const [q, k, v] = tf.split(qkv, 3, 1).map(perHead);
      // [batch * heads, tokens, tokens]; softmax over the keys.
      const weights = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headSize)));
      // [batch * heads, tokens, headSize] -> [batch * tokens, features]
      const context = tf.reshape(
        tf.transpose(tf.reshape(tf.matMul(weights, v), [batch, heads, tokens, headSize]), [0, 2, 1, 3]),
        [batch * tokens, features],
      );
      const out = tf.fused.matMul({ a: context, b: this.outputKernel!.read() as tf.Tensor2D, bias: this.outputBias!.read() });
      return tf.reshape(out, [batch, tokens, features]);
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return singleShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads };
  }
}
