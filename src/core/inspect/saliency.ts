// Saliency maps that explain one prediction: a gradient-weighted class activation map (Grad-CAM
// family) for models whose last convolution feeds a plain chain of layers (the CNN), integrated
// gradients for the others (RNN, attention). Plain input gradients were tried for the RNN first: an
// LSTM's score is most sensitive to the last rows it reads, so they lit up the bottom row of noise
// instead of the square that decided the class; integrated gradients pointed at the square.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { featureMapping, normalise, stretchMapping, upsample } from './saliencyGeometry';
import { classScores, findConvolutionChain, outputLayer, type ConvolutionChain } from './saliencyLayers';
import type { SaliencyMap, SaliencyMethod } from './saliencyMap';

export interface SaliencyOptions {
  /** Default: grad-cam when the model allows it, else integrated-gradients. */
  method?: SaliencyMethod;
  /** Integrated gradients: points on the path from a black image whose gradients are averaged. Default 16. */
  steps?: number;
}

/** The method `computeSaliency` uses by default for this model. */
export function defaultSaliencyMethod(model: tfl.LayersModel): SaliencyMethod {
  return findConvolutionChain(model) ? 'grad-cam' : 'integrated-gradients';
}

// Sub-models sharing the model's layers (and weights), built once per model and output.
const subModels = new WeakMap<tfl.LayersModel, Map<string, tfl.LayersModel>>();

/** A model from the model's input to `output` (a layer's symbolic tensor). */
function subModel(model: tfl.LayersModel, output: tfl.SymbolicTensor): tfl.LayersModel {
  let byOutput = subModels.get(model);
  if (!byOutput) {
    byOutput = new Map();
    subModels.set(model, byOutput);
  }
  let sub = byOutput.get(output.name);
  if (!sub) {
    sub = tfl.model({ inputs: model.inputs, outputs: output });
    byOutput.set(output.name, sub);
  }
  return sub;
}

function gradCam(model: tfl.LayersModel, image: tf.Tensor4D, classIndex: number, chain: ConvolutionChain): SaliencyMap {
  const [, height, width] = image.shape;
  const last = outputLayer(model);
  const extractor = subModel(model, chain.convolution.output as tfl.SymbolicTensor);
  const cam = tf.tidy(() => {
    const activations = extractor.apply(image, { training: false }) as tf.Tensor4D; // [1, h', w', k]
    const score = (a: tf.Tensor): tf.Scalar => {
      let x: tf.Tensor = a;
      for (const layer of chain.head) x = layer.apply(x, { training: false }) as tf.Tensor;
      return tf.squeeze(tf.slice(classScores(last, x), [0, classIndex], [1, 1])) as tf.Scalar;
    };
    const gradients = tf.grad(score)(activations); // [1, h', w', k]
    // Each activation weighed by its own positive gradient (LayerCAM, Jiang et al. 2021) rather than by
    // its channel's mean gradient (the original Grad-CAM): the CNN's head is flatten + dense, so where
    // a feature counts lives in the dense weights, and channel means would light up every square a
    // channel detects wherever it is, including places the class ignores.
    return tf.squeeze(tf.relu(tf.sum(tf.mul(activations, tf.relu(gradients)), -1)), [0]).arraySync() as number[][];
  });
  const rows = cam.length;
  const columns = cam[0].length;
  const mapping = featureMapping(chain.toConvolution) ?? [stretchMapping(height, rows), stretchMapping(width, columns)];
  return {
    method: 'grad-cam',
    classIndex,
    layer: chain.convolution.name,
    values: normalise(upsample(cam, height, width, mapping[0], mapping[1])),
  };
}

function integratedGradients(model: tfl.LayersModel, image: tf.Tensor4D, classIndex: number, options: SaliencyOptions): SaliencyMap {
  const steps = Math.max(1, Math.floor(options.steps ?? 16));
  const last = outputLayer(model);
  const features = subModel(model, last.input as tfl.SymbolicTensor);
  const map = tf.tidy(() => {
    // Points along the straight path from a black image to this one, at the midpoints of `steps`
    // equal segments, as one batch [steps, h, w, c].
    const fractions = tf.tensor4d(Array.from({ length: steps }, (_, i) => (i + 0.5) / steps), [steps, 1, 1, 1]);
    const path = tf.mul(fractions, image);
    // Summing over the batch gives each point the gradient of its own score.
    const score = (x: tf.Tensor): tf.Scalar =>
      tf.sum(tf.slice(classScores(last, features.apply(x, { training: false }) as tf.Tensor), [0, classIndex], [-1, 1])) as tf.Scalar;
    const gradients = tf.grad(score)(path); // [steps, h, w, c]
    // Attribution = (pixel - black) x mean gradient along the path; its size, largest channel per pixel.
    const attribution = tf.mul(image, tf.mean(gradients, 0, true)); // [1, h, w, c]
    return tf.squeeze(tf.max(tf.abs(attribution), -1), [0]).arraySync() as number[][]; // [h, w]
  });
  return { method: 'integrated-gradients', classIndex, values: normalise(map) };
}

/**
 * A heat map [height][width] in [0, 1] of what the model weighed to score `classIndex` for one
 * image. `image` is the model input [1, h, w, c] as the model sees it (floats in [0, 1]).
 */
export function computeSaliency(model: tfl.LayersModel, image: tf.Tensor4D, classIndex: number, options: SaliencyOptions = {}): SaliencyMap {
  if (image.shape[0] !== 1) throw new Error(`saliency explains one image at a time (got a batch of ${image.shape[0]})`);
  const classes = model.outputs[0].shape[1];
  if (!Number.isInteger(classIndex) || classIndex < 0 || (classes !== null && classIndex >= classes)) {
    throw new Error(`class index ${classIndex} is outside the model's ${classes} classes`);
  }
  const method = options.method ?? defaultSaliencyMethod(model);
  if (method === 'grad-cam') {
    const chain = findConvolutionChain(model);
    if (!chain) throw new Error('Grad-CAM needs a convolution followed by a plain chain of layers; use integrated gradients for this model');
    return gradCam(model, image, classIndex, chain);
  }
  return integratedGradients(model, image, classIndex, options);
}
