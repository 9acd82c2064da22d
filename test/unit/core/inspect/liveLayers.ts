// The layers of a live TensorFlow.js model as plain data: the reference the graph read from model.json
// (src/core/inspect/modelGraph.ts) is checked against.
import type * as tfl from '@tensorflow/tfjs-layers';

export interface LiveLayer {
  name: string;
  /** The layer's Keras class name: Conv2D, Dense, LSTM, LayerNorm... */
  className: string;
  /** Output shape with null for the batch axis, e.g. [null, 30, 30, 32]; one shape per output when it has several. */
  outputShape: (number | null)[] | (number | null)[][];
  /** Weights the layer owns (trainable or not). */
  parameterCount: number;
  /** Names of the layers feeding this one, in input order; empty for the input layer. */
  inputs: string[];
}

/**
 * Layers in the model's topological order (inputs first). A layer that feeds the model but is not
 * listed in model.layers (a Sequential model's implicit input) is listed too, so every name in
 * `inputs` refers to an entry.
 */
export function liveLayers(model: tfl.LayersModel): LiveLayer[] {
  const summaries: LiveLayer[] = [];
  const listed = new Set<string>();
  const add = (layer: tfl.layers.Layer): void => {
    if (listed.has(layer.name)) return;
    const inputs = inboundLayersOf(layer);
    for (const inbound of inputs) if (!model.layers.includes(inbound)) add(inbound);
    listed.add(layer.name);
    summaries.push({
      name: layer.name,
      className: layer.getClassName(),
      outputShape: outputShapeOf(layer),
      parameterCount: layer.countParams(),
      inputs: inputs.map((inbound) => inbound.name),
    });
  };
  for (const layer of model.layers) add(layer);
  return summaries;
}

function inboundLayersOf(layer: tfl.layers.Layer): tfl.layers.Layer[] {
  const seen = new Set<tfl.layers.Layer>();
  for (const node of layer.inboundNodes) for (const inbound of node.inboundLayers) seen.add(inbound);
  return [...seen];
}

function outputShapeOf(layer: tfl.layers.Layer): (number | null)[] | (number | null)[][] {
  let shape: tfl.Shape | tfl.Shape[];
  try {
    shape = layer.outputShape;
  } catch {
    // A layer called on several inputs of different shapes has no single output shape: take its first call's.
    shape = layer.inboundNodes[0]?.outputShapes ?? [];
  }
  return Array.isArray(shape[0]) ? (shape as tfl.Shape[]).map((s) => [...s]) : [...(shape as tfl.Shape)];
}
