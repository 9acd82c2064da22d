// Trains a model for real on generated images and measures held-out accuracy (test helper).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SyntheticImages } from './syntheticImages';

export function toTensors(data: SyntheticImages): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.tensor4d(data.pixels, [data.labels.length, ...data.shape]),
    y: tf.cast(tf.oneHot(tf.tensor1d(data.labels, 'int32'), data.classes), 'float32') as tf.Tensor2D,
  }));
}

/** Fits with Adam on `train` and returns the accuracy on `test`. */
export async function trainAndScore(
  model: tfl.LayersModel,
  train: SyntheticImages,
  test: SyntheticImages,
  options: { epochs: number; learningRate: number; batchSize?: number },
): Promise<number> {
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'categoricalCrossentropy' });
  const trainData = toTensors(train);
  const testData = toTensors(test);
  try {
    await model.fit(trainData.x, trainData.y, { epochs: options.epochs, batchSize: options.batchSize ?? 32, shuffle: true, verbose: 0 });
    return accuracy(model, testData.x, test.labels);
  } finally {
    tf.dispose([trainData.x, trainData.y, testData.x, testData.y]);
  }
}

export function accuracy(model: tfl.LayersModel, x: tf.Tensor4D, labels: Int32Array): number {
  const predicted = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, -1).dataSync());
  let correct = 0;
  labels.forEach((label, i) => { if (predicted[i] === label) correct++; });
  return correct / labels.length;
}
