// Reads an image's size and colour model from its header without decoding pixels: used to refuse
// decompression bombs before decoding and to choose a dataset's channel count cheaply.
import { imageFormatName, sniffImageFormat, type SupportedImageFormat } from './imageFormat';

export interface ImageHeader {
  format: SupportedImageFormat;
  width: number;
  height: number;
  /** 1 for greyscale sources (grey PNGs, palettes of greys, one-component JPEGs), else 3. Alpha is not counted. */
  channels: 1 | 3;
  /** JPEG only: byte offset of the first start-of-scan marker (entropy-coded data follows it). */
  scanOffset?: number;
}

const PNG_SIGNATURE_BYTES = 8;

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

// Valid bit depths per PNG colour type (PNG spec, table 11.1).
const PNG_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function readPngHeader(bytes: Uint8Array): ImageHeader {
  // Signature (8) + IHDR length (4) + type (4) + 13 bytes of IHDR data.
  if (bytes.length < PNG_SIGNATURE_BYTES + 8 + 13 || chunkType(bytes, 12) !== 'IHDR') {
    throw new Error('truncated or corrupt PNG (no IHDR header)');
  }
  const width = readU32(bytes, 16);
  const height = readU32(bytes, 20);
  const depth = bytes[24];
  const colorType = bytes[25];
  if (width === 0 || height === 0) throw new Error(`corrupt PNG (size ${width} x ${height})`);
  if (!PNG_DEPTHS[colorType]?.includes(depth)) {
    throw new Error(`corrupt PNG (colour type ${colorType} with bit depth ${depth})`);
  }
  let channels: 1 | 3 = colorType === 0 || colorType === 4 ? 1 : 3;
  if (colorType === 3) channels = paletteIsGrey(bytes) ? 1 : 3;
  return { format: 'png', width, height, channels };
}

/** True when the PNG's palette (PLTE chunk, which precedes the pixel data) holds only greys. */
function paletteIsGrey(bytes: Uint8Array): boolean {
  let at = PNG_SIGNATURE_BYTES;
  while (at + 8 <= bytes.length) {
    const length = readU32(bytes, at);
    const type = chunkType(bytes, at + 4);
    if (type === 'IDAT' || type === 'IEND') return false;
    if (type === 'PLTE') {
      const start = at + 8;
      if (start + length > bytes.length || length % 3 !== 0) return false;
      for (let i = start; i < start + length; i += 3) {
        if (bytes[i] !== bytes[i + 1] || bytes[i] !== bytes[i + 2]) return false;
      }
      return true;
    }
    at += 12 + length;
  }
  return false;
}

// JPEG start-of-frame markers: baseline, extended, progressive and lossless, Huffman or arithmetic.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const START_OF_SCAN = 0xda;

function readJpegHeader(bytes: Uint8Array): ImageHeader {
  let at = 2;
  let frame: { width: number; height: number; components: number } | undefined;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`corrupt JPEG (expected a marker at byte ${at})`);
    while (bytes[at] === 0xff && at < bytes.length) at++; // markers may be preceded by fill bytes
    if (at >= bytes.length) break;
    const marker = bytes[at++];
    // Markers without a length field: TEM and RST0-7 (SOI/EOI do not occur before the frame).
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (at + 2 > bytes.length) break;
    const length = (bytes[at] << 8) | bytes[at + 1];
    if (length < 2) throw new Error('corrupt JPEG (bad segment length)');
    if (SOF_MARKERS.has(marker)) {
      if (at + 8 > bytes.length) break;
      frame = {
        height: (bytes[at + 3] << 8) | bytes[at + 4],
        width: (bytes[at + 5] << 8) | bytes[at + 6],
        components: bytes[at + 7],
      };
    }
    if (marker === START_OF_SCAN) {
      if (!frame) throw new Error('corrupt JPEG (scan data before the frame header)');
      if (frame.width === 0 || frame.height === 0) {
        throw new Error('unsupported JPEG (height defined after the scan)');
      }
      if (frame.components !== 1 && frame.components !== 3 && frame.components !== 4) {
        throw new Error(`unsupported JPEG (${frame.components} colour components)`);
      }
      return {
        format: 'jpeg',
        width: frame.width,
        height: frame.height,
        channels: frame.components === 1 ? 1 : 3,
        scanOffset: at - 2,
      };
    }
    at += length;
  }
  throw new Error('truncated JPEG (file ends before the image data)');
}

/** The header of a PNG or JPEG image; throws an Error with a user-readable reason for anything else. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw new Error('empty file (0 bytes)');
  const format = sniffImageFormat(bytes);
  if (format === 'png') return readPngHeader(bytes);
  if (format === 'jpeg') return readJpegHeader(bytes);
  if (format) throw new Error(`${imageFormatName(format)} images are not supported (convert to PNG or JPEG)`);
  throw new Error('not a PNG or JPEG image');
}
