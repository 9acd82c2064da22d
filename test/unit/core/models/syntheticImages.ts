// Small generated image-classification tasks that a model can only solve by looking at the pixels.
import seedrandom from 'seedrandom';

export interface SyntheticImages {
  /** [count, size, size, channels] floats in [0, 1]. */
  pixels: Float32Array;
  labels: Int32Array;
  shape: [number, number, number];
  classes: number;
}

/**
 * Four classes: which quadrant holds a bright square (at a random spot inside that quadrant),
 * over uniform noise. Chance accuracy is 25%.
 */
export function brightQuadrantImages(count: number, size: number, channels: number, seed: string): SyntheticImages {
  const random = seedrandom(seed);
  const pixels = new Float32Array(count * size * size * channels);
  const labels = new Int32Array(count);
  const half = size / 2;
  const blob = Math.max(2, Math.floor(size / 4));
  for (let i = 0; i < count; i++) {
    const label = i % 4;
    labels[i] = label;
    const top = (label >> 1) * half + Math.floor(random() * (half - blob + 1));
    const left = (label & 1) * half + Math.floor(random() * (half - blob + 1));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inBlob = y >= top && y < top + blob && x >= left && x < left + blob;
        for (let k = 0; k < channels; k++) {
          pixels[((i * size + y) * size + x) * channels + k] = inBlob ? 0.7 + 0.3 * random() : 0.4 * random();
        }
      }
    }
  }
  return { pixels, labels, shape: [size, size, channels], classes: 4 };
}

/**
 * Four classes: the orientation of stripes (horizontal, vertical, diagonal, anti-diagonal) with a
 * period of 4 pixels, a random phase and noise. Chance accuracy is 25%.
 */
export function stripeImages(count: number, size: number, channels: number, seed: string): SyntheticImages {
  const random = seedrandom(seed);
  const pixels = new Float32Array(count * size * size * channels);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 4;
    labels[i] = label;
    const phase = Math.floor(random() * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const t = [y, x, x + y, x - y + size][label] + phase;
        const on = t % 4 < 2;
        for (let k = 0; k < channels; k++) {
          pixels[((i * size + y) * size + x) * channels + k] = (on ? 0.5 : 0.1) + 0.4 * random();
        }
      }
    }
  }
  return { pixels, labels, shape: [size, size, channels], classes: 4 };
}
