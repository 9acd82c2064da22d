// Turns a decoded image into a model input: resized to the model's height x width and converted to
// its channel count, row by row as a decoder delivers it. Training and single-image classification
// both go through this one builder.
import type { ImageShape } from '../runSpec';
import type { DecodedImage } from './imageDecode';
import type { RowSink } from './rowSink';

/** For one output coordinate: the source coordinates it reads and their weights (summing to 1). */
export interface Taps {
  sources: Int32Array;
  weights: Float32Array;
  /** Start of each output coordinate's taps in sources/weights; length out + 1. */
  starts: Int32Array;
}

/**
 * Resampling weights along one axis. Shrinking averages the exact area each output pixel covers
 * (no aliasing however large the factor); enlarging interpolates linearly between the two nearest
 * pixel centres (half-pixel aligned, edges clamped).
 */
export function axisTaps(inSize: number, outSize: number): Taps {
  const sources: number[] = [];
  const weights: number[] = [];
  const starts = new Int32Array(outSize + 1);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    starts[o] = sources.length;
    if (scale >= 1) {
      const from = o * scale;
      const to = from + scale;
      for (let s = Math.floor(from); s < Math.min(inSize, Math.ceil(to)); s++) {
        const cover = Math.min(to, s + 1) - Math.max(from, s);
        if (cover > 1e-9) {
          sources.push(s);
          weights.push(cover / scale);
        }
      }
    } else {
      const centre = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inSize - 1);
      const left = Math.floor(centre);
      const right = Math.min(left + 1, inSize - 1);
      const t = centre - left;
      sources.push(left);
      weights.push(1 - t);
      if (t > 0 && right !== left) {
        sources.push(right);
        weights.push(t);
      }
    }
  }
  starts[outSize] = sources.length;
  return { sources: Int32Array.from(sources), weights: Float32Array.from(weights), starts };
}

/**
 * Builds a model input from an image handed over row by row (a RowSink): each row is converted to the
 * model's channel count and resized horizontally as it arrives, and added into the output rows it
 * covers, so only the output and one row are ever held. The arithmetic and its order are those of a
 * separable resize of the whole image (float32 sums, source rows in order, rounding once at the end),
 * so the result does not depend on how the image was delivered.
 * Colour becomes grey by BT.601 luma before resizing; grey becomes RGB by replication after resizing
 * (both orders are the cheaper one, and the result is the same for every caller).
 */
export class ModelInputBuilder implements RowSink {
  private width = 0;
  private height = 0;
  /** Channels resized: 1 when the source is grey or the model wants grey, else 3. */
  private channels: 1 | 3 = 1;
  private sourceChannels: 1 | 3 = 1;
  private nextRow = 0;
  private cols?: Taps;
  /** For each source row: the output rows it feeds and with which weights (from the vertical taps). */
  private rowTargets?: { outputs: Int32Array; weights: Float32Array; starts: Int32Array };
  private wide?: Float32Array;
  private grey?: Uint8Array;
  private accumulator?: Float32Array;
  private copy?: Uint8Array;

  constructor(private readonly shape: ImageShape) {
    const channels = shape[2];
    if (channels !== 1 && channels !== 3) throw new Error(`unsupported channel count ${channels} (1 or 3)`);
  }

  start(width: number, height: number, channels: 1 | 3): void {
    const [outH, outW, outC] = this.shape;
    this.width = width;
    this.height = height;
    this.sourceChannels = channels;
    this.channels = channels === 3 && outC === 1 ? 1 : channels;
    if (this.channels !== channels) this.grey = new Uint8Array(width);
    if (height === outH && width === outW) {
      this.copy = new Uint8Array(outH * outW * this.channels);
      return;
    }
    this.cols = axisTaps(width, outW);
    const rows = axisTaps(height, outH);
    // Invert the vertical taps: output row o reads source rows rows.sources[starts[o]..starts[o+1]).
    const counts = new Int32Array(height + 1);
    for (let t = 0; t < rows.sources.length; t++) counts[rows.sources[t] + 1]++;
    for (let y = 0; y < height; y++) counts[y + 1] += counts[y];
    const outputs = new Int32Array(rows.sources.length);
    const weights = new Float32Array(rows.sources.length);
    const fill = counts.slice(0, height);
    for (let o = 0; o < outH; o++) {
      for (let t = rows.starts[o]; t < rows.starts[o + 1]; t++) {
        const at = fill[rows.sources[t]]++;
        outputs[at] = o;
        weights[at] = rows.weights[t];
      }
    }
    this.rowTargets = { outputs, weights, starts: counts };
    this.wide = new Float32Array(outW * this.channels);
    this.accumulator = new Float32Array(outH * outW * this.channels);
  }

  row(data: Uint8Array): void {
    const y = this.nextRow++;
    if (y >= this.height) throw new Error('more rows than the image height');
    let source = data;
    if (this.grey) {
      // BT.601 luma, rounded per pixel, as toGrey does for a whole image.
      for (let p = 0; p < this.width; p++) {
        this.grey[p] = Math.round(0.299 * data[p * 3] + 0.587 * data[p * 3 + 1] + 0.114 * data[p * 3 + 2]);
      }
      source = this.grey;
    }
    const c = this.channels;
    if (this.copy) {
      this.copy.set(source.subarray(0, this.width * c), y * this.width * c);
      return;
    }
    const cols = this.cols!;
    const wide = this.wide!;
    wide.fill(0);
    const outW = this.shape[1];
    for (let x = 0; x < outW; x++) {
      for (let t = cols.starts[x]; t < cols.starts[x + 1]; t++) {
        const src = cols.sources[t] * c;
        const w = cols.weights[t];
        for (let k = 0; k < c; k++) wide[x * c + k] += source[src + k] * w;
      }
    }
    const { outputs, weights, starts } = this.rowTargets!;
    const acc = this.accumulator!;
    const rowLength = outW * c;
    for (let t = starts[y]; t < starts[y + 1]; t++) {
      const at = outputs[t] * rowLength;
      const w = weights[t];
      for (let i = 0; i < rowLength; i++) acc[at + i] += wide[i] * w;
    }
  }

  /** The model input, uint8 packed [height, width, channels] of the shape; call after the last row. */
  finish(): Uint8Array {
    if (this.nextRow !== this.height) throw new Error(`the image ended after ${this.nextRow} of its ${this.height} rows`);
    let resized: Uint8Array;
    if (this.copy) {
      resized = this.copy;
    } else {
      const acc = this.accumulator!;
      resized = new Uint8Array(acc.length);
      for (let i = 0; i < acc.length; i++) resized[i] = Math.min(255, Math.max(0, Math.round(acc[i])));
    }
    return this.channels === 1 && this.shape[2] === 3 ? toRgb(resized) : resized;
  }
}

function toRgb(grey: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(grey.length * 3);
  for (let p = 0; p < grey.length; p++) {
    rgb[p * 3] = grey[p];
    rgb[p * 3 + 1] = grey[p];
    rgb[p * 3 + 2] = grey[p];
  }
  return rgb;
}

/** The model input for a decoded image: uint8 packed [height, width, channels] of `shape`. */
export function toModelInput(decoded: DecodedImage, shape: ImageShape): Uint8Array {
  if (shape[2] !== 1 && shape[2] !== 3) throw new Error(`unsupported channel count ${shape[2]} (1 or 3)`);
  if (decoded.data.length !== decoded.width * decoded.height * decoded.channels) {
    throw new Error('decoded image data does not match its size');
  }
  const builder = new ModelInputBuilder(shape);
  builder.start(decoded.width, decoded.height, decoded.channels);
  const rowLength = decoded.width * decoded.channels;
  for (let y = 0; y < decoded.height; y++) builder.row(decoded.data.subarray(y * rowLength, (y + 1) * rowLength));
  return builder.finish();
}
