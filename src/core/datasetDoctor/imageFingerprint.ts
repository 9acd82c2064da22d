// Fingerprints of an image for finding near-duplicates: its grey image (BT.601 luma, uint8, at the
// size it was decoded to) and the 64-bit difference hash (dHash) of that grey image box-filtered to 9 x 8.

const HASH_WIDTH = 9;
/** A cell counts as brighter than its right neighbour only by more than this many grey levels. */
export const HASH_MARGIN = 4;
const HASH_HEIGHT = 8;

/** For each output coordinate: the source coordinates it covers and their weights (summing to 1). */
interface AxisTaps {
  starts: Int32Array;
  sources: Int32Array;
  weights: Float64Array;
}

/** Box-filter weights from `inSize` to `outSize` samples: each output averages the span it covers. */
function boxTaps(inSize: number, outSize: number): AxisTaps {
  const sources: number[] = [];
  const weights: number[] = [];
  const starts = new Int32Array(outSize + 1);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    starts[o] = sources.length;
    const from = o * scale;
    const to = from + scale;
    for (let s = Math.floor(from); s < Math.min(inSize, Math.ceil(to)); s++) {
      const cover = Math.min(to, s + 1) - Math.max(from, s);
      if (cover > 1e-9) {
        sources.push(s);
        weights.push(cover / scale);
      }
    }
  }
  starts[outSize] = sources.length;
  return { starts, sources: Int32Array.from(sources), weights: Float64Array.from(weights) };
}

/**
 * Makes fingerprints of packed [height, width, channels] uint8 images; keeps the resampling weights
 * of the last image size, so a dataset of one size computes them once.
 */
export class FingerprintMaker {
  private taps?: { height: number; width: number; rows: AxisTaps; cols: AxisTaps };
  private wide = new Float64Array(0);
  private readonly grid = new Float64Array(HASH_WIDTH * HASH_HEIGHT);

  /**
   * Writes the image's grey pixels (height x width bytes) to `grey` at `offset` and returns its
   * difference hash as [high 32 bits, low 32 bits]: bit y * 8 + x is set when cell (x, y) of the
   * 9 x 8 grid is brighter than cell (x + 1, y) by more than HASH_MARGIN grey levels.
   */
  fingerprint(pixels: Uint8Array, height: number, width: number, channels: number, grey: Uint8Array, offset: number): [number, number] {
    const size = height * width;
    if (channels === 3) {
      for (let p = 0; p < size; p++) {
        grey[offset + p] = Math.round(0.299 * pixels[p * 3] + 0.587 * pixels[p * 3 + 1] + 0.114 * pixels[p * 3 + 2]);
      }
    } else {
      for (let p = 0; p < size; p++) grey[offset + p] = pixels[p * channels];
    }
    if (this.taps?.height !== height || this.taps.width !== width) {
      this.taps = { height, width, rows: boxTaps(height, HASH_HEIGHT), cols: boxTaps(width, HASH_WIDTH) };
      this.wide = new Float64Array(height * HASH_WIDTH);
    }
    const { rows, cols } = this.taps;
    const { wide, grid } = this;
    for (let y = 0; y < height; y++) {
      const row = offset + y * width;
      for (let x = 0; x < HASH_WIDTH; x++) {
        let sum = 0;
        for (let t = cols.starts[x]; t < cols.starts[x + 1]; t++) sum += grey[row + cols.sources[t]] * cols.weights[t];
        wide[y * HASH_WIDTH + x] = sum;
      }
    }
    for (let y = 0; y < HASH_HEIGHT; y++) {
      for (let x = 0; x < HASH_WIDTH; x++) {
        let sum = 0;
        for (let t = rows.starts[y]; t < rows.starts[y + 1]; t++) sum += wide[rows.sources[t] * HASH_WIDTH + x] * rows.weights[t];
        grid[y * HASH_WIDTH + x] = sum;
      }
    }
    let high = 0;
    let low = 0;
    for (let y = 0; y < HASH_HEIGHT; y++) {
      for (let x = 0; x < HASH_WIDTH - 1; x++) {
        // Flat, noisy areas leave their bits clear instead of flipping them at random (JPEG, brightness).
        if (grid[y * HASH_WIDTH + x] <= grid[y * HASH_WIDTH + x + 1] + HASH_MARGIN) continue;
        const bit = y * 8 + x;
        if (bit < 32) low |= 1 << bit;
        else high |= 1 << (bit - 32);
      }
    }
    return [high >>> 0, low >>> 0];
  }
}

/** Set bits of a 32-bit value. */
export function popCount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Mean and centred norm (square root of the summed squared deviations) of `length` grey bytes. */
export function greyStatistics(grey: Uint8Array, offset: number, length: number): { mean: number; norm: number } {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += grey[offset + i];
  const mean = sum / length;
  let squares = 0;
  for (let i = 0; i < length; i++) {
    const d = grey[offset + i] - mean;
    squares += d * d;
  }
  return { mean, norm: Math.sqrt(squares) };
}
