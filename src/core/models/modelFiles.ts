// Saving and loading a model as a folder holding model.json + weights.bin, the layout tfjs-node's
// `file://` saver writes, without needing tfjs-node.
import { promises as fs } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { replaceDirAtomic } from '../runs/atomicFile';
import { modelToArtifacts, WEIGHTS_FILE, type ModelArtifacts, type ModelArtifactsOptions } from './modelArtifacts';
import { registerModelLayers } from './registerModelLayers';

const MODEL_JSON = 'model.json';

/** A model folder that cannot be read back: the message names the file and what is wrong with it. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

/** How a model folder is written. */
export type SaveModelOptions = ModelArtifactsOptions;

/**
 * Writes `dir/model.json` (tfjs layers-model format: modelTopology, weightsManifest, format,
 * generatedBy, convertedBy, and trainingConfig when the model is compiled) and `dir/weights.bin`
 * (every weight as little-endian float32, in manifest order). The folder is swapped in atomically:
 * a reader sees the old model or the new one, never a topology without its weights.
 */
export async function saveModelToDir(model: tfl.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<void> {
  await writeModelArtifacts(dir, await modelToArtifacts(model, options));
}

/** Writes serialised model artifacts as a model folder (model.json + weights.bin), swapped in atomically. */
export async function writeModelArtifacts(dir: string, artifacts: ModelArtifacts): Promise<void> {
  const json = JSON.stringify(artifacts.modelJson);
  await replaceDirAtomic(dir, async (tmpDir) => {
    await fs.writeFile(join(tmpDir, MODEL_JSON), json, 'utf8');
    await fs.writeFile(join(tmpDir, WEIGHTS_FILE), artifacts.weights);
  });
}

/**
 * Loads a folder written by saveModelToDir (or by tfjs-node's `model.save('file://...')`, or a
 * converter's sharded layout). When model.json carries a training config and optimiser weights, the
 * model comes back compiled with that optimiser's state restored.
 */
export async function loadModelFromDir(dir: string): Promise<tfl.LayersModel> {
  registerModelLayers();
  const jsonPath = join(dir, MODEL_JSON);
  const modelJson = parseModelJson(await readModelFile(jsonPath, 'utf8'), jsonPath);
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const files: Uint8Array[] = [];
    for (const group of manifest) {
      for (const path of group.paths) files.push(await readModelFile(weightsFilePath(dir, path, jsonPath), null));
    }
    const data = tf.io.CompositeArrayBuffer.join(files.map(toArrayBuffer));
    checkWeightBytes(specs, data.byteLength, manifest, jsonPath);
    return [specs, data];
  });
  try {
    return await tfl.loadLayersModel({ load: async () => artifacts });
  } catch (error) {
    throw new ModelFileError(`${jsonPath} describes a model that cannot be rebuilt: ${(error as Error).message}`);
  }
}

async function readModelFile(path: string, encoding: 'utf8'): Promise<string>;
async function readModelFile(path: string, encoding: null): Promise<Uint8Array>;
async function readModelFile(path: string, encoding: 'utf8' | null): Promise<string | Uint8Array> {
  try {
    return encoding === null ? await fs.readFile(path) : await fs.readFile(path, encoding);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(`Model file not found: ${path}`);
    throw new ModelFileError(`Cannot read model file ${path}: ${(error as Error).message}`);
  }
}

function parseModelJson(text: string, jsonPath: string): tf.io.ModelJSON {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(`${jsonPath} is not valid JSON (${(error as Error).message}); the file is probably truncated or corrupt.`);
  }
  const json = value as Partial<tf.io.ModelJSON> | null;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ModelFileError(`${jsonPath} is not a TensorFlow.js model: expected a JSON object.`);
  }
  if (json.modelTopology === null || typeof json.modelTopology !== 'object') {
    throw new ModelFileError(`${jsonPath} is not a TensorFlow.js model: it has no modelTopology.`);
  }
  const manifest: unknown = json.weightsManifest;
  const validManifest = Array.isArray(manifest) && manifest.every((group: unknown) => {
    const g = group as Partial<tf.io.WeightsManifestConfig[number]> | null;
    return g !== null && typeof g === 'object' && Array.isArray(g.paths) && g.paths.every((p: unknown) => typeof p === 'string') &&
      Array.isArray(g.weights) && g.weights.every((w: tf.io.WeightsManifestEntry | null) => w !== null && typeof w === 'object' &&
        typeof w.name === 'string' && Array.isArray(w.shape) && typeof w.dtype === 'string');
  });
  if (!validManifest) {
    throw new ModelFileError(`${jsonPath} has no valid weightsManifest (a list of {paths, weights} groups).`);
  }
  return json as tf.io.ModelJSON;
}

/** Weight files must sit inside the model folder: model.json is untrusted and must not point elsewhere. */
function weightsFilePath(dir: string, path: string, jsonPath: string): string {
  const relative = normalize(path);
  if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
    throw new ModelFileError(`${jsonPath} names a weights file outside its folder: ${path}`);
  }
  return join(dir, relative);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2,
};

/** tfjs would read past the end of short weights silently (as garbage or zeros): check the size first. */
function checkWeightBytes(
  specs: tf.io.WeightsManifestEntry[],
  actualBytes: number,
  manifest: tf.io.WeightsManifestConfig,
  jsonPath: string,
): void {
  let expected = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const size = BYTES_PER_ELEMENT[dtype];
    // Strings have a variable length: nothing to check against.
    if (size === undefined) return;
    expected += spec.shape.reduce((a, b) => a * b, 1) * size;
  }
  if (actualBytes !== expected) {
    const files = manifest.flatMap((group) => group.paths).join(', ');
    const problem = actualBytes < expected ? 'is too short' : 'is longer than expected';
    throw new ModelFileError(
      `The weights file ${files} ${problem}: it holds ${actualBytes} bytes but ${jsonPath} describes ${expected}. ` +
      'The model folder is incomplete or its files come from different saves.');
  }
}
