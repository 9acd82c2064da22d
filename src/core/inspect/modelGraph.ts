// A saved model's layer graph as plain data, read from model.json alone (no TensorFlow.js): layers
// with their kind, output shape and parameter count, and the edges between them, for the diagram.
import { isRecord, type Fields } from '../guards';

/** What a layer does, for colouring the diagram. */
export type LayerKind =
  | 'input'
  | 'convolution'
  | 'pooling'
  | 'recurrent'
  | 'attention'
  | 'normalisation'
  | 'dense'
  | 'activation'
  | 'embedding'
  | 'dropout'
  | 'reshape'
  | 'merge'
  | 'other';

/** A tensor shape with null for unknown sizes (the batch axis first), as Keras writes it. */
export type TensorShape = (number | null)[];

export interface LayerWeight {
  /** As in the weights manifest, e.g. `conv1/kernel`. */
  name: string;
  shape: number[];
  dtype: string;
}

export interface LayerNode {
  name: string;
  /** The Keras class name: Conv2D, LSTM, LayerNorm... */
  className: string;
  kind: LayerKind;
  /** Output shape of the layer's first call; undefined when it cannot be worked out from the config. */
  outputShape?: TensorShape;
  /** Number of weights the layer owns (trainable or not), from the weights manifest. */
  parameterCount: number;
  trainable: boolean;
  /** The layer's configuration as saved (initialisers, activation, sizes...). */
  config: Record<string, unknown>;
  /** Names of the layers feeding this one, in input order; empty for inputs. */
  inputs: string[];
  weights: LayerWeight[];
}

export interface LayerEdge {
  from: string;
  to: string;
  /** The shape of the tensor flowing along the edge (the source's output shape). */
  shape?: TensorShape;
}

export interface ModelGraph {
  name: string;
  /** In topological order: every layer comes after the layers feeding it. */
  layers: LayerNode[];
  edges: LayerEdge[];
  inputs: string[];
  outputs: string[];
  totalParameters: number;
  trainableParameters: number;
}

/** Statistics of one weight tensor of a saved model (see weightStatistics.ts). */
export interface WeightStatistics {
  /** As in the manifest, e.g. `conv1/kernel`. */
  name: string;
  shape: number[];
  dtype: string;
  count: number;
  /** Over the finite values; undefined when there are none (or the dtype is not float32). */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  zeros: number;
  nan: number;
  infinite: number;
  /** Counts of finite values in `histogram.length` equal bins spanning [min, max]. */
  histogram: number[];
}

export interface LayerWeightStatistics {
  layer: string;
  weights: WeightStatistics[];
}

/** model.json is not a layers model this reader understands; the message says what is wrong. */
export class ModelGraphError extends Error {
  override readonly name = 'ModelGraphError';
}

type Json = Fields;

interface RawLayer {
  name: string;
  className: string;
  config: Json;
  inputs: string[];
}

/** The first match wins, so order matters: ConvLSTM2D is recurrent, GlobalAveragePooling1D is pooling. */
const KIND_PATTERNS: [RegExp, LayerKind][] = [
  [/^InputLayer$/, 'input'],
  [/Attention/i, 'attention'],
  [/^(LSTM|GRU|SimpleRNN|RNN|Bidirectional|ConvLSTM\dD|StackedRNNCells)$/, 'recurrent'],
  [/Pooling/, 'pooling'],
  [/Conv/, 'convolution'],
  [/Norm/i, 'normalisation'],
  [/^Dense$/, 'dense'],
  [/^(Activation|ReLU|Softmax|LeakyReLU|PReLU|ELU|ThresholdedReLU)$/, 'activation'],
  [/Embedding/, 'embedding'],
  [/Dropout|Noise/, 'dropout'],
  [/^(Reshape|Flatten|Permute|RepeatVector|ZeroPadding\dD|Cropping\dD|UpSampling\dD)$/, 'reshape'],
  [/^(Add|Subtract|Multiply|Average|Maximum|Minimum|Concatenate|Dot)$/, 'merge'],
];

export function layerKindOf(className: string): LayerKind {
  for (const [pattern, kind] of KIND_PATTERNS) if (pattern.test(className)) return kind;
  return 'other';
}

/**
 * Parses a TensorFlow.js layers-model model.json (functional `Model` or `Sequential` topology) into
 * a layer graph. Parameter counts come from the weights manifest (weights are named `<layer>/<weight>`);
 * output shapes are worked out from each layer's configuration for the common Keras layers and this
 * project's custom layers, and left undefined for others.
 */
export function parseModelGraph(modelJson: unknown): ModelGraph {
  if (!isRecord(modelJson)) throw new ModelGraphError('model.json is not a JSON object.');
  let topology = modelJson.modelTopology;
  if (!isRecord(topology)) throw new ModelGraphError('model.json has no modelTopology.');
  // Files written by Keras' converter wrap the topology once more.
  if (isRecord(topology.model_config)) topology = topology.model_config;
  const topologyObject = topology as Json;
  const className = typeof topologyObject.class_name === 'string' ? topologyObject.class_name : '';
  const config = topologyObject.config;
  let raw: { name: string; layers: RawLayer[]; inputs: string[]; outputs: string[] };
  if (className === 'Sequential') raw = readSequential(config);
  else if (className === 'Model' || className === 'Functional') raw = readFunctional(config);
  else throw new ModelGraphError(`model.json holds a ${className || 'model of unknown type'}, not a layers model.`);

  const weightsByLayer = groupWeights(modelJson.weightsManifest, new Set(raw.layers.map((layer) => layer.name)));
  const ordered = topologicalOrder(raw.layers);
  const shapes = new Map<string, TensorShape | undefined>();
  const layers: LayerNode[] = [];
  for (const layer of ordered) {
    const inputShapes = layer.inputs.map((input) => shapes.get(input));
    const outputShape = inferOutputShape(layer.className, layer.config, inputShapes);
    shapes.set(layer.name, outputShape);
    const weights = weightsByLayer.get(layer.name) ?? [];
    layers.push({
      name: layer.name,
      className: layer.className,
      kind: layerKindOf(layer.className),
      ...(outputShape === undefined ? {} : { outputShape }),
      parameterCount: weights.reduce((sum, weight) => sum + weight.shape.reduce((a, b) => a * b, 1), 0),
      trainable: layer.config.trainable !== false,
      config: layer.config,
      inputs: layer.inputs,
      weights,
    });
  }
  const edges: LayerEdge[] = [];
  for (const layer of layers) {
    for (const input of layer.inputs) {
      const shape = shapes.get(input);
      edges.push({ from: input, to: layer.name, ...(shape === undefined ? {} : { shape }) });
    }
  }
  const totalParameters = layers.reduce((sum, layer) => sum + layer.parameterCount, 0);
  const trainableParameters = layers.reduce((sum, layer) => sum + (layer.trainable ? layer.parameterCount : 0), 0);
  return { name: raw.name, layers, edges, inputs: raw.inputs, outputs: raw.outputs, totalParameters, trainableParameters };
}

function layerName(value: Json, fallback: string): string {
  if (typeof value.name === 'string') return value.name;
  const config = value.config;
  if (isRecord(config) && typeof config.name === 'string') return config.name;
  return fallback;
}

function readLayerHeader(value: unknown, index: number): { name: string; className: string; config: Json } {
  if (!isRecord(value)) throw new ModelGraphError(`Layer ${index + 1} of model.json is not an object.`);
  const className = typeof value.class_name === 'string' ? value.class_name : 'Unknown';
  const config = isRecord(value.config) ? value.config : {};
  return { name: layerName(value, `layer_${index + 1}`), className, config };
}

function readFunctional(config: unknown): { name: string; layers: RawLayer[]; inputs: string[]; outputs: string[] } {
  if (!isRecord(config) || !Array.isArray(config.layers)) throw new ModelGraphError('model.json has no list of layers.');
  const layers = config.layers.map((value: unknown, index): RawLayer => {
    const header = readLayerHeader(value, index);
    return { ...header, inputs: inboundLayers((value as Json).inbound_nodes) };
  });
  const known = new Set(layers.map((layer) => layer.name));
  for (const layer of layers) {
    const missing = layer.inputs.find((input) => !known.has(input));
    if (missing !== undefined) throw new ModelGraphError(`Layer ${layer.name} is fed by ${missing}, which model.json does not define.`);
  }
  return {
    name: typeof config.name === 'string' ? config.name : 'model',
    layers,
    inputs: endpointNames(config.input_layers),
    outputs: endpointNames(config.output_layers),
  };
}

/**
 * Sequential models list layers in order without inbound nodes; the first layer's
 * batch_input_shape describes an implicit input, which becomes an explicit InputLayer node.
 */
function readSequential(config: unknown): { name: string; layers: RawLayer[]; inputs: string[]; outputs: string[] } {
  const list = Array.isArray(config) ? config : isRecord(config) && Array.isArray(config.layers) ? config.layers : undefined;
  if (list === undefined) throw new ModelGraphError('model.json has no list of layers.');
  const headers = list.map((value: unknown, index) => readLayerHeader(value, index));
  const layers: RawLayer[] = [];
  let previous: string | undefined;
  const first = headers[0];
  if (first !== undefined && first.className !== 'InputLayer' && Array.isArray(first.config.batch_input_shape)) {
    const inputName = `${first.name}_input`;
    layers.push({ name: inputName, className: 'InputLayer', config: { batch_input_shape: first.config.batch_input_shape, name: inputName }, inputs: [] });
    previous = inputName;
  }
  for (const header of headers) {
    layers.push({ ...header, inputs: previous === undefined ? [] : [previous] });
    previous = header.name;
  }
  const name = isRecord(config) && typeof config.name === 'string' ? config.name : 'sequential';
  return { name, layers, inputs: layers.length > 0 ? [layers[0].name] : [], outputs: previous === undefined ? [] : [previous] };
}

/** inbound_nodes: [[[layerName, nodeIndex, tensorIndex, kwargs], ...] per call]; the first call's inputs. */
function inboundLayers(inboundNodes: unknown): string[] {
  if (!Array.isArray(inboundNodes) || inboundNodes.length === 0) return [];
  const firstCall: unknown = inboundNodes[0];
  if (!Array.isArray(firstCall)) return [];
  const names: string[] = [];
  for (const entry of firstCall) {
    const name: unknown = Array.isArray(entry) ? entry[0] : undefined;
    if (typeof name === 'string' && !names.includes(name)) names.push(name);
  }
  return names;
}

function endpointNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => (Array.isArray(entry) && typeof entry[0] === 'string' ? [entry[0]] : []));
}

/** Weights named `<layer>/<weight>` by layer; optimiser slots (`<layer>/<weight>/m`) and others are left out. */
function groupWeights(manifest: unknown, layerNames: ReadonlySet<string>): Map<string, LayerWeight[]> {
  const byLayer = new Map<string, LayerWeight[]>();
  if (!Array.isArray(manifest)) return byLayer;
  for (const group of manifest) {
    if (!isRecord(group) || !Array.isArray(group.weights)) continue;
    for (const weight of group.weights) {
      if (!isRecord(weight) || typeof weight.name !== 'string' || !Array.isArray(weight.shape)) continue;
      const slash = weight.name.indexOf('/');
      if (slash <= 0) continue;
      const owner = weight.name.slice(0, slash);
      if (!layerNames.has(owner) || weight.name.indexOf('/', slash + 1) >= 0) continue;
      const shape = weight.shape.filter((n): n is number => typeof n === 'number');
      const list = byLayer.get(owner) ?? [];
      list.push({ name: weight.name, shape, dtype: typeof weight.dtype === 'string' ? weight.dtype : 'float32' });
      byLayer.set(owner, list);
    }
  }
  return byLayer;
}

/** Depth-first, keeping the file's order where it already is topological; cycles are refused. */
function topologicalOrder(layers: RawLayer[]): RawLayer[] {
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: RawLayer[] = [];
  const visit = (layer: RawLayer): void => {
    const seen = state.get(layer.name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new ModelGraphError(`model.json has a cycle through layer ${layer.name}.`);
    state.set(layer.name, 'visiting');
    for (const input of layer.inputs) {
      const inbound = byName.get(input);
      if (inbound !== undefined) visit(inbound);
    }
    state.set(layer.name, 'done');
    ordered.push(layer);
  };
  for (const layer of layers) visit(layer);
  return ordered;
}

function numberList(value: unknown, length: number, fallback: number[]): number[] {
  if (typeof value === 'number') return Array.from({ length }, () => value);
  if (Array.isArray(value) && value.length === length && value.every((n) => typeof n === 'number')) return value as number[];
  return fallback;
}

/** Keras' conv_output_length: sizes along one spatial axis. */
function convLength(size: number | null, kernel: number, stride: number, padding: string, dilation: number): number | null {
  if (size === null) return null;
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(size / stride);
  return Math.max(0, Math.floor((size - effective) / stride) + 1);
}

function product(shape: TensorShape): number | null {
  let total = 1;
  for (const n of shape) {
    if (n === null) return null;
    total *= n;
  }
  return total;
}

/** Layers whose output has the shape of their (first) input. */
const SHAPE_PRESERVING = new Set([
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
  'Activation', 'ReLU', 'Softmax', 'LeakyReLU', 'PReLU', 'ELU', 'ThresholdedReLU',
  'BatchNormalization', 'LayerNormalization', 'LayerNorm', 'PositionEmbedding', 'MultiHeadSelfAttention',
  'BatchNorm', 'Scale',
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Masking',
]);

/** The output shape for the layer types this project's models use and the common Keras ones; undefined otherwise. */
function inferOutputShape(className: string, config: Json, inputShapes: (TensorShape | undefined)[]): TensorShape | undefined {
  if (className === 'InputLayer') {
    const shape = config.batch_input_shape ?? config.batch_shape;
    return Array.isArray(shape) ? shape.map((n) => (typeof n === 'number' ? n : null)) : undefined;
  }
  const input = inputShapes[0];
  if (input === undefined) return undefined;
  if (SHAPE_PRESERVING.has(className)) return [...input];
  const channelsLast = config.data_format !== 'channels_first';
  switch (className) {
    case 'Dense':
      return typeof config.units === 'number' ? [...input.slice(0, -1), config.units] : undefined;
    case 'Flatten':
      return [input[0], product(input.slice(1))];
    case 'Reshape': {
      if (!Array.isArray(config.target_shape)) return undefined;
      const target = config.target_shape.map((n) => (typeof n === 'number' ? n : -1));
      const known = target.filter((n) => n !== -1).reduce((a, b) => a * b, 1);
      const total = product(input.slice(1));
      return [input[0], ...target.map((n) => (n === -1 ? (total === null || known === 0 ? null : total / known) : n))];
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'SeparableConv2D':
    case 'DepthwiseConv2D': {
      const rank = className === 'Conv1D' ? 1 : className === 'Conv3D' ? 3 : 2;
      if (!channelsLast || input.length !== rank + 2) return undefined;
      const kernel = numberList(config.kernel_size, rank, Array.from({ length: rank }, () => 1));
      const strides = numberList(config.strides, rank, Array.from({ length: rank }, () => 1));
      const dilation = numberList(config.dilation_rate, rank, Array.from({ length: rank }, () => 1));
      const padding = typeof config.padding === 'string' ? config.padding : 'valid';
      const spatial = input.slice(1, 1 + rank).map((n, i) => convLength(n, kernel[i], strides[i], padding, dilation[i]));
      const inChannels = input[input.length - 1];
      const channels = className === 'DepthwiseConv2D'
        ? (inChannels === null ? null : inChannels * (typeof config.depth_multiplier === 'number' ? config.depth_multiplier : 1))
        : typeof config.filters === 'number' ? config.filters : null;
      return [input[0], ...spatial, channels];
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const rank = className.endsWith('1D') ? 1 : 2;
      if (!channelsLast || input.length !== rank + 2) return undefined;
      const poolValue = config.pool_size ?? config.pool_length;
      const pool = numberList(poolValue, rank, Array.from({ length: rank }, () => 2));
      const strides = config.strides === null || config.strides === undefined ? pool : numberList(config.strides, rank, pool);
      const padding = typeof config.padding === 'string' ? config.padding : 'valid';
      const spatial = input.slice(1, 1 + rank).map((n, i) => convLength(n, pool[i], strides[i], padding, 1));
      return [input[0], ...spatial, input[input.length - 1]];
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return channelsLast ? [input[0], input[input.length - 1]] : [input[0], input[1]];
    case 'LSTM':
    case 'GRU':
    case 'SimpleRNN': {
      if (typeof config.units !== 'number' || input.length !== 3) return undefined;
      return config.return_sequences === true ? [input[0], input[1], config.units] : [input[0], config.units];
    }
    case 'Embedding':
      return typeof config.output_dim === 'number' ? [...input, config.output_dim] : undefined;
    case 'Concatenate': {
      const all = inputShapes;
      if (all.some((shape) => shape === undefined)) return undefined;
      const rank = input.length;
      const axisValue = typeof config.axis === 'number' ? config.axis : -1;
      const axis = axisValue < 0 ? rank + axisValue : axisValue;
      const out = [...input];
      let sum: number | null = 0;
      for (const shape of all as TensorShape[]) {
        const n = shape[axis];
        sum = sum === null || n === null || n === undefined ? null : sum + n;
      }
      out[axis] = sum;
      return out;
    }
    default:
      return undefined;
  }
}
