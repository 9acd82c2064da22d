// Decodes one PNG, JPEG, GIF, BMP or WebP file (told apart by its magic bytes) into packed uint8
// pixels. Training and single-image classification both decode through this function, so they see
// identical pixels.
import { PNG } from 'pngjs';
import { decode as decodeJpegPixels } from 'jpeg-js';
import { decodeBmp } from './decodeBmp';
import { decodeGif } from './decodeGif';
import { decodeWebp } from './decodeWebp';
import { readImageHeader } from './imageHeader';
import type { RgbaImage } from './rgbaImage';

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

/** RGBA -> 1 channel (the red sample of a grey source) or RGB, alpha composited onto white. */
function flattenRgba({ width, height, data: rgba }: RgbaImage, channels: 1 | 3): DecodedImage {
  const pixels = width * height;
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

function decodePng(bytes: Uint8Array, channels: 1 | 3): DecodedImage {
  let png: { width: number; height: number; data: Buffer };
  try {
    // pngjs expands every colour type and bit depth (1-16, palette, tRNS) to 8-bit RGBA.
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new Error(`corrupt or truncated PNG (${(error as Error).message})`);
  }
  if (png.data.length < png.width * png.height * 4) throw new Error('corrupt or truncated PNG (too little pixel data)');
  return flattenRgba(png, channels);
}

/** A GIF, BMP or WebP decoded to RGBA, checked against the size its header declared. */
function decodeViaRgba(decode: (bytes: Uint8Array) => RgbaImage, bytes: Uint8Array, width: number, height: number, channels: 1 | 3, name: string): DecodedImage {
  const rgba = decode(bytes);
  if (rgba.width !== width || rgba.height !== height || rgba.data.length < width * height * 4) {
    throw new Error(`corrupt ${name} (the pixel data does not match the ${width} x ${height} header)`);
  }
  return flattenRgba(rgba, channels);
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
 * Decodes a PNG (any bit depth, grey, grey+alpha, palette, RGB, RGBA), a baseline/progressive JPEG
 * (grey, colour, CMYK), the first frame of a GIF, a BMP (palette, RLE, 16/24/32-bit) or a still WebP
 * into 1 (grey sources) or 3 channels with transparency flattened onto white.
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
  const { width, height, channels } = header;
  switch (header.format) {
    case 'png': return decodePng(bytes, channels);
    case 'jpeg': return decodeJpeg(bytes, channels, header.scanOffset ?? 2);
    case 'gif': return decodeViaRgba(decodeGif, bytes, width, height, channels, 'GIF');
    case 'bmp': return decodeViaRgba(decodeBmp, bytes, width, height, channels, 'BMP');
    case 'webp': return decodeViaRgba(decodeWebp, bytes, width, height, channels, 'WebP');
  }
}
