// Types shared by the custom layers, taken from tfjs-layers' public Layer class (its argument types are not exported).
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Constructor arguments every tfjs layer accepts (name, trainable, inputShape...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** The keyword arguments tfjs passes to `Layer.call` (e.g. `training`). */
export type LayerCallArgs = Parameters<tfl.layers.Layer['call']>[1];

/** The one input of a single-input layer, whatever form tfjs hands it over in. */
export function singleTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** The one input shape of a single-input layer. */
export function singleShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
  return Array.isArray(inputShape[0]) ? (inputShape as tfl.Shape[])[0] : (inputShape as tfl.Shape);
}
