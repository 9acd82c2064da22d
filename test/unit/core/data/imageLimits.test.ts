// Image decoding within limits: hostile headers are refused before anything is allocated, short
// pixel streams are unreadable files (never blank images), one bad file never ends a batch, and the
// row-by-row PNG decoder gives exactly the pixels of the whole-image decoder it replaced.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { GifReader } from 'omggif';
import { decodeImage, decodeImageToModelInput } from '../../../../src/core/data/imageDecode';
import { decodeImageFiles } from '../../../../src/core/data/decodeImageFiles';
import { MAX_DECODE_BYTES, MAX_IMAGE_FILE_BYTES, MAX_IMAGE_SIDE } from '../../../../src/core/data/imageLimits';
import { toModelInput } from '../../../../src/core/data/imagePreprocess';
import type { ImageShape } from '../../../../src/core/runSpec';
import { assemblePng, encodeBaselineJpeg, encodeJpeg, encodePng, type PngColorType } from '../../../fixtures/imageFixtures';
import { encodeBmp, encodeGif } from '../../../fixtures/moreImageFixtures';

/** What decodeImage gave before the row decoder: pngjs to 8-bit RGBA, composited onto white. */
function pngjsReference(bytes: Buffer, channels: 1 | 3): { width: number; height: number; channels: 1 | 3; data: Uint8Array } {
  const png = PNG.sync.read(bytes);
  const data = new Uint8Array(png.width * png.height * channels);
  const composite = (v: number, a: number) => (a === 255 ? v : Math.round((v * a + 255 * (255 - a)) / 255));
  for (let p = 0; p < png.width * png.height; p++) {
    for (let k = 0; k < channels; k++) data[p * channels + k] = composite(png.data[p * 4 + k], png.data[p * 4 + 3]);
  }
  return { width: png.width, height: png.height, channels, data };
}

const SAMPLES: Record<PngColorType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<PngColorType, (1 | 2 | 4 | 8 | 16)[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** A small deterministic generator (mulberry32), so failures reproduce. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PNG row decoder', () => {
  test('gives the same pixels and model inputs as the whole-image decoder, for every colour type, depth, filter and interlacing', async () => {
    const random = seededRandom(11);
    let cases = 0;
    for (const colorType of [0, 2, 3, 4, 6] as PngColorType[]) {
      for (const bitDepth of DEPTHS[colorType]) {
        for (const interlaced of [false, true]) {
          for (const filter of [0, 1, 2, 3, 4, 'mixed'] as const) {
            const width = 5 + Math.floor(random() * 19);
            const height = 3 + Math.floor(random() * 17);
            const max = 2 ** bitDepth - 1;
            const samples = Array.from({ length: width * height * SAMPLES[colorType] }, () => Math.floor(random() * (max + 1)));
            const paletteSize = 2 ** bitDepth;
            const palette = colorType === 3
              ? Array.from({ length: paletteSize }, (_, i) => (i % 3 === 0 ? [i, i, i] : [i * 7 % 256, 255 - i, i * 13 % 256]) as [number, number, number])
              : undefined;
            // Transparency: palette alphas, or a grey / RGB key that some pixels match.
            let transparency: Uint8Array | undefined;
            if (colorType === 3) transparency = Uint8Array.from({ length: paletteSize }, (_, i) => (i * 37) % 256);
            if (colorType === 0) transparency = Uint8Array.from([samples[0] >> 8, samples[0] & 255]);
            if (colorType === 2) transparency = Uint8Array.from([samples[0] >> 8, samples[0] & 255, samples[1] >> 8, samples[1] & 255, samples[2] >> 8, samples[2] & 255]);
            const bytes = encodePng({ width, height, colorType, bitDepth, samples, palette, transparency }, { filter, interlaced });
            const decoded = decodeImage(bytes);
            const context = `colour type ${colorType}, ${bitDepth} bits, filter ${filter}, ${interlaced ? 'interlaced' : 'progressive'}`;
            const reference = pngjsReference(bytes, decoded.channels);
            assert.deepEqual(decoded, reference, context);
            for (const shape of [[7, 9, 3], [32, 32, 1], [height, width, 3], [3, 2, 1]] as ImageShape[]) {
              assert.deepEqual(await decodeImageToModelInput(bytes, shape), toModelInput(reference, shape), `${context}, model input ${shape.join('x')}`);
            }
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 2 * 6 * (5 + 2 + 4 + 2 + 2));
  });
});

describe('hostile images are refused from their headers, within the limits', () => {
  test('a 97 KB grey PNG of 1 x 50,000,000 pixels (at the pixel limit, valid checksums) is refused by its width', async () => {
    const bomb = assemblePng({ width: 50_000_000, height: 1, bitDepth: 8, colorType: 0 }, deflateSync(Buffer.alloc(50_000_001)));
    assert.ok(bomb.length < 100_000, `${bomb.length} bytes`);
    const rssBefore = process.memoryUsage().rss;
    const message = new RegExp(`image too large \\(50000000 x 1 pixels; each side may be at most ${MAX_IMAGE_SIDE.toLocaleString('en')}\\)`);
    assert.throws(() => decodeImage(bomb), message);
    await assert.rejects(decodeImageToModelInput(bomb, [32, 32, 1]), message);
    assert.ok(process.memoryUsage().rss - rssBefore < 50e6, 'nothing was decoded');
  });

  test('a side over the limit is refused in every format', () => {
    const png = assemblePng({ width: 40_000, height: 1, bitDepth: 8, colorType: 0 }, deflateSync(Buffer.alloc(40_001)));
    const jpeg = Buffer.from(encodeJpeg(new Uint8Array(8 * 8 * 3), 8, 8));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(1, sof + 5);
    jpeg.writeUInt16BE(40_000, sof + 7);
    const bmp = Buffer.from(encodeBmp({ width: 1, height: 1, rgba: new Uint8Array(4), layout: { kind: 'rgb24' } }));
    bmp.writeInt32LE(40_000, 18);
    for (const [name, bytes] of [['PNG', png], ['JPEG', jpeg], ['BMP', bmp]] as const) {
      assert.throws(() => decodeImage(bytes), /each side may be at most 30,000/, name);
    }
  });

  test('a 16-bit RGBA PNG of 49 megapixels is refused by the memory its decoding needs', () => {
    const heavy = assemblePng({ width: 7000, height: 7000, bitDepth: 16, colorType: 6 }, deflateSync(Buffer.alloc(1000)));
    assert.throws(() => decodeImage(heavy), new RegExp(`image too large to decode \\(7000 x 7000 PNG needs 374 MB; the limit is ${MAX_DECODE_BYTES / 1048576} MB\\)`));
  });

  test('a PNG within the limits is decoded row by row: only its inflated data is held, never a full-size RGBA copy', async () => {
    // 7071 x 7071 grey: 50 MB inflated; the whole-image decoder held 250 MB more (RGBA and its flattened copy).
    const side = 7071;
    const big = assemblePng({ width: side, height: side, bitDepth: 8, colorType: 0 }, deflateSync(Buffer.alloc(side * (side + 1), 0)));
    const rssBefore = process.memoryUsage().rss;
    const input = await decodeImageToModelInput(big, [32, 32, 1]);
    const grown = process.memoryUsage().rss - rssBefore;
    assert.deepEqual([...new Set(input)], [0]);
    assert.ok(grown < 130e6, `decoding grew the process by ${(grown / 1e6).toFixed(0)} MB`);
  });
});

describe('a short pixel stream is an unreadable file, never a blank image', () => {
  test('PNG: a 74-byte file declaring 3000 x 3000 16-bit RGBA', async () => {
    const short = assemblePng({ width: 3000, height: 3000, bitDepth: 16, colorType: 6 }, deflateSync(Buffer.alloc(4)));
    assert.ok(short.length < 80, `${short.length} bytes`);
    assert.throws(() => decodeImage(short), /truncated PNG \(its pixel data ends after 4 of 72003000 bytes, about row 0\)/);
    await assert.rejects(decodeImageToModelInput(short, [32, 32, 3]), /truncated PNG/);
  });

  test('PNG: compressed data cut mid-stream, interlaced or not', () => {
    for (const interlaced of [false, true]) {
      const samples = Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 31) % 256);
      const full = encodePng({ width: 64, height: 64, colorType: 2, bitDepth: 8, samples }, { interlaced });
      const idat = full.indexOf('IDAT');
      const length = full.readUInt32BE(idat - 4);
      const cut = assemblePng({ width: 64, height: 64, bitDepth: 8, colorType: 2, interlaced }, full.subarray(idat + 4, idat + 4 + Math.floor(length / 2)));
      assert.throws(() => decodeImage(cut), /truncated PNG/, interlaced ? 'interlaced' : 'progressive');
    }
  });

  test('JPEG: scan data cut short and an end marker appended', () => {
    const rgb = Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7) % 256);
    const jpeg = encodeJpeg(rgb, 64, 64);
    const cut = Buffer.concat([jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), Buffer.from([0xff, 0xd9])]);
    assert.throws(() => decodeImage(cut), /corrupt JPEG/);
    const grey = encodeBaselineJpeg(Uint8Array.from({ length: 32 * 32 }, (_, i) => i % 256), 32, 32, 1);
    assert.throws(() => decodeImage(Buffer.concat([grey.subarray(0, grey.length - 60), Buffer.from([0xff, 0xd9])])), /corrupt JPEG/);
  });

  test('GIF: image data that stops early (well-formed blocks) instead of a frame left blank', () => {
    const indices = Array.from({ length: 40 * 30 }, (_, i) => (i * 7 + (i >> 5)) % 16);
    const palette = Array.from({ length: 16 }, (_, i) => [i * 16, 255 - i * 16, 128] as [number, number, number]);
    const gif = encodeGif({ width: 40, height: 30, palette, indices });
    const frame = new GifReader(gif).frameInfo(0);
    const firstBlock = gif[frame.data_offset + 1];
    const kept = Math.min(firstBlock, 20);
    const cut = Buffer.concat([
      gif.subarray(0, frame.data_offset + 1), Buffer.from([kept]), gif.subarray(frame.data_offset + 2, frame.data_offset + 2 + kept),
      Buffer.from([0, 0x3b]),
    ]);
    assert.throws(() => decodeImage(cut), /truncated GIF \(its image data ends after \d+ of 1200 pixels\)/);
  });

  test('GIF: an interlaced frame decodes to the same image as the same frame stored row by row', () => {
    const width = 13;
    const height = 11;
    const indices = Array.from({ length: width * height }, (_, i) => (i * 5 + (i >> 3)) % 8);
    const palette = Array.from({ length: 8 }, (_, i) => [i * 30, i * 20, 255 - i * 30] as [number, number, number]);
    const plain = decodeImage(encodeGif({ width, height, palette, indices }));
    const order: number[] = [];
    for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]]) for (let r = start; r < height; r += step) order.push(r);
    const stored = order.flatMap((row) => indices.slice(row * width, (row + 1) * width));
    const interlaced = encodeGif({ width, height, palette, indices: stored });
    const frame = new GifReader(interlaced).frameInfo(0);
    interlaced[frame.data_offset - 1] |= 0x40; // the interlace flag of the image descriptor
    assert.deepEqual(decodeImage(interlaced), plain);
  });

  test('BMP: pixel data cut short', () => {
    const bmp = encodeBmp({ width: 20, height: 20, rgba: new Uint8Array(20 * 20 * 4).fill(90), layout: { kind: 'rgb24' } });
    assert.throws(() => decodeImage(bmp.subarray(0, bmp.length - 200)), /truncated BMP/);
  });
});

describe('one bad file never ends a batch', () => {
  test('the other files of the batch are decoded; the bad ones are named with their reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-batch-'));
    try {
      const good = encodePng({ width: 4, height: 4, colorType: 0, bitDepth: 8, samples: new Array<number>(16).fill(77) });
      const paths = ['good-1.png', 'bomb.png', 'short.png', 'huge-file.png', 'good-2.png'].map((name) => join(dir, name));
      writeFileSync(paths[0], good);
      writeFileSync(paths[1], assemblePng({ width: 50_000_000, height: 1, bitDepth: 8, colorType: 0 }, deflateSync(Buffer.alloc(1000))));
      writeFileSync(paths[2], assemblePng({ width: 3000, height: 3000, bitDepth: 16, colorType: 6 }, deflateSync(Buffer.alloc(4))));
      writeFileSync(paths[3], good);
      truncateSync(paths[3], MAX_IMAGE_FILE_BYTES + 1); // sparse: costs no disk
      writeFileSync(paths[4], good);
      const { pixels, failures } = await decodeImageFiles(paths, [2, 2, 1]);
      assert.deepEqual(failures.map((f) => f.index), [1, 2, 3]);
      assert.match(failures[0].reason, /each side may be at most/);
      assert.match(failures[1].reason, /truncated PNG/);
      assert.match(failures[2].reason, /file too large \(256 MB; an image file may be at most 256 MB\)/);
      assert.deepEqual([...pixels.subarray(0, 4)], [77, 77, 77, 77]);
      assert.deepEqual([...pixels.subarray(16, 20)], [77, 77, 77, 77]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
