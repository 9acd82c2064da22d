// Decodes one PNG, JPEG, GIF, BMP or WebP file (told apart by its magic bytes) into packed uint8
// pixels, or straight into a model input. Every decode reads the header, checks it against the image
// limits, then hands the image on row by row; training and single-image classification both decode
// through `decodeImageToModelInput`, so they see identical pixels. Photos (large JPEG and WebP, and any
// image with an EXIF orientation or a colour profile) go through libvips instead (imageDecoderChoice.ts).
import { decode as decodeJpegPixels } from 'jpeg-js';
import type { ImageShape } from '../runSpec';
import { decodeBmp } from './decodeBmp';
import { decodeGif } from './decodeGif';
import { decodePngRows } from './decodePng';
import { decodeWebp } from './decodeWebp';
import { readImageHeader, type ImageHeader } from './imageHeader';
import { chooseImageDecoder } from './imageDecoderChoice';
import { MAX_DECODE_BYTES, MAX_IMAGE_PIXELS, checkImageLimits } from './imageLimits';
import { ModelInputBuilder } from './imagePreprocess';
import { decodeWithLibvips } from './decodeWithLibvips';
import type { RgbaImage } from './rgbaImage';
import type { RowSink } from './rowSink';
import { errorMessage } from '../errorMessage';

export { MAX_IMAGE_PIXELS };

/** Pixels packed [height, width, channels], row-major, uint8. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

// Transparency rule: every translucent pixel is composited onto WHITE, the way image viewers and
// browsers show such files on a light page (a dark stroke on a transparent background stays visible).
const BACKGROUND = 255;

function composite(value: number, alpha: number): number {
  return alpha === 255 ? value : Math.round((value * alpha + BACKGROUND * (255 - alpha)) / 255);
}

/** Hands an RGBA image to `sink` as rows of 1 channel (the red sample of a grey source) or RGB, alpha composited onto white. */
function rgbaRows({ width, height, data: rgba }: RgbaImage, channels: 1 | 3, sink: RowSink): void {
  sink.start(width, height, channels);
  const row = new Uint8Array(width * channels);
  for (let y = 0; y < height; y++) {
    const base = y * width * 4;
    for (let x = 0; x < width; x++) {
      const p = base + x * 4;
      const alpha = rgba[p + 3];
      if (channels === 1) {
        row[x] = composite(rgba[p], alpha);
      } else {
        row[x * 3] = composite(rgba[p], alpha);
        row[x * 3 + 1] = composite(rgba[p + 1], alpha);
        row[x * 3 + 2] = composite(rgba[p + 2], alpha);
      }
    }
    sink.row(row);
  }
}

/** A GIF, BMP or WebP decoded to RGBA, checked against the size its header declared. */
function rowsViaRgba(decode: (bytes: Uint8Array) => RgbaImage, bytes: Uint8Array, header: ImageHeader, name: string, sink: RowSink): void {
  const { width, height, channels } = header;
  const rgba = decode(bytes);
  if (rgba.width !== width || rgba.height !== height || rgba.data.length < width * height * 4) {
    throw new Error(`corrupt ${name} (the pixel data does not match the ${width} x ${height} header)`);
  }
  rgbaRows(rgba, channels, sink);
}

/**
 * Throws for a JPEG without its end-of-image marker after the scan data: decoders fill the missing rows
 * of a truncated file with grey (jpeg-js) or only warn (libjpeg) instead of failing. Bytes after the
 * marker, as some cameras append, are fine.
 */
function requireJpegEnd(bytes: Uint8Array, header: ImageHeader): void {
  const scanOffset = header.scanOffset ?? 2;
  let end = bytes.length - 2;
  while (end > scanOffset && !(bytes[end] === 0xff && bytes[end + 1] === 0xd9)) end--;
  if (end <= scanOffset) throw new Error('truncated JPEG (no end-of-image marker)');
}

function jpegRows(bytes: Uint8Array, header: ImageHeader, sink: RowSink): void {
  requireJpegEnd(bytes, header);
  let image: { width: number; height: number; data: Uint8Array };
  try {
    // Always RGB out: one-component files are replicated grey, CMYK/YCCK files converted by jpeg-js.
    image = decodeJpegPixels(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: MAX_DECODE_BYTES / (1024 * 1024),
    });
  } catch (error) {
    throw new Error(`corrupt JPEG (${errorMessage(error)})`);
  }
  const { width, height, data: rgb } = image;
  if (width !== header.width || height !== header.height) {
    throw new Error(`corrupt JPEG (the pixel data does not match the ${header.width} x ${header.height} header)`);
  }
  const channels = header.channels;
  sink.start(width, height, channels);
  const row = new Uint8Array(width * channels);
  for (let y = 0; y < height; y++) {
    if (channels === 3) {
      sink.row(rgb.subarray(y * width * 3, (y + 1) * width * 3));
    } else {
      for (let x = 0; x < width; x++) row[x] = rgb[(y * width + x) * 3];
      sink.row(row);
    }
  }
}

/**
 * Decodes a PNG (any bit depth, grey, grey+alpha, palette, RGB, RGBA, interlaced or not), a
 * baseline/progressive JPEG (grey, colour, CMYK), the first frame of a GIF, a BMP (palette, RLE,
 * 16/24/32-bit) or a still WebP into `sink`, row by row, as 1 (grey sources) or 3 channels with
 * transparency flattened onto white. The header is checked against the image limits (imageLimits.ts)
 * before anything is decoded. Throws an Error whose message is a user-readable reason for corrupt,
 * truncated, oversized or non-image input.
 */
export function decodeImageRows(bytes: Uint8Array, sink: RowSink): void {
  const header = readImageHeader(bytes);
  checkImageLimits(header);
  switch (header.format) {
    case 'png': return decodePngRows(bytes, header, sink);
    case 'jpeg': return jpegRows(bytes, header, sink);
    case 'gif': return rowsViaRgba(decodeGif, bytes, header, 'GIF', sink);
    case 'bmp': return rowsViaRgba(decodeBmp, bytes, header, 'BMP', sink);
    case 'webp': return rowsViaRgba(decodeWebp, bytes, header, 'WebP', sink);
  }
}

/** The whole image, packed [height, width, channels]. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  let image: DecodedImage | undefined;
  let y = 0;
  decodeImageRows(bytes, {
    start(width, height, channels) {
      image = { width, height, channels, data: new Uint8Array(width * height * channels) };
    },
    row(data) {
      const rowLength = image!.width * image!.channels;
      image!.data.set(data.subarray(0, rowLength), y * rowLength);
      y++;
    },
  });
  if (!image || y !== image.height) throw new Error('corrupt image (fewer rows than its height)');
  return image;
}

/** Our decoder's error for a file libvips could not decode, or undefined when ours cannot tell why. */
function reasonFromOurDecoder(bytes: Uint8Array, header: ImageHeader): Error | undefined {
  if (header.format === 'bmp') return undefined;
  try {
    checkImageLimits(header);
    decodeImageRows(bytes, { start() {}, row() {} });
  } catch (error) {
    if (error instanceof Error && !/^image too large/.test(error.message)) return error;
  }
  return undefined;
}

/**
 * The model input for an image file's bytes: uint8 packed [height, width, channels] of `shape`.
 * Which decoder reads the file depends on its header alone (chooseImageDecoder), so the same file
 * always yields the same pixels wherever it is decoded. Our decoders resize while the rows are decoded
 * (a PNG is never held whole); libvips shrinks JPEG and WebP while decoding, turns the image upright
 * and converts its colour profile to sRGB. The header is checked against the image limits first.
 */
export async function decodeImageToModelInput(bytes: Uint8Array, shape: ImageShape): Promise<Uint8Array> {
  const header = readImageHeader(bytes);
  const decoder = chooseImageDecoder(header);
  if (decoder === 'libvips') {
    checkImageLimits(header, 'libvips', shape);
    if (header.format === 'jpeg') requireJpegEnd(bytes, header);
    try {
      return await decodeWithLibvips(bytes, header, shape);
    } catch (error) {
      // libvips' reasons are terse ("libspng read error"); our decoder, where it reads the format, says
      // what is wrong (a short pixel stream, a bad chunk). Only failed files pay for the second look.
      throw reasonFromOurDecoder(bytes, header) ?? error;
    }
  }
  const builder = new ModelInputBuilder(shape);
  decodeImageRows(bytes, builder);
  return builder.finish();
}
