// What every dataset reader produces: class names, image shape and example sources the trainer draws batches from.
import type { ImageShape, ResolvedDatasetFormat } from '../runSpec';

/** A set of labelled examples. Pixels are held (or read) as uint8 and only converted to floats per batch. */
export interface ExampleSource {
  readonly count: number;
  /** Class index of each example. */
  readonly labels: Int32Array;
  /** Where example i came from: a file path for folder datasets, `file#index` for binary formats. */
  sourceOf(index: number): string;
  /** Pixels of the given examples as uint8, packed [n, height, width, channels] in the dataset's image shape. */
  readPixels(indices: readonly number[]): Promise<Uint8Array>;
  /** The examples at the given positions of this source, in that order. */
  subset(indices: readonly number[]): ExampleSource;
}

/** A file the reader could not use, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Dataset {
  format: ResolvedDatasetFormat;
  /** Absolute path of the dataset root. */
  root: string;
  classes: string[];
  imageShape: ImageShape;
  /** Training examples (the validation split is carved from these by the trainer). */
  train: ExampleSource;
  /** The dataset's official test split (a test/ or val/ sub-tree, test_batch.bin, t10k-* files), if it has one. */
  test?: ExampleSource;
  /** Files skipped because they were not readable images; the reader also warns with their names. */
  skipped: SkippedFile[];
  /** True when pixels are decoded from disk per batch instead of held in memory. */
  streamed: boolean;
}

/** An error the user can fix (bad path, wrong format, too few classes...): shown as-is, without a stack. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}
