// Histograms of a dataset's images: sizes, channels, formats and (for files) bytes on disk.
import type { Histogram, ImageStatistics } from './datasetReport';

const MOST_COMMON_SIZES = 20;
const MAX_BINS = 16;

/** Bins of whole numbers: one per value when they span at most MAX_BINS values, else MAX_BINS equal ranges. */
export function integerHistogram(values: readonly number[]): Histogram {
  if (values.length === 0) return { bins: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = Math.max(1, Math.ceil((max - min + 1) / MAX_BINS));
  const bins = Array.from({ length: Math.ceil((max - min + 1) / width) }, (_, k) => ({ from: min + k * width, to: min + (k + 1) * width, count: 0 }));
  for (const v of values) bins[Math.floor((v - min) / width)].count++;
  return { bins };
}

/** Power-of-two bins [2^k, 2^(k+1)) from the smallest to the largest value (0 gets the bin [0, 1)). */
export function powerOfTwoHistogram(values: readonly number[]): Histogram {
  if (values.length === 0) return { bins: [] };
  const exponent = (v: number): number => (v < 1 ? -1 : Math.floor(Math.log2(v)));
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    low = Math.min(low, exponent(v));
    high = Math.max(high, exponent(v));
  }
  const bins = Array.from({ length: high - low + 1 }, (_, k) => {
    const e = low + k;
    return { from: e < 0 ? 0 : 2 ** e, to: 2 ** (e + 1), count: 0 };
  });
  for (const v of values) bins[exponent(v) - low].count++;
  return { bins };
}

/** Collects the readable images' facts and summarises them. */
export class ImageStatisticsBuilder {
  private readonly widths: number[] = [];
  private readonly heights: number[] = [];
  private readonly sizes = new Map<string, { width: number; height: number; count: number }>();
  private readonly formats = new Map<string, number>();
  private readonly bytes: number[] = [];
  private grey = 0;
  private colour = 0;

  add(image: { width: number; height: number; channels: number; format: string; bytes?: number }): void {
    this.widths.push(image.width);
    this.heights.push(image.height);
    const key = `${image.width}x${image.height}`;
    const size = this.sizes.get(key);
    if (size) size.count++;
    else this.sizes.set(key, { width: image.width, height: image.height, count: 1 });
    this.formats.set(image.format, (this.formats.get(image.format) ?? 0) + 1);
    if (image.channels === 1) this.grey++;
    else this.colour++;
    if (image.bytes !== undefined) this.bytes.push(image.bytes);
  }

  build(): ImageStatistics {
    const bySize = [...this.sizes.values()].sort((a, b) => b.count - a.count || a.width - b.width || a.height - b.height);
    return {
      count: this.widths.length,
      sizes: bySize.slice(0, MOST_COMMON_SIZES),
      widths: integerHistogram(this.widths),
      heights: integerHistogram(this.heights),
      channels: { grey: this.grey, colour: this.colour },
      formats: [...this.formats].map(([format, count]) => ({ format, count })).sort((a, b) => b.count - a.count),
      ...(this.bytes.length > 0 ? { fileBytes: powerOfTwoHistogram(this.bytes) } : {}),
    };
  }
}
