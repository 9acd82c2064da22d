// Finds the parts of a layers model the saliency methods need: the class score before the softmax,
// and for Grad-CAM the last convolution with the chain of single-input layers after it.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

type Layer = tfl.layers.Layer;

function inboundLayers(layer: Layer): Layer[] {
  return layer.inboundNodes.flatMap((node) => node.inboundLayers);
}

/** The layer producing the model's (single) output. */
export function outputLayer(model: tfl.LayersModel): Layer {
  const output = model.outputs[0];
  return output.sourceLayer as Layer;
}

/**
 * Class scores [batch, classes] from the output layer's input: the logits when the output layer is a
 * softmax Dense (so confident predictions still have gradients), else the output itself.
 */
export function classScores(layer: Layer, features: tf.Tensor): tf.Tensor2D {
  const config = layer.getConfig();
  if (layer.getClassName() === 'Dense' && config.activation === 'softmax') {
    const [kernel, bias] = layer.getWeights();
    const logits = tf.matMul(features as tf.Tensor2D, kernel as tf.Tensor2D);
    return (config.useBias === false || bias === undefined ? logits : tf.add(logits, bias)) as tf.Tensor2D;
  }
  return layer.apply(features, { training: false }) as tf.Tensor2D;
}

export interface ConvolutionChain {
  /** The last Conv2D layer: its activations [1, h', w', k] are what Grad-CAM weighs. */
  convolution: Layer;
  /** Layers from the input to the convolution, inclusive, in order (for the receptive-field geometry). */
  toConvolution: Layer[];
  /** Layers after the convolution up to, not including, the output layer, in order. */
  head: Layer[];
}

/**
 * The last convolution when everything between it and the output is a plain chain (each layer has
 * one input, the previous one): true of the CNN, not of the attention model (residual adds).
 */
export function findConvolutionChain(model: tfl.LayersModel): ConvolutionChain | undefined {
  const layers = model.layers;
  let index = -1;
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i].getClassName() === 'Conv2D') {
      index = i;
      break;
    }
  }
  if (index < 0) return undefined;
  const last = outputLayer(model);
  const head: Layer[] = [];
  let previous = layers[index];
  for (let i = index + 1; i < layers.length; i++) {
    const layer = layers[i];
    const inputs = inboundLayers(layer);
    if (layer.inboundNodes.length !== 1 || inputs.length !== 1 || inputs[0] !== previous) return undefined;
    if (previous.outboundNodes.length !== 1) return undefined;
    if (layer === last) {
      if (i !== layers.length - 1) return undefined;
      return { convolution: layers[index], toConvolution: chainTo(layers[index]), head };
    }
    head.push(layer);
    previous = layer;
  }
  return undefined;
}

/** Layers from the model input to `layer` following first inputs (a chain for the CNN). */
function chainTo(layer: Layer): Layer[] {
  const chain: Layer[] = [];
  let current: Layer | undefined = layer;
  while (current) {
    chain.unshift(current);
    current = inboundLayers(current)[0];
  }
  return chain;
}
