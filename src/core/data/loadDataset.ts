// The one entry point from a DataSpec to a Dataset: picks the reader for the (detected) format.
import type { DataSpec } from '../runSpec';
import { readCifarDataset } from './cifarReader';
import type { Dataset } from './dataset';
import { defaultDecodeWorkers } from './decodePool';
import { defaultDecodedCache, type DecodedCacheOptions } from './decodedCache';
import { detectFormat } from './detectFormat';
import { readFolderDataset } from './folderReader';
import { readIdxDataset } from './idxReader';
import type { ReaderOptions } from './readerOptions';

/** Default memory budget: 1.5 GiB of uint8 model inputs. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 1.5 * 1024 ** 3;

export interface LoadDatasetOptions {
  /** Largest pixel buffer held in memory; larger folder datasets are streamed from disk. */
  memoryBudgetBytes?: number;
  /** Progress of the slow part of loading (files decoded, or records converted). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Problems worked around (skipped files...), one message each. Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Decode worker threads for folder datasets; 0 decodes on the calling thread. Default: 1-2 by core count. */
  decodeWorkers?: number;
  /**
   * The decoded-dataset cache for folder datasets: null turns it off; undefined uses the default
   * (the folder in CLASSIFIER_LAB_DECODED_CACHE, else the user's cache folder).
   */
  decodedCache?: DecodedCacheOptions | null;
}

export async function loadDataset(spec: DataSpec, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const format = spec.format === 'auto' ? await detectFormat(spec.path) : spec.format;
  const reader: ReaderOptions = {
    imageSize: spec.imageSize,
    memoryBudgetBytes: options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
    decodeWorkers: options.decodeWorkers ?? defaultDecodeWorkers(),
    onProgress: options.onProgress ?? (() => undefined),
    onWarning: options.onWarning ?? ((message) => console.warn(message)),
    signal: options.signal,
    decodedCache: options.decodedCache === null ? undefined : options.decodedCache ?? defaultDecodedCache(),
  };
  options.signal?.throwIfAborted();
  switch (format) {
    case 'folder': return readFolderDataset(spec.path, reader);
    case 'cifar10':
    case 'cifar100': return readCifarDataset(spec.path, format, { ...reader, cifar100Labels: spec.cifar100Labels });
    case 'idx': return readIdxDataset(spec.path, reader);
  }
}
