// Reads an image's size and colour model from its header without decoding pixels: used to refuse
// decompression bombs before decoding, to choose a dataset's channel count cheaply, and to see whether
// an image needs more than its pixels (an EXIF orientation, an ICC colour profile) to be shown right.
import { imageFormatName, sniffImageFormat, SUPPORTED_FORMATS_TEXT, type SupportedImageFormat } from './imageFormat';

export interface ImageHeader {
  format: SupportedImageFormat;
  width: number;
  height: number;
  /**
   * 1 for greyscale sources (grey PNGs, PNG/GIF/BMP palettes of greys, one-component JPEGs), else 3
   * (WebP has no grey mode). Alpha is not counted.
   */
  channels: 1 | 3;
  /** JPEG only: byte offset of the first start-of-scan marker (entropy-coded data follows it). */
  scanOffset?: number;
  /** JPEG only: colour components (1 grey, 3 YCbCr, 4 CMYK/YCCK). */
  components?: number;
  /** JPEG only: samples of all components together (chroma subsampling makes it less than components x pixels). */
  componentSamples?: number;
  /** PNG only: colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA) and bits per sample. */
  colorType?: 0 | 2 | 3 | 4 | 6;
  bitDepth?: number;
  /** PNG only: bits per pixel of the stored rows (samples per pixel x bit depth). */
  bitsPerPixel?: number;
  /** PNG only: Adam7 interlacing. */
  interlaced?: boolean;
  /**
   * The EXIF orientation (1 upright, 2-8 mirrored and/or turned; 6 and 8 are a quarter turn) when the
   * header holds one: JPEG APP1, PNG eXIf, WebP EXIF. Width and height are as stored, before turning.
   */
  orientation?: number;
  /** True when the file embeds an ICC colour profile (JPEG APP2, PNG iCCP, WebP ICCP). */
  iccProfile?: boolean;
}

/** Samples per pixel of each PNG colour type. */
export const PNG_SAMPLES: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

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

/**
 * The orientation tag (0x0112) of the first image directory of the TIFF structure EXIF data is, held in
 * bytes[start, end); undefined when it is absent or the structure is damaged. An "Exif\0\0" prefix is skipped.
 */
function exifOrientation(bytes: Uint8Array, start: number, end: number): number | undefined {
  if (end - start >= 6 && chunkType(bytes, start) === 'Exif' && bytes[start + 4] === 0 && bytes[start + 5] === 0) start += 6;
  end = Math.min(end, bytes.length);
  if (end - start < 8) return undefined;
  const little = bytes[start] === 0x49 && bytes[start + 1] === 0x49;
  if (!little && !(bytes[start] === 0x4d && bytes[start + 1] === 0x4d)) return undefined;
  const u16 = (at: number) => (little ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] << 8) | bytes[at + 1]);
  const u32 = (at: number) => (little ? readU32LE(bytes, at) : readU32(bytes, at));
  if (u16(start + 2) !== 42) return undefined;
  const directory = start + u32(start + 4);
  if (directory + 2 > end) return undefined;
  const entries = u16(directory);
  for (let i = 0; i < entries; i++) {
    const entry = directory + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    // Orientation: type SHORT (3), one value, stored in the first two bytes of the value field.
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return u16(entry + 2) === 3 && value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

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
  const interlace = bytes[28];
  if (bytes[26] !== 0 || bytes[27] !== 0 || interlace > 1) {
    throw new Error(`corrupt PNG (unknown compression, filter or interlace method ${bytes[26]}/${bytes[27]}/${interlace})`);
  }
  const before = chunksBeforePixels(bytes);
  let channels: 1 | 3 = colorType === 0 || colorType === 4 ? 1 : 3;
  if (colorType === 3) channels = before.greyPalette ? 1 : 3;
  return {
    format: 'png', width, height, channels, colorType: colorType as ImageHeader['colorType'], bitDepth: depth,
    bitsPerPixel: PNG_SAMPLES[colorType] * depth, interlaced: interlace === 1,
    ...(before.orientation !== undefined ? { orientation: before.orientation } : {}),
    ...(before.iccProfile ? { iccProfile: true } : {}),
  };
}

/**
 * What the chunks before a PNG's pixel data say: whether its palette (PLTE) holds only greys, its
 * EXIF orientation (eXIf) and whether it embeds a colour profile (iCCP). Chunks past the bytes given
 * (a header read from the start of the file) are not seen.
 */
function chunksBeforePixels(bytes: Uint8Array): { greyPalette: boolean; orientation?: number; iccProfile: boolean } {
  const found: { greyPalette: boolean; orientation?: number; iccProfile: boolean } = { greyPalette: false, iccProfile: false };
  let at = PNG_SIGNATURE_BYTES;
  while (at + 8 <= bytes.length) {
    const length = readU32(bytes, at);
    const type = chunkType(bytes, at + 4);
    const start = at + 8;
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'PLTE' && start + length <= bytes.length && length % 3 === 0) {
      found.greyPalette = true;
      for (let i = start; i < start + length; i += 3) {
        if (bytes[i] !== bytes[i + 1] || bytes[i] !== bytes[i + 2]) {
          found.greyPalette = false;
          break;
        }
      }
    } else if (type === 'iCCP') {
      found.iccProfile = true;
    } else if (type === 'eXIf') {
      found.orientation = exifOrientation(bytes, start, start + length);
    }
    at += 12 + length;
  }
  return found;
}

/** Samples all components hold together, from their sampling factors (4:2:0 holds 1.5 per pixel). */
function componentSamples(width: number, height: number, sampling: number[]): number {
  const factors = sampling.map((byte) => ({ h: Math.max(1, byte >> 4), v: Math.max(1, byte & 15) }));
  const hMax = Math.max(...factors.map((f) => f.h));
  const vMax = Math.max(...factors.map((f) => f.v));
  return factors.reduce((sum, f) => sum + Math.ceil((width * f.h) / hMax) * Math.ceil((height * f.v) / vMax), 0);
}

// JPEG start-of-frame markers: baseline, extended, progressive and lossless, Huffman or arithmetic.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const START_OF_SCAN = 0xda;

function readJpegHeader(bytes: Uint8Array): ImageHeader {
  let at = 2;
  let frame: { width: number; height: number; components: number; sampling: number[] } | undefined;
  let orientation: number | undefined;
  let iccProfile = false;
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
    // APP1 "Exif\0\0" + a TIFF structure; APP2 "ICC_PROFILE\0" + one part of a profile.
    if (marker === 0xe1 && orientation === undefined) orientation = exifOrientation(bytes, at + 2, at + length);
    if (marker === 0xe2 && length >= 14 && String.fromCharCode(...bytes.subarray(at + 2, at + 14)) === 'ICC_PROFILE\0') iccProfile = true;
    if (SOF_MARKERS.has(marker)) {
      if (at + 8 > bytes.length) break;
      const components = bytes[at + 7];
      frame = {
        height: (bytes[at + 3] << 8) | bytes[at + 4],
        width: (bytes[at + 5] << 8) | bytes[at + 6],
        components,
        // Per component: id, then horizontal << 4 | vertical sampling factor, then its quantisation table.
        sampling: Array.from({ length: components }, (_, i) => bytes[at + 9 + i * 3] ?? 0x11),
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
        components: frame.components,
        componentSamples: componentSamples(frame.width, frame.height, frame.sampling),
        ...(orientation !== undefined ? { orientation } : {}),
        ...(iccProfile ? { iccProfile: true } : {}),
      };
    }
    at += length;
  }
  throw new Error('truncated JPEG (file ends before the image data)');
}

function readU16LE(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** True when every RGB triple of a colour table (`stride` bytes per entry) is a grey. */
function tableIsGrey(bytes: Uint8Array, start: number, entries: number, stride: number): boolean {
  for (let i = 0; i < entries; i++) {
    const at = start + i * stride;
    if (bytes[at] !== bytes[at + 1] || bytes[at] !== bytes[at + 2]) return false;
  }
  return true;
}

// GIF layout: "GIF8?a", logical screen width/height (u16 LE), packed flags, background, aspect; then
// the global colour table, extension blocks (0x21) and the first image descriptor (0x2c).
function readGifHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 13) throw new Error('truncated GIF (no screen descriptor)');
  const width = readU16LE(bytes, 6);
  const height = readU16LE(bytes, 8);
  if (width === 0 || height === 0) throw new Error(`corrupt GIF (size ${width} x ${height})`);
  let at = 13;
  const globalFlags = bytes[10];
  const tables: { start: number; entries: number }[] = [];
  if (globalFlags & 0x80) {
    const entries = 1 << ((globalFlags & 7) + 1);
    tables.push({ start: at, entries });
    at += entries * 3;
  }
  // Walk to the first frame: only its colour table (local, else global) decides grey or colour.
  for (;;) {
    if (at >= bytes.length) throw new Error('truncated GIF (file ends before the first frame)');
    const block = bytes[at];
    if (block === 0x21) {
      at += 2; // introducer + label, then data sub-blocks until a zero length
      while (at < bytes.length && bytes[at] !== 0) at += bytes[at] + 1;
      at += 1;
    } else if (block === 0x2c) {
      if (at + 10 > bytes.length) throw new Error('truncated GIF (file ends in the first frame header)');
      const frameWidth = readU16LE(bytes, at + 5);
      const frameHeight = readU16LE(bytes, at + 7);
      if (readU16LE(bytes, at + 1) + frameWidth > width || readU16LE(bytes, at + 3) + frameHeight > height) {
        throw new Error(`corrupt GIF (its first frame lies outside the ${width} x ${height} image)`);
      }
      const localFlags = bytes[at + 9];
      if (localFlags & 0x80) tables.splice(0, tables.length, { start: at + 10, entries: 1 << ((localFlags & 7) + 1) });
      break;
    } else if (block === 0x3b) {
      throw new Error('corrupt GIF (no image in the file)');
    } else {
      throw new Error(`corrupt GIF (unknown block 0x${block.toString(16)} at byte ${at})`);
    }
  }
  if (tables.length === 0) throw new Error('corrupt GIF (no colour table)');
  const { start, entries } = tables[0];
  if (start + entries * 3 > bytes.length) throw new Error('truncated GIF (file ends in a colour table)');
  return { format: 'gif', width, height, channels: tableIsGrey(bytes, start, entries, 3) ? 1 : 3 };
}

/** BMP compression methods the decoder handles: none, RLE8, RLE4, bit fields, alpha bit fields. */
const BMP_COMPRESSIONS = new Set([0, 1, 2, 3, 6]);
const BMP_INFO_HEADER_SIZES = new Set([40, 52, 56, 64, 108, 124]);

// BMP layout: 14-byte file header ("BM", size, reserved, pixel offset), then a DIB header: the
// 12-byte OS/2 core header (u16 sizes, 3-byte palette entries) or a Windows info header of 40+
// bytes (i32 sizes, negative height = top-down rows, 4-byte palette entries).
function readBmpHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 26) throw new Error('truncated BMP (no image header)');
  const headerSize = readU32LE(bytes, 14);
  let width: number;
  let height: number;
  let bitsPerPixel: number;
  let compression = 0;
  let colours = 0;
  let paletteStride = 4;
  if (headerSize === 12) {
    width = readU16LE(bytes, 18);
    height = readU16LE(bytes, 20);
    bitsPerPixel = readU16LE(bytes, 24);
    paletteStride = 3;
  } else if (BMP_INFO_HEADER_SIZES.has(headerSize)) {
    if (bytes.length < 50) throw new Error('truncated BMP (no image header)');
    width = readU32LE(bytes, 18) | 0;
    height = Math.abs(readU32LE(bytes, 22) | 0);
    bitsPerPixel = readU16LE(bytes, 28);
    compression = readU32LE(bytes, 30);
    colours = readU32LE(bytes, 46);
  } else {
    throw new Error(`unsupported BMP (a ${headerSize}-byte image header)`);
  }
  if (width <= 0 || height <= 0) throw new Error(`corrupt BMP (size ${width} x ${height})`);
  if (![1, 2, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw new Error(`corrupt BMP (${bitsPerPixel} bits per pixel)`);
  if (compression === 4 || compression === 5) {
    throw new Error(`unsupported BMP (it wraps a ${compression === 4 ? 'JPEG' : 'PNG'} image; open that instead)`);
  }
  if (!BMP_COMPRESSIONS.has(compression) || (headerSize === 64 && compression === 3)) {
    throw new Error(`unsupported BMP (compression method ${compression})`);
  }
  let channels: 1 | 3 = 3;
  if (bitsPerPixel <= 8) {
    const entries = Math.min(colours === 0 ? 1 << bitsPerPixel : colours, 1 << bitsPerPixel);
    const start = 14 + headerSize + (headerSize === 40 && compression === 3 ? 12 : headerSize === 40 && compression === 6 ? 16 : 0);
    if (start + entries * paletteStride > bytes.length) throw new Error('truncated BMP (file ends in the colour table)');
    // Palette entries are stored blue, green, red: the grey test does not care about the order.
    if (tableIsGrey(bytes, start, entries, paletteStride)) channels = 1;
  }
  return { format: 'bmp', width, height, channels };
}

// WebP layout: "RIFF" size "WEBP", then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk.
function readWebpHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 30) throw new Error('truncated WebP (no image header)');
  const chunk = chunkType(bytes, 12);
  let width: number;
  let height: number;
  let extras: Pick<ImageHeader, 'orientation' | 'iccProfile'> = {};
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes) then the start code 9d 01 2a and 14-bit sizes.
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) throw new Error('corrupt WebP (bad VP8 start code)');
    width = readU16LE(bytes, 26) & 0x3fff;
    height = readU16LE(bytes, 28) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) throw new Error('corrupt WebP (bad lossless signature)');
    const bits = readU32LE(bytes, 21);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    if (bytes[20] & 0x02) throw new Error('animated WebP images are not supported (export one frame as PNG)');
    width = (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)) + 1;
    height = (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)) + 1;
    extras = webpExtras(bytes, bytes[20]);
  } else {
    throw new Error(`corrupt WebP (unknown first chunk "${chunk.replace(/[^\x20-\x7e]/g, '?')}")`);
  }
  if (width === 0 || height === 0) throw new Error(`corrupt WebP (size ${width} x ${height})`);
  return { format: 'webp', width, height, channels: 3, ...extras };
}

/** An extended WebP's colour profile (VP8X flag 0x20) and EXIF orientation (flag 0x08: an EXIF chunk, after the image data). */
function webpExtras(bytes: Uint8Array, flags: number): Pick<ImageHeader, 'orientation' | 'iccProfile'> {
  const extras: Pick<ImageHeader, 'orientation' | 'iccProfile'> = {};
  if (flags & 0x20) extras.iccProfile = true;
  if (!(flags & 0x08)) return extras;
  // RIFF chunks: a four-letter type, a little-endian length, the data padded to an even length.
  for (let at = 12; at + 8 <= bytes.length;) {
    const length = readU32LE(bytes, at + 4);
    if (chunkType(bytes, at) === 'EXIF') {
      const orientation = exifOrientation(bytes, at + 8, at + 8 + length);
      if (orientation !== undefined) extras.orientation = orientation;
      break;
    }
    at += 8 + length + (length & 1);
  }
  return extras;
}

/** The header of a supported image; throws an Error with a user-readable reason for anything else. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw new Error('empty file (0 bytes)');
  const format = sniffImageFormat(bytes);
  switch (format) {
    case 'png': return readPngHeader(bytes);
    case 'jpeg': return readJpegHeader(bytes);
    case 'gif': return readGifHeader(bytes);
    case 'bmp': return readBmpHeader(bytes);
    case 'webp': return readWebpHeader(bytes);
    case undefined: throw new Error(`not a supported image (${SUPPORTED_FORMATS_TEXT})`);
    default: throw new Error(`${imageFormatName(format)} images are not supported (convert to PNG or JPEG)`);
  }
}
