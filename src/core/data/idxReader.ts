// Reads an MNIST-family dataset stored as IDX files (raw or gzipped): train-* is the training set,
// t10k-* or test-* the test set. Class names are the label values present, as strings ('0'..'9').
import { resolve } from 'node:path';
import type { ImageShape } from '../runSpec';
import { makeBinaryDataset, type NativeExamples } from './binaryDataset';
import { DatasetError, type Dataset } from './dataset';
import { readIdxFile } from './idxFile';
import { findIdxLayout, type IdxPair } from './idxLayout';
import type { ReaderOptions } from './readerOptions';
import { requireFolder } from './requireFolder';

interface IdxSplit {
  pair: IdxPair;
  shape: ImageShape;
  pixels: Uint8Array;
  /** Raw label values. */
  values: Uint8Array;
}

async function readSplit(pair: IdxPair): Promise<IdxSplit> {
  const images = await readIdxFile(pair.images, [3, 4]);
  const [count, rows, cols, channels = 1] = images.dims;
  if (channels !== 1 && channels !== 3) {
    throw new DatasetError(`${pair.images} has ${channels} channels per pixel; expected 1 or 3.`);
  }
  if (rows === 0 || cols === 0) throw new DatasetError(`${pair.images} holds empty (${rows} x ${cols}) images.`);
  const labels = await readIdxFile(pair.labels, [1]);
  if (labels.dims[0] !== count) {
    throw new DatasetError(
      `${pair.images} holds ${count} images but ${pair.labels} holds ${labels.dims[0]} labels; they must match.`,
    );
  }
  return { pair, shape: [rows, cols, channels], pixels: images.data, values: labels.data };
}

function examples(split: IdxSplit, indexOf: Int32Array): NativeExamples {
  return {
    pixels: split.pixels,
    labels: Int32Array.from(split.values, (v) => indexOf[v]),
    sourceOf: (index) => `${split.pair.images}#${index}`,
  };
}

export async function readIdxDataset(path: string, options: ReaderOptions): Promise<Dataset> {
  const root = resolve(path);
  await requireFolder(root);
  const layout = await findIdxLayout(root);
  if (!layout?.train) {
    throw new DatasetError(
      `No IDX training files in ${root}: expected train-images-idx3-ubyte and train-labels-idx1-ubyte (optionally .gz)` +
      (layout?.test ? ', next to the test files it holds.' : '.'),
    );
  }
  options.signal?.throwIfAborted();
  const train = await readSplit(layout.train);
  options.onProgress(1, layout.test ? 2 : 1);
  const test = layout.test ? await readSplit(layout.test) : undefined;
  if (test) {
    options.onProgress(2, 2);
    if (test.shape.join() !== train.shape.join()) {
      throw new DatasetError(
        `${test.pair.images} holds ${test.shape.join(' x ')} images but ${train.pair.images} holds ${train.shape.join(' x ')}.`,
      );
    }
  }
  // Classes are the label values present, in numeric order (MNIST: 0..9; sparse labels stay named by value).
  const present = new Set<number>([...train.values, ...(test?.values ?? [])]);
  const values = [...present].sort((a, b) => a - b);
  if (values.length < 2) {
    throw new DatasetError(`${train.pair.labels} holds only label ${values[0] ?? '(none)'}: a classifier needs at least two classes.`);
  }
  const indexOf = new Int32Array(256).fill(-1);
  values.forEach((v, i) => { indexOf[v] = i; });
  return makeBinaryDataset({
    format: 'idx',
    root,
    classes: values.map(String),
    nativeShape: train.shape,
    train: examples(train, indexOf),
    test: test ? examples(test, indexOf) : undefined,
    skipped: [],
  }, options);
}
