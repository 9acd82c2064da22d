// Examples decoded from their image files on every read (datasets too large for the memory budget).
// Decoding runs in worker threads, so a read issued before a training step overlaps it. A file that no
// longer decodes (changed or damaged since loading) is replaced by another image of its class, never
// by a blank image; when no image of that class can be read any more, the read fails.
import type { ImageShape } from '../runSpec';
import { DatasetError, type ExampleSource } from './dataset';
import type { DecodePool } from './decodePool';
import { exampleRow } from './exampleRow';

/** Substitutes tried for one broken file before its class counts as unreadable. */
const MAX_SUBSTITUTES = 8;

/** What the sources made from one StreamedSource.create share: files found broken, rows by class. */
interface SharedState {
  broken: Map<string, string>;
  rowsByLabel?: Map<number, number[]>;
}

export interface StreamedSourceOptions {
  /** Image file of each example. */
  paths: readonly string[];
  /** Class index of each example. */
  labels: Int32Array;
  shape: ImageShape;
  pool: DecodePool;
  /**
   * Called once for each file that no longer decodes (changed or damaged since loading); another image
   * of its class takes its place in the batch.
   */
  onFailure: (path: string, reason: string) => void;
}

export class StreamedSource implements ExampleSource {
  readonly count: number;
  readonly labels: Int32Array;

  /** Use `StreamedSource.create`; this constructor builds views. */
  private constructor(
    private readonly options: StreamedSourceOptions,
    private readonly rows: Int32Array | undefined,
    private readonly shared: SharedState,
  ) {
    this.count = rows ? rows.length : options.paths.length;
    this.labels = rows ? Int32Array.from(rows, (r) => options.labels[r]) : options.labels;
  }

  static create(options: StreamedSourceOptions): StreamedSource {
    if (options.paths.length !== options.labels.length) throw new Error('one label per path expected');
    return new StreamedSource(options, undefined, { broken: new Map() });
  }

  sourceOf(index: number): string {
    return this.options.paths[this.row(index)];
  }

  async readPixels(indices: readonly number[]): Promise<Uint8Array> {
    const rows = indices.map((index) => this.row(index));
    const { shape, paths, pool } = this.options;
    const exampleBytes = shape[0] * shape[1] * shape[2];
    // Files already known broken are replaced before decoding.
    const toDecode = rows.map((row) => (this.shared.broken.has(paths[row]) ? this.substituteRow(row, new Set()) : row));
    const { pixels, failures } = await pool.decode(toDecode.map((row) => paths[row]), shape);
    for (const failure of failures) {
      const tried = new Set<number>();
      let row = toDecode[failure.index];
      let reason = failure.reason;
      for (;;) {
        this.markBroken(paths[row], reason);
        tried.add(row);
        row = this.substituteRow(row, tried);
        const again = await pool.decode([paths[row]], shape);
        if (again.failures.length === 0) {
          pixels.set(again.pixels, failure.index * exampleBytes);
          break;
        }
        reason = again.failures[0].reason;
      }
    }
    return pixels;
  }

  subset(indices: readonly number[]): ExampleSource {
    return new StreamedSource(this.options, Int32Array.from(indices, (i) => this.row(i)), this.shared);
  }

  private markBroken(path: string, reason: string): void {
    if (this.shared.broken.has(path)) return;
    this.shared.broken.set(path, reason);
    this.options.onFailure(path, reason);
  }

  /** Another readable-so-far row of the same class as `row`; throws when the class has none left. */
  private substituteRow(row: number, tried: Set<number>): number {
    const { labels, paths } = this.options;
    if (!this.shared.rowsByLabel) {
      const byLabel = new Map<number, number[]>();
      labels.forEach((label, r) => {
        const list = byLabel.get(label);
        if (list) list.push(r);
        else byLabel.set(label, [r]);
      });
      this.shared.rowsByLabel = byLabel;
    }
    const candidates = this.shared.rowsByLabel.get(labels[row]) ?? [];
    const start = Math.max(0, candidates.indexOf(row));
    for (let k = 1; k <= candidates.length && tried.size <= MAX_SUBSTITUTES; k++) {
      const candidate = candidates[(start + k) % candidates.length];
      if (candidate !== row && !tried.has(candidate) && !this.shared.broken.has(paths[candidate])) return candidate;
    }
    const broken = [...this.shared.broken.entries()].slice(0, 3).map(([path, reason]) => `${path} (${reason})`).join('; ');
    throw new DatasetError(
      `The images of a class can no longer be read (${this.shared.broken.size} files failed, e.g. ${broken}): ` +
      'the dataset was changed, moved or deleted during training. Restore it and resume the run.');
  }

  private row(index: number): number {
    return exampleRow(this.rows, this.count, index);
  }
}
