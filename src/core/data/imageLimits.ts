// The limits every image decoder works within, in one place: an image file is untrusted input, and a
// small file can declare a size that would take gigabytes to decode. Every decoder (ours today; libvips
// or any other tomorrow) reads the header first and passes it through `checkImageLimits` before it
// allocates anything for pixels.
import type { ImageHeader } from './imageHeader';

/** Largest image file read at all (a BMP of the largest accepted size is about 150 MB). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;
/** Largest width or height, in pixels (panoramas fit; a 1 x 50,000,000 strip does not). */
export const MAX_IMAGE_SIDE = 30_000;
/** Largest width x height (a 50-megapixel photo fits). */
export const MAX_IMAGE_PIXELS = 50_000_000;
/**
 * Most memory a decoder may need for its full-size buffers (see `decodeBytes`): a 24-megapixel photo
 * (JPEG, 4:2:0) needs about 180 MB, a 50-megapixel 8-bit RGBA PNG 200 MB (it is decoded row by row
 * into the model input, so only its inflated data is held). A 49-megapixel 16-bit RGBA PNG (390 MB)
 * is refused.
 */
export const MAX_DECODE_BYTES = 320 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/**
 * The bytes the decoders allocate at full size for an image with this header:
 * - PNG: the inflated pixel data (rows of the file's own bit depth, with a filter byte each), plus, when
 *   interlaced, one full image of 8-bit samples to gather the passes in;
 * - JPEG (jpeg-js): per component sample, a 16-bit coefficient and an 8-bit plane, and the RGB output;
 * - GIF: the frame's palette indices, the RGBA screen and the flattened copy;
 * - BMP: the RGBA image (plus 16-bit palette indices when run-length encoded) and the flattened copy;
 * - WebP: libwebp's RGBA output, its copy out of WebAssembly memory and the flattened copy.
 */
export function decodeBytes(header: ImageHeader): number {
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
 * MAX_IMAGE_SIDE, more than MAX_IMAGE_PIXELS, or more than MAX_DECODE_BYTES of decoder buffers.
 */
export function checkImageLimits(header: ImageHeader): void {
  const { width, height } = header;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new Error(`image too large (${width} x ${height} pixels; each side may be at most ${MAX_IMAGE_SIDE.toLocaleString('en')})`);
  }
  const pixels = width * height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new Error(
      `image too large (${width} x ${height} = ${(pixels / 1e6).toFixed(1)} megapixels; the limit is ${MAX_IMAGE_PIXELS / 1e6})`);
  }
  const bytes = decodeBytes(header);
  if (bytes > MAX_DECODE_BYTES) {
    throw new Error(
      `image too large to decode (${width} x ${height} ${header.format.toUpperCase()} needs ${megabytes(bytes)}; the limit is ${megabytes(MAX_DECODE_BYTES)})`);
  }
}
