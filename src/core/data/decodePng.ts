// Decodes a PNG row by row: every colour type and bit depth (1-16), palettes and tRNS transparency,
// Adam7 interlacing. The pixel data is inflated with a hard cap at the size the header declares (no
// deflate bomb gets past it) and must fill that size (a short stream is an error, never a blank
// image); rows are unfiltered in place and handed on one at a time as 8-bit grey or RGB, composited
// onto white, so no full-size RGBA copy is ever made of a non-interlaced image.
// Samples are scaled and composited exactly as pngjs and flattenRgba did (floor(v * 255 / max + 0.5),
// tRNS matches fully transparent), so pixels do not change for datasets trained before.
import { constants as zlibConstants, crc32, inflateSync } from 'node:zlib';
import { PNG_SAMPLES, type ImageHeader } from './imageHeader';
import type { RowSink } from './rowSink';
import { errorMessage } from '../errorMessage';

const SIGNATURE_BYTES = 8;
const WHITE = 255;

// Adam7 passes: first column and row, column and row steps.
const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

interface Chunks {
  idat: Uint8Array;
  /** [r, g, b, a] per palette entry. */
  palette: Uint8Array | undefined;
  paletteSize: number;
  /** tRNS key of grey (1 value) or RGB (3 values) images, at the image's bit depth. */
  transparentKey: number[] | undefined;
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

/** The chunks decoding needs, checked (lengths, CRCs, order); ancillary chunks are skipped. */
function readChunks(bytes: Uint8Array, colorType: number): Chunks {
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  let paletteSize = 0;
  let transparency: Uint8Array | undefined;
  let at = SIGNATURE_BYTES;
  let sawIdat = false;
  let sawEnd = false;
  while (at + 8 <= bytes.length) {
    const length = readU32(bytes, at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (at + 12 + length > bytes.length) {
      throw new Error(`truncated PNG (the file ends inside its ${type.replace(/[^\x20-\x7e]/g, '?')} chunk)`);
    }
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== readU32(bytes, at + 8 + length)) {
      throw new Error(`corrupt PNG (checksum error in its ${type.replace(/[^\x20-\x7e]/g, '?')} chunk)`);
    }
    if (type === 'IDAT') {
      idat.push(data);
      sawIdat = true;
    } else if (type === 'PLTE') {
      if (length % 3 !== 0 || length === 0 || length > 768) throw new Error('corrupt PNG (bad palette)');
      paletteSize = length / 3;
      palette = new Uint8Array(paletteSize * 4);
      for (let i = 0; i < paletteSize; i++) {
        palette.set(data.subarray(i * 3, i * 3 + 3), i * 4);
        palette[i * 4 + 3] = 255;
      }
    } else if (type === 'tRNS') {
      transparency = data;
    } else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    at += 12 + length;
  }
  if (!sawIdat) throw new Error(sawEnd ? 'corrupt PNG (no image data)' : 'truncated PNG (the file ends before its image data)');
  let transparentKey: number[] | undefined;
  if (transparency) {
    const view = (i: number) => (transparency[i * 2] << 8) | transparency[i * 2 + 1];
    if (colorType === 3 && palette) {
      for (let i = 0; i < Math.min(transparency.length, paletteSize); i++) palette[i * 4 + 3] = transparency[i];
    } else if (colorType === 0 && transparency.length >= 2) {
      transparentKey = [view(0)];
    } else if (colorType === 2 && transparency.length >= 6) {
      transparentKey = [view(0), view(1), view(2)];
    }
  }
  if (colorType === 3 && !palette) throw new Error('corrupt PNG (a palette image without its palette)');
  const joined = idat.length === 1 ? idat[0] : Buffer.concat(idat);
  return { idat: joined, palette, paletteSize, transparentKey };
}

function rowBytesOf(width: number, bitsPerPixel: number): number {
  return Math.ceil((width * bitsPerPixel) / 8);
}

/** Undoes the row filter of `row` (in place) given the unfiltered previous row (or undefined for the first). */
function unfilter(filter: number, row: Uint8Array, previous: Uint8Array | undefined, bpp: number): void {
  const n = row.length;
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) row[i] = (row[i] + row[i - bpp]) & 0xff;
      return;
    case 2:
      if (previous) for (let i = 0; i < n; i++) row[i] = (row[i] + previous[i]) & 0xff;
      return;
    case 3:
      for (let i = 0; i < n; i++) {
        const left = i >= bpp ? row[i - bpp] : 0;
        const up = previous ? previous[i] : 0;
        row[i] = (row[i] + ((left + up) >> 1)) & 0xff;
      }
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? row[i - bpp] : 0;
        const b = previous ? previous[i] : 0;
        const c = i >= bpp && previous ? previous[i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        row[i] = (row[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      return;
    default:
      throw new Error(`corrupt PNG (unknown row filter ${filter})`);
  }
}

/** Turns one unfiltered row of samples into 8-bit grey or RGB pixels composited onto white. */
class RowConverter {
  private readonly samples: number;
  private readonly maxSample: number;
  /** Source sample value -> 8-bit value (the same rounding as pngjs' scaleDepth). */
  private readonly scale: Uint8Array | undefined;

  constructor(
    private readonly colorType: number,
    private readonly depth: number,
    private readonly channels: 1 | 3,
    private readonly chunks: Chunks,
  ) {
    this.samples = PNG_SAMPLES[colorType];
    this.maxSample = 2 ** depth - 1;
    if (depth !== 8 && colorType !== 3) {
      this.scale = new Uint8Array(this.maxSample + 1);
      for (let v = 0; v <= this.maxSample; v++) this.scale[v] = Math.floor((v * 255) / this.maxSample + 0.5);
    }
  }

  private sample(row: Uint8Array, index: number): number {
    switch (this.depth) {
      case 8: return row[index];
      case 16: return (row[index * 2] << 8) | row[index * 2 + 1];
      default: {
        const bit = index * this.depth;
        return (row[bit >> 3] >> (8 - this.depth - (bit & 7))) & this.maxSample;
      }
    }
  }

  private to8(value: number): number {
    return this.scale ? this.scale[value] : value;
  }

  /** The common opaque 8-bit layouts, without per-sample dispatch. */
  private convertOpaque8(row: Uint8Array, pixels: number, out: Uint8Array): boolean {
    if (this.depth !== 8 || this.chunks.transparentKey !== undefined) return false;
    if (this.colorType === 2 && this.channels === 3) {
      out.set(row.subarray(0, pixels * 3));
      return true;
    }
    if (this.colorType === 0 && this.channels === 1) {
      out.set(row.subarray(0, pixels));
      return true;
    }
    return false;
  }

  /** `out` gets `pixels` pixels of `channels` bytes each, starting at pixel `outStart` stepping by `outStep`. */
  convert(row: Uint8Array, pixels: number, out: Uint8Array, outStart = 0, outStep = 1): void {
    if (outStart === 0 && outStep === 1 && this.convertOpaque8(row, pixels, out)) return;
    const { channels, samples } = this;
    const key = this.chunks.transparentKey;
    const palette = this.chunks.palette;
    for (let x = 0; x < pixels; x++) {
      let r: number;
      let g: number;
      let b: number;
      let a: number;
      if (this.colorType === 3) {
        const index = this.sample(row, x);
        if (index >= this.chunks.paletteSize) {
          throw new Error(`corrupt PNG (a pixel uses colour ${index}, the palette has ${this.chunks.paletteSize})`);
        }
        r = palette![index * 4];
        g = palette![index * 4 + 1];
        b = palette![index * 4 + 2];
        a = palette![index * 4 + 3];
      } else if (samples <= 2) {
        const grey = this.sample(row, x * samples);
        if (samples === 2) {
          a = this.to8(this.sample(row, x * 2 + 1));
        } else {
          a = key !== undefined && grey === key[0] ? 0 : 255;
        }
        r = g = b = this.to8(grey);
      } else {
        const rs = this.sample(row, x * samples);
        const gs = this.sample(row, x * samples + 1);
        const bs = this.sample(row, x * samples + 2);
        if (samples === 4) {
          a = this.to8(this.sample(row, x * 4 + 3));
        } else {
          a = key !== undefined && rs === key[0] && gs === key[1] && bs === key[2] ? 0 : 255;
        }
        r = this.to8(rs);
        g = this.to8(gs);
        b = this.to8(bs);
      }
      const at = (outStart + x * outStep) * channels;
      if (a === 255) {
        out[at] = r;
        if (channels === 3) {
          out[at + 1] = g;
          out[at + 2] = b;
        }
      } else {
        out[at] = Math.round((r * a + WHITE * (255 - a)) / 255);
        if (channels === 3) {
          out[at + 1] = Math.round((g * a + WHITE * (255 - a)) / 255);
          out[at + 2] = Math.round((b * a + WHITE * (255 - a)) / 255);
        }
      }
    }
  }
}

/** Inflates the pixel data, refusing more than `expected` bytes and reporting fewer. */
function inflate(idat: Uint8Array, expected: number, rowBytes: number): Buffer {
  let inflated: Buffer;
  try {
    // Z_SYNC_FLUSH: a cut stream gives back what it holds instead of failing, so the error can say where it ends.
    inflated = inflateSync(idat, { maxOutputLength: Math.max(1, expected), finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error('corrupt PNG (its compressed data holds more pixels than its header declares)');
    }
    throw new Error(`corrupt PNG (${errorMessage(error)})`);
  }
  if (inflated.length < expected) {
    const rows = Math.floor(inflated.length / (rowBytes + 1));
    throw new Error(`truncated PNG (its pixel data ends after ${inflated.length} of ${expected} bytes, about row ${rows})`);
  }
  return inflated;
}

/**
 * Decodes the PNG whose checked header is `header` (from readImageHeader, within the decode limits)
 * into `sink`, one row of `header.channels` 8-bit samples at a time, top row first. Throws an Error with
 * a user-readable reason for corrupt or truncated files.
 */
export function decodePngRows(bytes: Uint8Array, header: ImageHeader, sink: RowSink): void {
  const { width, height, channels } = header;
  const colorType = header.colorType ?? 6;
  const depth = header.bitDepth ?? 8;
  const bitsPerPixel = header.bitsPerPixel ?? PNG_SAMPLES[colorType] * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const chunks = readChunks(bytes, colorType);
  const converter = new RowConverter(colorType, depth, channels, chunks);
  sink.start(width, height, channels);
  const out = new Uint8Array(width * channels);

  if (!header.interlaced) {
    const rowBytes = rowBytesOf(width, bitsPerPixel);
    const data = inflate(chunks.idat, height * (rowBytes + 1), rowBytes);
    let previous: Uint8Array | undefined;
    for (let y = 0; y < height; y++) {
      const start = y * (rowBytes + 1);
      const row = data.subarray(start + 1, start + 1 + rowBytes);
      unfilter(data[start], row, previous, bpp);
      converter.convert(row, width, out);
      sink.row(out);
      previous = row;
    }
    return;
  }

  // Adam7: each pass is a small image of its own; they are gathered into one 8-bit image, then handed on.
  const passes = ADAM7.map(([x0, y0, dx, dy]) => {
    const passWidth = width > x0 ? Math.ceil((width - x0) / dx) : 0;
    const passHeight = height > y0 ? Math.ceil((height - y0) / dy) : 0;
    return { x0, y0, dx, dy, passWidth, passHeight, rowBytes: rowBytesOf(passWidth, bitsPerPixel) };
  }).filter((pass) => pass.passWidth > 0 && pass.passHeight > 0);
  const expected = passes.reduce((sum, pass) => sum + pass.passHeight * (pass.rowBytes + 1), 0);
  const data = inflate(chunks.idat, expected, passes[0]?.rowBytes ?? 0);
  const image = new Uint8Array(width * height * channels);
  let offset = 0;
  for (const pass of passes) {
    let previous: Uint8Array | undefined;
    for (let r = 0; r < pass.passHeight; r++) {
      const row = data.subarray(offset + 1, offset + 1 + pass.rowBytes);
      unfilter(data[offset], row, previous, bpp);
      const y = pass.y0 + r * pass.dy;
      converter.convert(row, pass.passWidth, image, y * width + pass.x0, pass.dx);
      previous = row;
      offset += pass.rowBytes + 1;
    }
  }
  for (let y = 0; y < height; y++) sink.row(image.subarray(y * width * channels, (y + 1) * width * channels));
}
