// Statistics of a saved model's weights, read straight from weights.bin and the manifest in model.json
// (no TensorFlow.js): per weight tensor min/max/mean/std, zero, NaN and infinite counts, and a histogram.
import { promises as fs } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { ModelGraphError, type LayerWeightStatistics, type WeightStatistics } from './modelGraph';
import { errorMessage } from '../errorMessage';

const HISTOGRAM_BINS = 20;

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Statistics of one tensor's values. */
export function summarizeValues(values: Float32Array, bins = HISTOGRAM_BINS): Omit<WeightStatistics, 'name' | 'shape' | 'dtype'> {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let zeros = 0;
  let nan = 0;
  let infinite = 0;
  for (const value of values) {
    if (Number.isNaN(value)) { nan += 1; continue; }
    if (!Number.isFinite(value)) { infinite += 1; continue; }
    if (value === 0) zeros += 1;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    finite += 1;
  }
  const histogram = new Array<number>(bins).fill(0);
  if (finite === 0) return { count: values.length, zeros, nan, infinite, histogram };
  const mean = sum / finite;
  let squares = 0;
  const width = (max - min) / bins;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    squares += (value - mean) * (value - mean);
    const bin = width > 0 ? Math.min(bins - 1, Math.floor((value - min) / width)) : 0;
    histogram[bin] += 1;
  }
  return { count: values.length, min, max, mean, std: Math.sqrt(squares / finite), zeros, nan, infinite, histogram };
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
}

/**
 * The statistics of every weight of `layerName` (weights named `<layer>/...`) in a model folder written
 * by saveModelToDir or tfjs' file saver: weights.bin holds each manifest entry's values back to back,
 * little-endian, across the manifest's files in order.
 */
export async function readLayerWeightStatistics(modelDir: string, layerName: string): Promise<LayerWeightStatistics> {
  const jsonPath = join(modelDir, 'model.json');
  let manifest: unknown;
  try {
    manifest = (JSON.parse(await fs.readFile(jsonPath, 'utf8')) as { weightsManifest?: unknown }).weightsManifest;
  } catch (error) {
    throw new ModelGraphError(`Cannot read the weights manifest of ${jsonPath}: ${errorMessage(error)}`);
  }
  if (!Array.isArray(manifest)) throw new ModelGraphError(`${jsonPath} has no weights manifest.`);
  const entries: ManifestEntry[] = [];
  const files: string[] = [];
  for (const group of manifest as { paths?: unknown; weights?: unknown }[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) throw new ModelGraphError(`${jsonPath} has a malformed weights manifest.`);
    for (const path of group.paths) files.push(insideFolder(modelDir, String(path), jsonPath));
    for (const weight of group.weights as { name?: unknown; shape?: unknown; dtype?: unknown }[]) {
      if (typeof weight?.name !== 'string' || !Array.isArray(weight.shape)) throw new ModelGraphError(`${jsonPath} has a malformed weights manifest.`);
      entries.push({ name: weight.name, shape: weight.shape.map(Number), dtype: typeof weight.dtype === 'string' ? weight.dtype : 'float32' });
    }
  }
  const wanted = entries.filter((entry) => entry.name.startsWith(`${layerName}/`) && entry.name.indexOf('/', layerName.length + 1) < 0);
  if (wanted.length === 0) return { layer: layerName, weights: [] };
  const data = Buffer.concat(await Promise.all(files.map((file) => fs.readFile(file))));
  const weights: WeightStatistics[] = [];
  let offset = 0;
  for (const entry of entries) {
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const bytes = count * (BYTES_PER_ELEMENT[entry.dtype] ?? 4);
    if (wanted.includes(entry)) {
      if (offset + bytes > data.length) throw new ModelGraphError(`The weights of ${modelDir} are shorter than model.json describes.`);
      if (entry.dtype === 'float32') {
        // Copy: the slice's byte offset may not be a multiple of 4.
        const values = new Float32Array(count);
        for (let i = 0; i < count; i++) values[i] = data.readFloatLE(offset + i * 4);
        weights.push({ name: entry.name, shape: entry.shape, dtype: entry.dtype, ...summarizeValues(values) });
      } else {
        weights.push({ name: entry.name, shape: entry.shape, dtype: entry.dtype, count, zeros: 0, nan: 0, infinite: 0, histogram: [] });
      }
    }
    offset += bytes;
  }
  return { layer: layerName, weights };
}

function insideFolder(dir: string, path: string, jsonPath: string): string {
  const relative = normalize(path);
  if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
    throw new ModelGraphError(`${jsonPath} names a weights file outside its folder: ${path}`);
  }
  return join(dir, relative);
}
