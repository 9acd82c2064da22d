// The dataset pass over a binary dataset (CIFAR-10/100 batches, IDX files): the engine's reader loads
// the records at their native size; pixels at other shapes go through the same preprocessing training uses.
import { createHash } from 'node:crypto';
import type { Dataset, ExampleSource } from '../data/dataset';
import { toModelInput } from '../data/imagePreprocess';
import { loadDataset } from '../data/loadDataset';
import type { ImageShape, ResolvedDatasetFormat } from '../runSpec';
import { ANALYSIS_SIDE, CHUNK_IMAGES, sameShape, type DatasetPass, type PassImage } from './datasetPass';
import type { Split } from './datasetReport';

/** Pixels of one native example at `shape`, exactly as a binary dataset loaded at that size holds them. */
function reshape(native: Uint8Array, from: ImageShape, to: ImageShape): Uint8Array {
  if (sameShape(from, to)) return native;
  return toModelInput({ height: from[0], width: from[1], channels: from[2] as 1 | 3, data: native }, to);
}

export async function openBinaryPass(
  root: string,
  format: Exclude<ResolvedDatasetFormat, 'folder'>,
  options: { cifar100Labels: 'fine' | 'coarse'; signal?: AbortSignal },
): Promise<DatasetPass> {
  // The reader's warnings name the batch files it skipped: they become unreadable findings instead.
  const dataset: Dataset = await loadDataset(
    { path: root, format, valSplit: 0, cifar100Labels: options.cifar100Labels },
    { signal: options.signal, onWarning: () => undefined, decodeWorkers: 0 },
  );
  const native = dataset.imageShape;
  const analysisShape: ImageShape = native[0] <= ANALYSIS_SIDE && native[1] <= ANALYSIS_SIDE
    ? native
    : [ANALYSIS_SIDE, ANALYSIS_SIDE, native[2]];
  const splits: [Split, ExampleSource][] = [['train', dataset.train]];
  if (dataset.test) splits.push(['test', dataset.test]);
  const nativeBytes = native[0] * native[1] * native[2];
  return {
    format,
    root: dataset.root,
    classes: dataset.classes,
    analysisShape,
    total: splits.reduce((n, [, source]) => n + source.count, 0),
    unreadable: dataset.skipped,
    odd: [],
    classFolder: () => undefined,
    async *chunks(shapes, signal) {
      for (const [split, source] of splits) {
        for (let start = 0; start < source.count; start += CHUNK_IMAGES) {
          signal?.throwIfAborted();
          const indices = Array.from({ length: Math.min(CHUNK_IMAGES, source.count - start) }, (_, k) => start + k);
          const pixels = await source.readPixels(indices);
          const images: PassImage[] = [];
          const outputs = shapes.map((shape) => (sameShape(shape, native) ? pixels : new Uint8Array(indices.length * shape[0] * shape[1] * shape[2])));
          indices.forEach((index, k) => {
            const record = pixels.subarray(k * nativeBytes, (k + 1) * nativeBytes);
            images.push({
              source: source.sourceOf(index), split, classIndex: source.labels[index],
              contentHash: createHash('sha1').update(record).digest('hex'),
            });
            shapes.forEach((shape, s) => {
              if (outputs[s] !== pixels) outputs[s].set(reshape(record, native, shape), k * shape[0] * shape[1] * shape[2]);
            });
          });
          yield { images, pixels: outputs, failures: new Map() };
        }
      }
    },
  };
}
