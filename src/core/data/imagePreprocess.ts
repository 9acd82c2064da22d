// Turns a decoded image into a model input: resized to the model's height x width and converted to
// its channel count. Training and single-image classification both go through this one function.
import type { ImageShape } from '../runSpec';
import type { DecodedImage } from './imageDecode';

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

/** Separable resize of packed [inH, inW, c] pixels to [outH, outW, c]. */
function resize(data: Uint8Array, inH: number, inW: number, c: number, outH: number, outW: number): Uint8Array {
  if (inH === outH && inW === outW) return data.slice();
  const cols = axisTaps(inW, outW);
  const rows = axisTaps(inH, outH);
  // Horizontal pass first: [inH, outW, c] in float, so rounding happens once, at the end.
  const wide = new Float32Array(inH * outW * c);
  for (let y = 0; y < inH; y++) {
    const rowIn = y * inW * c;
    const rowOut = y * outW * c;
    for (let x = 0; x < outW; x++) {
      for (let t = cols.starts[x]; t < cols.starts[x + 1]; t++) {
        const src = rowIn + cols.sources[t] * c;
        const w = cols.weights[t];
        for (let k = 0; k < c; k++) wide[rowOut + x * c + k] += data[src + k] * w;
      }
    }
  }
  const out = new Uint8Array(outH * outW * c);
  const rowLength = outW * c;
  const acc = new Float32Array(rowLength);
  for (let y = 0; y < outH; y++) {
    acc.fill(0);
    for (let t = rows.starts[y]; t < rows.starts[y + 1]; t++) {
      const src = rows.sources[t] * rowLength;
      const w = rows.weights[t];
      for (let i = 0; i < rowLength; i++) acc[i] += wide[src + i] * w;
    }
    const at = y * rowLength;
    for (let i = 0; i < rowLength; i++) out[at + i] = Math.min(255, Math.max(0, Math.round(acc[i])));
  }
  return out;
}

/** ITU-R BT.601 luma of packed RGB pixels, rounded to uint8. */
function toGrey(rgb: Uint8Array): Uint8Array {
  const grey = new Uint8Array(rgb.length / 3);
  for (let p = 0; p < grey.length; p++) {
    grey[p] = Math.round(0.299 * rgb[p * 3] + 0.587 * rgb[p * 3 + 1] + 0.114 * rgb[p * 3 + 2]);
  }
  return grey;
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

/**
 * The model input for a decoded image: uint8 packed [height, width, channels] of `shape`.
 * Colour becomes grey by BT.601 luma before resizing; grey becomes RGB by replication after
 * resizing (both orders are the cheaper one, and the result is the same for every caller).
 */
export function toModelInput(decoded: DecodedImage, shape: ImageShape): Uint8Array {
  const [height, width, channels] = shape;
  if (channels !== 1 && channels !== 3) throw new Error(`unsupported channel count ${channels} (1 or 3)`);
  if (decoded.data.length !== decoded.width * decoded.height * decoded.channels) {
    throw new Error('decoded image data does not match its size');
  }
  if (decoded.channels === 3 && channels === 1) {
    return resize(toGrey(decoded.data), decoded.height, decoded.width, 1, height, width);
  }
  const resized = resize(decoded.data, decoded.height, decoded.width, decoded.channels, height, width);
  return decoded.channels === 1 && channels === 3 ? toRgb(resized) : resized;
}
