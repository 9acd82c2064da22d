// The limits every image decoder works within, in one place: an image file is untrusted input, and a
// small file can declare a size that would take gigabytes to decode. Every decode (our decoders and
// libvips alike) reads the header first and passes it through `checkImageLimits` before anything is
// allocated for pixels; libvips is also given MAX_IMAGE_PIXELS as its own input limit.
import type { ImageShape } from '../runSpec';
import type { ImageDecoder } from './imageDecoderChoice';
import type { ImageHeader } from './imageHeader';

/** Largest image file read at all (a BMP of the largest accepted size is about 150 MB). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;
/** Largest width or height, in pixels (panoramas fit; a 1 x 50,000,000 strip does not). */
export const MAX_IMAGE_SIDE = 30_000;
/** Largest width x height (a 50-megapixel photo fits). */
export const MAX_IMAGE_PIXELS = 50_000_000;
/**
 * Most memory a decoder may need for its full-size buffers (see `decodeBytes`): a 50-megapixel photo
 * (JPEG, decoded by libvips at an eighth of its size for a small model input) needs about 6 MB, a
 * 50-megapixel 8-bit RGBA PNG 200 MB. A 49-megapixel 16-bit RGBA PNG (390 MB) is refused.
 */
export const MAX_DECODE_BYTES = 320 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/**
 * The largest power-of-two factor (up to 8) by which libvips may shrink a JPEG or WebP while decoding
 * it and still have at least the model's larger side in both directions (whichever way it is turned).
 */
export function shrinkOnLoadFactor(header: ImageHeader, shape: ImageShape): number {
  const side = Math.max(shape[0], shape[1]);
  let factor = 1;
  while (factor < 8 && Math.floor(header.width / (factor * 2)) >= side && Math.floor(header.height / (factor * 2)) >= side) factor *= 2;
  return factor;
}

/**
 * The bytes libvips holds for an image with this header decoded for a model input of `shape`: JPEG and
 * WebP at their shrink-on-load size, other formats at full size with all their samples (16-bit PNGs at
 * two bytes each), twice over when the image is turned a quarter (the turn copies it).
 */
function libvipsDecodeBytes(header: ImageHeader, shape: ImageShape): number {
  const { width, height } = header;
  const turned = header.orientation !== undefined && header.orientation >= 5 ? 2 : 1;
  if (header.format === 'jpeg' || header.format === 'webp') {
    const factor = shrinkOnLoadFactor(header, shape);
    const samples = header.format === 'jpeg' ? Math.max(3, header.components ?? 3) : 4;
    return Math.ceil(width / factor) * Math.ceil(height / factor) * samples * turned;
  }
  // A palette expands to RGBA; other PNG rows keep their samples, widened to at least a byte.
  const bytesPerPixel = header.format === 'png' && header.colorType !== 3 ? Math.max(1, (header.bitsPerPixel ?? 32) / 8) : 4;
  return Math.ceil(width * height * bytesPerPixel) * turned;
}

/**
 * The bytes the decoders allocate at full size for an image with this header. libvips (with the model
 * input's `shape`): see libvipsDecodeBytes. Our decoders:
 * - PNG: the inflated pixel data (rows of the file's own bit depth, with a filter byte each), plus, when
 *   interlaced, one full image of 8-bit samples to gather the passes in;
 * - JPEG (jpeg-js): per component sample, a 16-bit coefficient and an 8-bit plane, and the RGB output;
 * - GIF: the frame's palette indices, the RGBA screen and the flattened copy;
 * - BMP: the RGBA image (plus 16-bit palette indices when run-length encoded) and the flattened copy;
 * - WebP: libwebp's RGBA output, its copy out of WebAssembly memory and the flattened copy.
 */
export function decodeBytes(header: ImageHeader, decoder: ImageDecoder = 'ours', shape: ImageShape = [32, 32, 3]): number {
  if (decoder === 'libvips') return libvipsDecodeBytes(header, shape);
  const { width, height, channels } = header;
  const pixels = width * height;
  switch (header.format) {
    case 'png': {
      const bitsPerPixel = header.bitsPerPixel ?? 32;
      const inflated = height * (1 + Math.ceil((width * bitsPerPixel) / 8)) + (header.interlaced ? 7 * height : 0);
      return inflated + (header.interlaced ? pixels * channels : 0);
    }
    case 'jpeg': return (header.componentSamples ?? pixels * (header.components ?? 3)) * 3 + pixels * 3;
    case 'gif': return pixels * (1 + 4 + channels);
    case 'bmp': return pixels * (4 + channels + 2);
    case 'webp': return pixels * (4 + 4 + channels);
  }
}

/**
 * Throws an Error naming the limit when an image with this header is too large to decode: a side over
 * MAX_IMAGE_SIDE, more than MAX_IMAGE_PIXELS, or more than MAX_DECODE_BYTES of buffers for the decoder
 * that will decode it (to a model input of `shape`).
 */
export function checkImageLimits(header: ImageHeader, decoder: ImageDecoder = 'ours', shape?: ImageShape): void {
  const { width, height } = header;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new Error(`image too large (${width} x ${height} pixels; each side may be at most ${MAX_IMAGE_SIDE.toLocaleString('en')})`);
  }
  const pixels = width * height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new Error(
      `image too large (${width} x ${height} = ${(pixels / 1e6).toFixed(1)} megapixels; the limit is ${MAX_IMAGE_PIXELS / 1e6})`);
  }
  const bytes = decodeBytes(header, decoder, shape);
  if (bytes > MAX_DECODE_BYTES) {
    throw new Error(
      `image too large to decode (${width} x ${height} ${header.format.toUpperCase()} needs ${megabytes(bytes)}; the limit is ${megabytes(MAX_DECODE_BYTES)})`);
  }
}
