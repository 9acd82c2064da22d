// What every dataset reader is told besides the dataset's path.
import type { DecodedCacheOptions } from './decodedCache';

export interface ReaderOptions {
  /** Side length images are resized to; undefined keeps a binary format's native size (folders: 32). */
  imageSize?: number;
  /** Largest pixel buffer (bytes of uint8 model inputs) held in memory; larger folder datasets are streamed. */
  memoryBudgetBytes: number;
  /** Decode worker threads for folder datasets; 0 decodes on the calling thread. */
  decodeWorkers: number;
  /** Progress of the slow part of loading (files decoded or records converted). */
  onProgress: (done: number, total: number) => void;
  /** One message per problem the reader worked around (skipped files, ignored folders). */
  onWarning: (message: string) => void;
  signal?: AbortSignal;
  /** Where decoded folder datasets are cached between runs; undefined decodes every time. */
  decodedCache?: DecodedCacheOptions;
}
