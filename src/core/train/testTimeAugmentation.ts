// Test-time augmentation: class probabilities averaged over an image and its mirror image.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TtaKind } from '../runSpec';

/**
 * The model's probabilities [batch, classes] for images x [batch, h, w, c]; with 'flip', the mean of
 * the probabilities for x and for x mirrored left to right (twice the inference work).
 */
export function predictProbabilities(model: tfl.LayersModel, x: tf.Tensor4D, tta: TtaKind | undefined): tf.Tensor2D {
  if (tta === undefined || tta === 'none') return model.predict(x) as tf.Tensor2D;
  return tf.tidy(() => {
    const direct = model.predict(x) as tf.Tensor2D;
    const mirrored = model.predict(tf.reverse(x, 2)) as tf.Tensor2D;
    return tf.div(tf.add(direct, mirrored), 2) as tf.Tensor2D;
  });
}
