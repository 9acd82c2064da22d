// Decodes the first frame of a GIF into RGBA over the whole logical screen: pixels the frame does not
// cover and the frame's transparent colour stay alpha 0 (so they flatten onto white like PNG alpha).
// omggif finds the frame; its pixels are decompressed here, because omggif leaves the rest of a frame
// whose compressed data ends early blank (and logs a warning to stdout) where this is an error.
import { GifReader } from 'omggif';
import type { RgbaImage } from './rgbaImage';
import { errorMessage } from '../errorMessage';

const MAX_CODES = 4096;

/**
 * Decompresses a GIF image's LZW data (code size byte, then sub-blocks) starting at `at` into `out`
 * (palette indices). Returns how many indices it held; extra data past `out.length` is ignored.
 */
function decompress(bytes: Uint8Array, at: number, out: Uint8Array): number {
  const minCodeSize = bytes[at++];
  if (!(minCodeSize >= 1 && minCodeSize <= 11)) throw new Error(`corrupt GIF (LZW code size ${minCodeSize})`);
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const prefix = new Int16Array(MAX_CODES);
  const suffix = new Uint8Array(MAX_CODES);
  const first = new Uint8Array(MAX_CODES);
  const length = new Uint16Array(MAX_CODES);
  for (let i = 0; i < clear; i++) {
    prefix[i] = -1;
    suffix[i] = i & 0xff;
    first[i] = i & 0xff;
    length[i] = 1;
  }
  let codeSize = minCodeSize + 1;
  let next = end + 1;
  let previous = -1;
  let written = 0;
  let bits = 0;
  let bitCount = 0;
  let blockLeft = 0;
  let exhausted = false;
  for (;;) {
    // Gather enough bits for one code, crossing sub-block boundaries.
    while (bitCount < codeSize && !exhausted) {
      if (blockLeft === 0) {
        if (at >= bytes.length) {
          exhausted = true;
          break;
        }
        blockLeft = bytes[at++];
        if (blockLeft === 0) {
          exhausted = true;
          break;
        }
      }
      if (at >= bytes.length) {
        exhausted = true;
        break;
      }
      bits |= bytes[at++] << bitCount;
      bitCount += 8;
      blockLeft--;
    }
    if (bitCount < codeSize) break;
    const code = bits & ((1 << codeSize) - 1);
    bits >>>= codeSize;
    bitCount -= codeSize;
    if (code === clear) {
      codeSize = minCodeSize + 1;
      next = end + 1;
      previous = -1;
      continue;
    }
    if (code === end) break;
    if (previous === -1) {
      if (code >= clear) throw new Error('corrupt GIF (its image data starts with an undefined code)');
    } else if (code > next || (code === next && next >= MAX_CODES)) {
      throw new Error('corrupt GIF (its image data uses an undefined code)');
    } else if (next < MAX_CODES) {
      // The new entry is the previous string plus the first index of this one (of itself, for code === next).
      prefix[next] = previous;
      first[next] = first[previous];
      suffix[next] = code === next ? first[previous] : first[code];
      length[next] = length[previous] + 1;
      next++;
      if (next === 1 << codeSize && codeSize < 12) codeSize++;
    }
    // Write the string of `code` backwards from its last index.
    const size = length[code];
    let c = code;
    for (let i = size - 1; i >= 0; i--) {
      if (written + i < out.length) out[written + i] = suffix[c];
      c = prefix[c];
    }
    written += size;
    previous = code;
    if (written >= out.length) return out.length;
  }
  return written;
}

export function decodeGif(bytes: Uint8Array): RgbaImage {
  let reader: GifReader;
  try {
    reader = new GifReader(bytes);
  } catch (error) {
    throw new Error(`corrupt or truncated GIF (${errorMessage(error)})`);
  }
  if (reader.numFrames() === 0) throw new Error('corrupt GIF (no image in the file)');
  const { width, height } = reader;
  const frame = reader.frameInfo(0);
  if (frame.x + frame.width > width || frame.y + frame.height > height) {
    throw new Error(`corrupt GIF (its first frame lies outside the ${width} x ${height} image)`);
  }
  const indices = new Uint8Array(frame.width * frame.height);
  const decoded = decompress(bytes, frame.data_offset, indices);
  if (decoded < indices.length) {
    throw new Error(`truncated GIF (its image data ends after ${decoded} of ${indices.length} pixels)`);
  }
  const data = new Uint8Array(width * height * 4);
  const paletteOffset = frame.palette_offset;
  const paletteEntries = frame.palette_size ?? 0;
  if (paletteOffset === null || paletteEntries === 0) throw new Error('corrupt GIF (no colour table)');
  const transparent = frame.transparent_index ?? -1;
  // Interlaced frames store rows 0, 8, 16... then 4, 12... then 2, 6... then 1, 3...
  const rowOrder: number[] = [];
  if (frame.interlaced) {
    for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]]) for (let r = start; r < frame.height; r += step) rowOrder.push(r);
  } else {
    for (let r = 0; r < frame.height; r++) rowOrder.push(r);
  }
  rowOrder.forEach((frameRow, stored) => {
    const y = frame.y + frameRow;
    for (let fx = 0; fx < frame.width; fx++) {
      const index = indices[stored * frame.width + fx];
      if (index === transparent) continue;
      if (index >= paletteEntries) throw new Error(`corrupt GIF (a pixel uses colour ${index}, the palette has ${paletteEntries})`);
      const at = (y * width + frame.x + fx) * 4;
      const from = paletteOffset + index * 3;
      data[at] = bytes[from];
      data[at + 1] = bytes[from + 1];
      data[at + 2] = bytes[from + 2];
      data[at + 3] = 255;
    }
  });
  return { width, height, data };
}
