// Decodes a Windows or OS/2 bitmap (1/2/4/8-bit palette, RLE4/RLE8, 16/24/32-bit with or without
// bit-field masks, bottom-up or top-down rows) into RGBA. The header was checked by readImageHeader.
import type { RgbaImage } from './rgbaImage';

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

interface Channel {
  mask: number;
  shift: number;
  /** Largest value the mask holds after shifting, for scaling to 0-255. */
  max: number;
}

function channel(mask: number): Channel {
  if (mask === 0) return { mask: 0, shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { mask, shift, max: mask >>> shift };
}

function extract(value: number, c: Channel): number {
  if (c.max === 0) return 0;
  const v = (value & c.mask) >>> c.shift;
  return c.max === 255 ? v : Math.round((v * 255) / c.max);
}

class Reader {
  constructor(private readonly bytes: Uint8Array) {}

  u8(at: number): number {
    if (at >= this.bytes.length) throw new Error('truncated BMP (file ends in the pixel data)');
    return this.bytes[at];
  }

  u16(at: number): number {
    return this.u8(at) | (this.u8(at + 1) << 8);
  }

  u32(at: number): number {
    return (this.u8(at) | (this.u8(at + 1) << 8) | (this.u8(at + 2) << 16) | (this.u8(at + 3) << 24)) >>> 0;
  }

  i32(at: number): number {
    return this.u32(at) | 0;
  }
}

/** Palette indices of an RLE-compressed bitmap, row-major bottom-up as stored; -1 = skipped pixel. */
function expandRle(r: Reader, at: number, width: number, height: number, fourBit: boolean): Int16Array {
  const indices = new Int16Array(width * height).fill(-1);
  let x = 0;
  let y = 0;
  const put = (index: number) => {
    if (x < width && y < height) indices[y * width + x] = index;
    x++;
  };
  for (;;) {
    const count = r.u8(at);
    const value = r.u8(at + 1);
    at += 2;
    if (count > 0) {
      for (let i = 0; i < count; i++) put(fourBit ? (i % 2 === 0 ? value >> 4 : value & 15) : value);
    } else if (value === 0) {
      x = 0;
      y++;
    } else if (value === 1) {
      break;
    } else if (value === 2) {
      x += r.u8(at);
      y += r.u8(at + 1);
      at += 2;
    } else {
      // Absolute run of `value` literal pixels, padded to a 16-bit boundary.
      const bytes = fourBit ? Math.ceil(value / 2) : value;
      for (let i = 0; i < value; i++) {
        put(fourBit ? (i % 2 === 0 ? r.u8(at + (i >> 1)) >> 4 : r.u8(at + (i >> 1)) & 15) : r.u8(at + i));
      }
      at += bytes + (bytes & 1);
    }
    if (y >= height) break;
  }
  return indices;
}

export function decodeBmp(bytes: Uint8Array): RgbaImage {
  const r = new Reader(bytes);
  const pixelOffset = r.u32(10);
  const headerSize = r.u32(14);
  const core = headerSize === 12;
  const width = core ? r.u16(18) : r.i32(18);
  const storedHeight = core ? r.u16(20) : r.i32(22);
  const topDown = storedHeight < 0;
  const height = Math.abs(storedHeight);
  const bitsPerPixel = core ? r.u16(24) : r.u16(28);
  const compression = core ? BI_RGB : r.u32(30);
  const usedColours = core ? 0 : r.u32(46);

  // Bit-field masks follow a 40-byte header, or sit inside the longer headers.
  let masks = bitsPerPixel === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
  let paletteStart = 14 + headerSize;
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const withAlpha = compression === BI_ALPHABITFIELDS || headerSize >= 56;
    masks = [r.u32(54), r.u32(58), r.u32(62), withAlpha ? r.u32(66) : 0];
    if (headerSize === 40) paletteStart += compression === BI_ALPHABITFIELDS ? 16 : 12;
  }
  const [red, green, blue, alpha] = masks.map(channel);

  let palette: Uint8Array | undefined;
  if (bitsPerPixel <= 8) {
    const stride = core ? 3 : 4;
    const entries = Math.min(usedColours === 0 ? 1 << bitsPerPixel : usedColours, 1 << bitsPerPixel);
    // Missing entries (a short palette) read as black, as viewers show them.
    palette = new Uint8Array((1 << bitsPerPixel) * 3);
    for (let i = 0; i < entries; i++) {
      const at = paletteStart + i * stride;
      palette[i * 3] = r.u8(at + 2);
      palette[i * 3 + 1] = r.u8(at + 1);
      palette[i * 3 + 2] = r.u8(at);
    }
  }

  const data = new Uint8Array(width * height * 4);
  // Row y of the picture (top first) is stored at row `height - 1 - y` for bottom-up files.
  const storedRow = (y: number) => (topDown ? y : height - 1 - y);
  const setIndexed = (p: number, index: number) => {
    if (index < 0) return; // RLE-skipped pixels stay transparent
    data[p * 4] = palette![index * 3];
    data[p * 4 + 1] = palette![index * 3 + 1];
    data[p * 4 + 2] = palette![index * 3 + 2];
    data[p * 4 + 3] = 255;
  };

  if (compression === BI_RLE8 || compression === BI_RLE4) {
    if (topDown) throw new Error('corrupt BMP (compressed bitmaps cannot be stored top-down)');
    const indices = expandRle(r, pixelOffset, width, height, compression === BI_RLE4);
    for (let y = 0; y < height; y++) {
      const from = storedRow(y) * width;
      for (let x = 0; x < width; x++) setIndexed(y * width + x, indices[from + x]);
    }
    return { width, height, data };
  }

  const rowBytes = Math.floor((bitsPerPixel * width + 31) / 32) * 4;
  if (pixelOffset + rowBytes * (height - 1) + Math.ceil((bitsPerPixel * width) / 8) > bytes.length) {
    throw new Error('truncated BMP (file ends in the pixel data)');
  }
  let sawAlpha = false;
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + storedRow(y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (bitsPerPixel <= 8) {
        const bit = x * bitsPerPixel;
        const byte = bytes[row + (bit >> 3)];
        setIndexed(p, (byte >> (8 - bitsPerPixel - (bit & 7))) & ((1 << bitsPerPixel) - 1));
        continue;
      }
      let value: number;
      if (bitsPerPixel === 24) {
        const at = row + x * 3;
        value = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
      } else if (bitsPerPixel === 16) {
        value = bytes[row + x * 2] | (bytes[row + x * 2 + 1] << 8);
      } else {
        const at = row + x * 4;
        value = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
      }
      data[p * 4] = extract(value, red);
      data[p * 4 + 1] = extract(value, green);
      data[p * 4 + 2] = extract(value, blue);
      const a = alpha.max === 0 ? 255 : extract(value, alpha);
      data[p * 4 + 3] = a;
      if (a !== 0) sawAlpha = true;
    }
  }
  // Many writers declare an alpha mask but leave it zero everywhere: such a file is opaque, not invisible.
  if (bitsPerPixel > 8 && !sawAlpha) for (let p = 3; p < data.length; p += 4) data[p] = 255;
  return { width, height, data };
}
