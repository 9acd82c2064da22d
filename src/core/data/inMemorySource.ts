// Examples held in one packed uint8 buffer. Subsets are index views onto the same buffer, never copies.
import type { ImageShape } from '../runSpec';
import type { ExampleSource } from './dataset';
import { toModelInput } from './imagePreprocess';
import { exampleRow } from './exampleRow';

export interface InMemorySourceOptions {
  /** Stored examples packed [n, ...storedShape] uint8. */
  pixels: Uint8Array;
  /** Class index of each stored example. */
  labels: Int32Array;
  /** The shape readPixels returns. */
  shape: ImageShape;
  /**
   * The shape the pixels are stored in, when it differs from `shape` (a binary dataset kept at its
   * native size because the resized copy would not fit the memory budget): examples are then resized
   * per read, with the same preprocessing as everywhere else. Default: `shape`.
   */
  storedShape?: ImageShape;
  /** Where stored example i came from. */
  sourceOf: (stored: number) => string;
}

interface Storage {
  pixels: Uint8Array;
  labels: Int32Array;
  shape: ImageShape;
  storedShape: ImageShape;
  storedBytes: number;
  sourceOf: (stored: number) => string;
}

function sameShape(a: ImageShape, b: ImageShape): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

export class InMemorySource implements ExampleSource {
  readonly count: number;
  readonly labels: Int32Array;

  /** Use `InMemorySource.create`; this constructor builds views. */
  private constructor(private readonly storage: Storage, private readonly rows: Int32Array | undefined) {
    this.count = rows ? rows.length : storage.labels.length;
    this.labels = rows ? Int32Array.from(rows, (r) => storage.labels[r]) : storage.labels;
  }

  static create(options: InMemorySourceOptions): InMemorySource {
    const storedShape = options.storedShape ?? options.shape;
    const storedBytes = storedShape[0] * storedShape[1] * storedShape[2];
    if (options.pixels.length !== options.labels.length * storedBytes) {
      throw new Error(`pixel buffer holds ${options.pixels.length} bytes, expected ${options.labels.length} x ${storedBytes}`);
    }
    return new InMemorySource({ ...options, storedShape, storedBytes }, undefined);
  }

  sourceOf(index: number): string {
    return this.storage.sourceOf(this.row(index));
  }

  async readPixels(indices: readonly number[]): Promise<Uint8Array> {
    const { pixels, shape, storedShape, storedBytes } = this.storage;
    const resize = !sameShape(shape, storedShape);
    const exampleBytes = shape[0] * shape[1] * shape[2];
    // Always a fresh buffer: callers (augmentation) may modify it in place.
    const out = new Uint8Array(indices.length * exampleBytes);
    indices.forEach((index, k) => {
      const start = this.row(index) * storedBytes;
      const stored = pixels.subarray(start, start + storedBytes);
      if (!resize) {
        out.set(stored, k * exampleBytes);
      } else {
        const decoded = { height: storedShape[0], width: storedShape[1], channels: storedShape[2] as 1 | 3, data: stored };
        out.set(toModelInput(decoded, shape), k * exampleBytes);
      }
    });
    return out;
  }

  subset(indices: readonly number[]): ExampleSource {
    return new InMemorySource(this.storage, Int32Array.from(indices, (i) => this.row(i)));
  }

  private row(index: number): number {
    return exampleRow(this.rows, this.count, index);
  }
}
