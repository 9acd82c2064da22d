// Saving and loading a model as a folder holding model.json + weights.bin, the layout tfjs-node's
// `file://` saver writes, without needing tfjs-node. Model files are untrusted input: sizes are capped
// and the topology may not ask for more weights than the manifest holds.
import { promises as fs } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readableDir, replaceDirAtomic } from '../runs/atomicFile';
import { nodeFileOps, type FileOps } from '../runs/fileOps';
import { modelToArtifacts, WEIGHTS_FILE, type ModelArtifacts, type ModelArtifactsOptions } from './modelArtifacts';
import { registerModelLayers } from './registerModelLayers';
import { ModelFileError } from './modelFileError';
import { withWeightBudget } from './weightBudget';
import { errorMessage } from '../errorMessage';

export { ModelFileError };

const MODEL_JSON = 'model.json';

/** Largest model.json read: ours are tens of kilobytes, converted Keras models a few hundred. */
export const MAX_MODEL_JSON_BYTES = 4 * 1024 * 1024;
/** Largest total of weight files loaded: 64 million float32 weights, hundreds of times our models. */
export const MAX_MODEL_WEIGHTS_BYTES = 256 * 1024 * 1024;
/** Most layers a topology may have (ours have about twenty). */
export const MAX_MODEL_LAYERS = 2_000;

export interface SaveModelOptions extends ModelArtifactsOptions {
  /** The calls that write the files (fault-injection tests replace them). */
  ops?: FileOps;
}

/**
 * Writes `dir/model.json` (tfjs layers-model format: modelTopology, weightsManifest, format,
 * generatedBy, convertedBy, and trainingConfig when the model is compiled) and `dir/weights.bin`
 * (every weight as little-endian float32, in manifest order). The folder is swapped in atomically:
 * a reader sees the old model or the new one, never a topology without its weights.
 */
export async function saveModelToDir(model: tfl.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<void> {
  const artifacts = await modelToArtifacts(model, options);
  await replaceDirAtomic(dir, (tmpDir) => writeModelArtifacts(tmpDir, artifacts, options.ops), options.ops);
}

/** Writes model.json and weights.bin (as saveModelToDir does) into the existing empty folder `dir`. */
export async function writeModelFiles(model: tfl.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<void> {
  await writeModelArtifacts(dir, await modelToArtifacts(model, options), options.ops);
}

/** Writes serialised model artifacts as model.json and weights.bin into the existing empty folder `dir`. */
export async function writeModelArtifacts(dir: string, artifacts: ModelArtifacts, ops: FileOps = nodeFileOps): Promise<void> {
  await ops.writeFile(join(dir, MODEL_JSON), JSON.stringify(artifacts.modelJson));
  await ops.writeFile(join(dir, WEIGHTS_FILE), artifacts.weights);
}

/**
 * Loads a folder written by saveModelToDir (or by tfjs-node's `model.save('file://...')`, or a
 * converter's sharded layout). When model.json carries a training config and optimiser weights, the
 * model comes back compiled with that optimiser's state restored. When `dir` is missing because a save
 * was caught mid-swap (a crash), the complete folder that swap left is loaded instead.
 * Refuses, with a ModelFileError and before building anything, a model.json over MAX_MODEL_JSON_BYTES,
 * weights over MAX_MODEL_WEIGHTS_BYTES, more than MAX_MODEL_LAYERS layers, weight files that do not
 * match the manifest, and a topology whose layers ask for more weights than the manifest holds.
 */
export async function loadModelFromDir(dir: string): Promise<tfl.LayersModel> {
  registerModelLayers();
  for (let attempt = 0; ; attempt++) {
    const folder = (await readableDir(dir)) ?? dir;
    try {
      return await loadModelFiles(folder, dir);
    } catch (error) {
      // The folder was swapped away by its writer while we read it: read the new one.
      const vanished = error instanceof ModelFileError && error.vanished;
      if (!vanished || attempt >= 2) throw error;
    }
  }
}

async function loadModelFiles(folder: string, dir: string): Promise<tfl.LayersModel> {
  const jsonPath = join(folder, MODEL_JSON);
  const shownJsonPath = join(dir, MODEL_JSON);
  const modelJson = parseModelJson(await readModelFile(jsonPath, 'utf8', MAX_MODEL_JSON_BYTES, shownJsonPath), shownJsonPath);
  checkLayerCount(modelJson, shownJsonPath);
  const manifest = modelJson.weightsManifest;
  const paths = manifest.flatMap((group) => group.paths.map((path) => weightsFilePath(folder, path, shownJsonPath)));
  let totalBytes = 0;
  for (const path of paths) {
    totalBytes += await fileSize(path, shownJsonPath);
    if (totalBytes > MAX_MODEL_WEIGHTS_BYTES) {
      throw new ModelFileError(`The weights of ${shownJsonPath} are larger than ${MAX_MODEL_WEIGHTS_BYTES / (1024 * 1024)} MiB: not a model this extension trains, so it is not loaded.`);
    }
  }
  const specs = manifest.flatMap((group) => group.weights);
  checkManifestSize(specs, totalBytes, manifest, shownJsonPath);
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async () => {
    const files: Uint8Array[] = [];
    for (const path of paths) files.push(await readModelFile(path, null, MAX_MODEL_WEIGHTS_BYTES, path));
    const data = tf.io.CompositeArrayBuffer.join(files.map(toArrayBuffer));
    checkManifestSize(specs, data.byteLength, manifest, shownJsonPath);
    return [specs, data];
  });
  // Layers allocate their weights while the topology is rebuilt: never more than the manifest holds.
  const budget = specs.filter((spec) => spec.group !== 'optimizer').reduce((sum, spec) => sum + elementCount(spec.shape), 0);
  try {
    return await withWeightBudget(budget, () => tfl.loadLayersModel({ load: async () => artifacts }));
  } catch (error) {
    throw new ModelFileError(`${shownJsonPath} describes a model that cannot be rebuilt: ${errorMessage(error)}`);
  }
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The number of layers of a Sequential or functional topology (nested models counted too). */
function countLayers(config: unknown, depth = 0): number {
  if (depth > 16 || typeof config !== 'object' || config === null) return 0;
  const layers = (config as { config?: { layers?: unknown } }).config?.layers;
  if (!Array.isArray(layers)) return 0;
  return layers.reduce((sum: number, layer: unknown) => sum + 1 + countLayers(layer, depth + 1), 0);
}

function checkLayerCount(json: tf.io.ModelJSON, jsonPath: string): void {
  const topology = json.modelTopology as { model_config?: unknown };
  const layers = countLayers(topology.model_config ?? topology);
  if (layers > MAX_MODEL_LAYERS) {
    throw new ModelFileError(`${jsonPath} describes ${layers} layers, more than the ${MAX_MODEL_LAYERS} a model may have here: it is not loaded.`);
  }
}

async function fileSize(path: string, jsonPath: string): Promise<number> {
  try {
    return (await fs.stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ModelFileError(`Model file not found: ${path}`, { vanished: true });
    throw new ModelFileError(`Cannot read model file ${path} (named by ${jsonPath}): ${errorMessage(error)}`);
  }
}

async function readModelFile(path: string, encoding: 'utf8', maxBytes: number, shownPath: string): Promise<string>;
async function readModelFile(path: string, encoding: null, maxBytes: number, shownPath: string): Promise<Uint8Array>;
async function readModelFile(path: string, encoding: 'utf8' | null, maxBytes: number, shownPath: string): Promise<string | Uint8Array> {
  let bytes: Buffer;
  try {
    const handle = await fs.open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) {
        throw new ModelFileError(`${shownPath} is ${(size / (1024 * 1024)).toFixed(1)} MiB, more than the ${(maxBytes / (1024 * 1024)).toFixed(0)} MiB such a file may be: it is not loaded.`);
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(`Model file not found: ${shownPath}`, { vanished: true });
    throw new ModelFileError(`Cannot read model file ${shownPath}: ${errorMessage(error)}`);
  }
  return encoding === null ? bytes : bytes.toString('utf8');
}

function parseModelJson(text: string, jsonPath: string): tf.io.ModelJSON {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(`${jsonPath} is not valid JSON (${errorMessage(error)}); the file is probably truncated or corrupt.`);
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
        typeof w.name === 'string' && Array.isArray(w.shape) &&
        w.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0) && typeof w.dtype === 'string');
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
function checkManifestSize(
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
    expected += elementCount(spec.shape) * size;
  }
  if (actualBytes !== expected) {
    const files = manifest.flatMap((group) => group.paths).join(', ');
    const problem = actualBytes < expected ? 'is too short' : 'is longer than expected';
    throw new ModelFileError(
      `The weights file ${files} ${problem}: it holds ${actualBytes} bytes but ${jsonPath} describes ${expected}. ` +
      'The model folder is incomplete or its files come from different saves.');
  }
}
