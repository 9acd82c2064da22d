// A model as plain data (its model.json object and its weight bytes): what a model folder holds, and
// what crosses between threads when training is split across worker threads.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerModelLayers } from './registerModelLayers';

/** The weights file every model folder we write names in its manifest. */
export const WEIGHTS_FILE = 'weights.bin';

export interface ModelArtifacts {
  /** The model.json content: topology, one-group weights manifest, training config when compiled. */
  modelJson: tf.io.ModelJSON;
  /** Every weight as little-endian float32, in manifest order (then the optimiser's, when included). */
  weights: Uint8Array;
}

export interface ModelArtifactsOptions {
  /** Also carry the optimiser's state (Adam moments, iteration count) so training can continue from it. */
  includeOptimizer?: boolean;
}

/** Serialises a model (and, optionally, its optimiser's state) without touching the disk. */
export async function modelToArtifacts(model: tfl.LayersModel, options: ModelArtifactsOptions = {}): Promise<ModelArtifacts> {
  let result: ModelArtifacts | undefined;
  const handler = tf.io.withSaveHandler(async (artifacts) => {
    const weightData = artifacts.weightData ?? new ArrayBuffer(0);
    result = { modelJson: toModelJson(artifacts), weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData)) };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
  // tfjs-layers' save leaves the optimizer's iteration-count scalar undisposed; the scope reclaims it
  // (weights are variables, which scopes never dispose). The scope spans awaits, so tensors that other
  // code creates while a save is in flight would be reclaimed too: callers await saves between batches.
  tf.engine().startScope();
  try {
    await model.save(handler, { includeOptimizer: options.includeOptimizer ?? false });
  } finally {
    tf.engine().endScope();
  }
  if (result === undefined) throw new Error('The model produced nothing to save.');
  return result;
}

/** Rebuilds a model from its artifacts; compiled, with the optimiser's state, when they carry them. */
export async function modelFromArtifacts(artifacts: ModelArtifacts): Promise<tfl.LayersModel> {
  registerModelLayers();
  const bytes = artifacts.weights;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const loaded = await tf.io.getModelArtifactsForJSON(artifacts.modelJson, async (manifest) => {
    return [manifest.flatMap((group) => group.weights), buffer];
  });
  return tfl.loadLayersModel({ load: async () => loaded });
}

/** The same fields, in the same order, as tfjs' own model.json writers. */
function toModelJson(artifacts: tf.io.ModelArtifacts): tf.io.ModelJSON {
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('Only layers models (with a JSON topology) can be saved.');
  }
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.signature !== undefined) json.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata !== undefined) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer !== undefined) json.modelInitializer = artifacts.modelInitializer;
  if (artifacts.initializerSignature !== undefined) json.initializerSignature = artifacts.initializerSignature;
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  return json;
}
