// Decodes one PNG or JPEG file (told apart by its magic bytes) into packed uint8 pixels. Training
// and single-image classification both decode through this function, so they see identical pixels.
import { PNG } from 'pngjs';
import { decode as decodeJpegPixels } from 'jpeg-js';
import { readImageHeader } from './imageHeader';

/** Pixels packed [height, width, channels], row-major, uint8. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Images larger than this are refused before decoding (a small file can inflate to gigabytes). */
export const MAX_IMAGE_PIXELS = 50_000_000;

// Transparency rule: every translucent pixel is composited onto WHITE, the way image viewers and
// browsers show such files on a light page (a dark stroke on a transparent background stays visible).
const BACKGROUND = 255;

function composite(value: number, alpha: number): number {
  return alpha === 255 ? value : Math.round((value * alpha + BACKGROUND * (255 - alpha)) / 255);
}

function decodePng(bytes: Uint8Array, channels: 1 | 3): DecodedImage {
  let png: { width: number; height: number; data: Buffer };
  try {
    // pngjs expands every colour type and bit depth (1-16, palette, tRNS) to 8-bit RGBA.
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new Error(`corrupt or truncated PNG (${(error as Error).message})`);
  }
  const { width, height, data: rgba } = png;
  const pixels = width * height;
  if (rgba.length < pixels * 4) throw new Error('corrupt or truncated PNG (too little pixel data)');
  const data = new Uint8Array(pixels * channels);
  if (channels === 1) {
    for (let p = 0; p < pixels; p++) data[p] = composite(rgba[p * 4], rgba[p * 4 + 3]);
  } else {
    for (let p = 0; p < pixels; p++) {
      const alpha = rgba[p * 4 + 3];
      data[p * 3] = composite(rgba[p * 4], alpha);
      data[p * 3 + 1] = composite(rgba[p * 4 + 1], alpha);
      data[p * 3 + 2] = composite(rgba[p * 4 + 2], alpha);
    }
  }
  return { width, height, channels, data };
}

function decodeJpeg(bytes: Uint8Array, channels: 1 | 3, scanOffset: number): DecodedImage {
  // jpeg-js fills the missing rows of a truncated file with grey instead of failing, so require the
  // end-of-image marker after the scan data (bytes after it, as some cameras append, are fine).
  let end = bytes.length - 2;
  while (end > scanOffset && !(bytes[end] === 0xff && bytes[end + 1] === 0xd9)) end--;
  if (end <= scanOffset) throw new Error('truncated JPEG (no end-of-image marker)');
  let image: { width: number; height: number; data: Uint8Array };
  try {
    // Always RGB out: one-component files are replicated grey, CMYK/YCCK files converted by jpeg-js.
    image = decodeJpegPixels(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: 1024,
    });
  } catch (error) {
    throw new Error(`corrupt JPEG (${(error as Error).message})`);
  }
  const { width, height, data: rgb } = image;
  if (channels === 3) return { width, height, channels, data: rgb };
  const data = new Uint8Array(width * height);
  for (let p = 0; p < data.length; p++) data[p] = rgb[p * 3];
  return { width, height, channels, data };
}

/**
 * Decodes a PNG (any bit depth, grey, grey+alpha, palette, RGB, RGBA) or a baseline/progressive JPEG
 * (grey, colour, CMYK) into 1 (grey sources) or 3 channels with transparency flattened onto white.
 * Throws an Error whose message is a user-readable reason for corrupt, truncated, oversized or
 * non-image input.
 */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const header = readImageHeader(bytes);
  const pixels = header.width * header.height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new Error(
      `image too large (${header.width} x ${header.height} = ${(pixels / 1e6).toFixed(1)} megapixels; ` +
      `the limit is ${MAX_IMAGE_PIXELS / 1e6})`,
    );
  }
  return header.format === 'png'
    ? decodePng(bytes, header.channels)
    : decodeJpeg(bytes, header.channels, header.scanOffset ?? 2);
}
