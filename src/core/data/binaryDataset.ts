// Assembles a Dataset from examples a binary reader (CIFAR, IDX) holds at their native size,
// resizing them to the requested image size with the same preprocessing as image files.
import type { ImageShape, ResolvedDatasetFormat } from '../runSpec';
import type { Dataset, SkippedFile } from './dataset';
import { InMemorySource } from './inMemorySource';
import { toModelInput } from './imagePreprocess';
import { checkImageSize } from './imageSize';
import type { ReaderOptions } from './readerOptions';

export interface NativeExamples {
  /** Packed [n, ...nativeShape] uint8. */
  pixels: Uint8Array;
  labels: Int32Array;
  sourceOf: (index: number) => string;
}

export interface BinaryDatasetParts {
  format: ResolvedDatasetFormat;
  root: string;
  classes: string[];
  nativeShape: ImageShape;
  train: NativeExamples;
  test?: NativeExamples;
  skipped: SkippedFile[];
}

function resizeAll(examples: NativeExamples, from: ImageShape, to: ImageShape, progress: (n: number) => void): Uint8Array {
  const fromBytes = from[0] * from[1] * from[2];
  const toBytes = to[0] * to[1] * to[2];
  const count = examples.labels.length;
  const out = new Uint8Array(count * toBytes);
  for (let i = 0; i < count; i++) {
    const data = examples.pixels.subarray(i * fromBytes, (i + 1) * fromBytes);
    out.set(toModelInput({ height: from[0], width: from[1], channels: from[2] as 1 | 3, data }, to), i * toBytes);
    if (i % 1000 === 999) progress(1000);
  }
  progress(count % 1000);
  return out;
}

/**
 * The dataset at `options.imageSize` (native size when undefined). Resized examples are computed
 * once when they fit the memory budget; otherwise the native pixels are kept and each read resizes
 * (the dataset then reports `streamed`).
 */
export function makeBinaryDataset(parts: BinaryDatasetParts, options: ReaderOptions): Dataset {
  const native = parts.nativeShape;
  const size = options.imageSize === undefined ? undefined : checkImageSize(options.imageSize);
  const shape: ImageShape = size === undefined ? native : [size, size, native[2]];
  const resize = shape[0] !== native[0] || shape[1] !== native[1];
  const count = parts.train.labels.length + (parts.test?.labels.length ?? 0);
  const lazy = resize && count * shape[0] * shape[1] * shape[2] > options.memoryBudgetBytes;
  let done = 0;
  const progress = (n: number): void => {
    done += n;
    options.onProgress(done, count);
  };
  const source = (examples: NativeExamples): InMemorySource => {
    if (!resize) return InMemorySource.create({ ...examples, shape });
    if (lazy) return InMemorySource.create({ ...examples, shape, storedShape: native });
    return InMemorySource.create({ ...examples, pixels: resizeAll(examples, native, shape, progress), shape });
  };
  return {
    format: parts.format,
    root: parts.root,
    classes: parts.classes,
    imageShape: shape,
    train: source(parts.train),
    test: parts.test ? source(parts.test) : undefined,
    skipped: parts.skipped,
    streamed: lazy,
  };
}
