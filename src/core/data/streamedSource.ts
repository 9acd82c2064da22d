// Examples decoded from their image files on every read (datasets too large for the memory budget).
// Decoding runs in worker threads, so a read issued before a training step overlaps it.
import type { ImageShape } from '../runSpec';
import type { ExampleSource } from './dataset';
import type { DecodePool } from './decodePool';
import { exampleRow } from './exampleRow';

export interface StreamedSourceOptions {
  /** Image file of each example. */
  paths: readonly string[];
  /** Class index of each example. */
  labels: Int32Array;
  shape: ImageShape;
  pool: DecodePool;
  /**
   * Called for a file that no longer decodes (changed or damaged since loading); its pixels are
   * returned as zeros so that the batch keeps its size.
   */
  onFailure: (path: string, reason: string) => void;
}

export class StreamedSource implements ExampleSource {
  readonly count: number;
  readonly labels: Int32Array;

  /** Use `StreamedSource.create`; this constructor builds views. */
  private constructor(private readonly options: StreamedSourceOptions, private readonly rows: Int32Array | undefined) {
    this.count = rows ? rows.length : options.paths.length;
    this.labels = rows ? Int32Array.from(rows, (r) => options.labels[r]) : options.labels;
  }

  static create(options: StreamedSourceOptions): StreamedSource {
    if (options.paths.length !== options.labels.length) throw new Error('one label per path expected');
    return new StreamedSource(options, undefined);
  }

  sourceOf(index: number): string {
    return this.options.paths[this.row(index)];
  }

  async readPixels(indices: readonly number[]): Promise<Uint8Array> {
    const paths = indices.map((index) => this.options.paths[this.row(index)]);
    const { pixels, failures } = await this.options.pool.decode(paths, this.options.shape);
    for (const failure of failures) this.options.onFailure(paths[failure.index], failure.reason);
    return pixels;
  }

  subset(indices: readonly number[]): ExampleSource {
    return new StreamedSource(this.options, Int32Array.from(indices, (i) => this.row(i)));
  }

  private row(index: number): number {
    return exampleRow(this.rows, this.count, index);
  }
}
