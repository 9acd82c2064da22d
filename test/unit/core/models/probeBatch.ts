// A fixed batch of 4 images of a given shape, the same in every process (test helper).
import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from '../../../../src/core/runSpec';
import { brightQuadrantImages } from './syntheticImages';

export function probeBatch([h, w, c]: ImageShape): tf.Tensor4D {
  const size = Math.max(h, w);
  const images = brightQuadrantImages(4, size, c, 'probe');
  // Crop to h x w when the model is not square.
  return tf.tidy(() => tf.slice(tf.tensor4d(images.pixels, [4, size, size, c]), [0, 0, 0, 0], [4, h, w, c]));
}
