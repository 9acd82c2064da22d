// Fingerprints of an image for finding near-duplicates: its grey image (BT.601 luma, uint8, at the
// size it was decoded to) and the 64-bit difference hash (dHash) of that grey image area-averaged to 9 x 8.
import { axisTaps, type Taps } from '../data/imagePreprocess';

const HASH_WIDTH = 9;
/** A cell counts as brighter than its right neighbour only by more than this many grey levels. */
export const HASH_MARGIN = 4;
const HASH_HEIGHT = 8;

/**
 * Makes fingerprints of packed [height, width, channels] uint8 images; keeps the resampling weights
 * of the last image size, so a dataset of one size computes them once.
 */
export class FingerprintMaker {
  private taps?: { height: number; width: number; rows: Taps; cols: Taps };
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
      // The resampling weights of the engine's own resize: area averages when shrinking.
      this.taps = { height, width, rows: axisTaps(height, HASH_HEIGHT), cols: axisTaps(width, HASH_WIDTH) };
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
