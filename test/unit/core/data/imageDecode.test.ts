import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { decodeImage, MAX_IMAGE_PIXELS } from '../../../../src/core/data/imageDecode';
import { encodeBaselineJpeg, encodeJpeg, encodePng } from '../../../fixtures/imageFixtures';

const W = 5;
const H = 3;

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('decodeImage: PNG', () => {
  test('8-bit grey decodes to one channel with the exact values', () => {
    const samples = Array.from({ length: W * H }, (_, i) => i * 17);
    const image = decodeImage(encodePng({ width: W, height: H, colorType: 0, bitDepth: 8, samples }));
    assert.deepEqual([image.width, image.height, image.channels], [W, H, 1]);
    assert.deepEqual([...image.data], samples);
  });

  test('1-, 2- and 4-bit grey are scaled to 0..255', () => {
    for (const depth of [1, 2, 4] as const) {
      const max = 2 ** depth - 1;
      const samples = Array.from({ length: W * H }, (_, i) => i % (max + 1));
      const image = decodeImage(encodePng({ width: W, height: H, colorType: 0, bitDepth: depth, samples }));
      assert.equal(image.channels, 1);
      assert.deepEqual([...image.data], samples.map((s) => Math.round((s * 255) / max)), `depth ${depth}`);
    }
  });

  test('16-bit grey and RGB keep the high byte (rounded)', () => {
    const grey = Array.from({ length: W * H }, (_, i) => i * 4000);
    const g = decodeImage(encodePng({ width: W, height: H, colorType: 0, bitDepth: 16, samples: grey }));
    assert.equal(g.channels, 1);
    assert.ok(maxDifference(g.data, grey.map((s) => (s * 255) / 65535)) <= 0.5);
    const rgb = Array.from({ length: W * H * 3 }, (_, i) => (i * 1499) % 65536);
    const c = decodeImage(encodePng({ width: W, height: H, colorType: 2, bitDepth: 16, samples: rgb }));
    assert.equal(c.channels, 3);
    assert.ok(maxDifference(c.data, rgb.map((s) => (s * 255) / 65535)) <= 0.5);
  });

  test('grey+alpha is flattened onto white into one channel', () => {
    // Pixels: opaque black, fully transparent black, half-transparent black, opaque mid-grey.
    const samples = [0, 255, 0, 0, 0, 128, 100, 255];
    const image = decodeImage(encodePng({ width: 4, height: 1, colorType: 4, bitDepth: 8, samples }));
    assert.equal(image.channels, 1);
    assert.deepEqual([...image.data], [0, 255, 127, 100]);
  });

  test('RGBA is flattened onto white into three channels', () => {
    const samples = [255, 0, 0, 255, /* transparent */ 10, 20, 30, 0, /* half */ 0, 0, 255, 128];
    const image = decodeImage(encodePng({ width: 3, height: 1, colorType: 6, bitDepth: 8, samples }));
    assert.equal(image.channels, 3);
    assert.deepEqual([...image.data], [255, 0, 0, 255, 255, 255, 127, 127, 255]);
  });

  test('a colour palette decodes to RGB; palette transparency (tRNS) is flattened too', () => {
    const palette = [[255, 0, 0], [0, 255, 0], [0, 0, 255]] as const;
    const samples = [0, 1, 2, 1];
    const image = decodeImage(encodePng({
      width: 4, height: 1, colorType: 3, bitDepth: 2, samples, palette, transparency: Uint8Array.from([255, 255, 0]),
    }));
    assert.equal(image.channels, 3);
    assert.deepEqual([...image.data], [255, 0, 0, 0, 255, 0, 255, 255, 255, 0, 255, 0]);
  });

  test('a palette of greys decodes to one channel', () => {
    const palette = [[0, 0, 0], [80, 80, 80], [255, 255, 255]] as const;
    const image = decodeImage(encodePng({ width: 3, height: 1, colorType: 3, bitDepth: 8, samples: [2, 1, 0], palette }));
    assert.equal(image.channels, 1);
    assert.deepEqual([...image.data], [255, 80, 0]);
  });

  test('a grey transparent key (tRNS) becomes white', () => {
    const image = decodeImage(encodePng({
      width: 2, height: 1, colorType: 0, bitDepth: 8, samples: [7, 9], transparency: Uint8Array.from([0, 7]),
    }));
    assert.deepEqual([...image.data], [255, 9]);
  });
});

describe('decodeImage: JPEG', () => {
  test('colour JPEG decodes to RGB close to the source', () => {
    const rgb = new Uint8Array(16 * 16 * 3);
    for (let p = 0; p < 256; p++) rgb.set([200, 40 + (p % 16) * 4, 90], p * 3);
    const image = decodeImage(encodeJpeg(rgb, 16, 16));
    assert.deepEqual([image.width, image.height, image.channels], [16, 16, 3]);
    assert.ok(maxDifference(image.data, rgb) <= 12);
  });

  test('a one-component JPEG decodes to one grey channel', () => {
    const grey = Uint8Array.from({ length: 13 * 9 }, (_, i) => (i * 11) % 256);
    const image = decodeImage(encodeBaselineJpeg(grey, 13, 9, 1));
    assert.deepEqual([image.width, image.height, image.channels], [13, 9, 1]);
    assert.ok(maxDifference(image.data, grey) <= 3);
  });

  test('an Adobe CMYK JPEG decodes to RGB', () => {
    // Stored inverted (255 = no ink): full cyan ink only -> RGB (0, 255, 255).
    const cmyk = new Uint8Array(8 * 8 * 4);
    for (let p = 0; p < 64; p++) cmyk.set([0, 255, 255, 255], p * 4);
    const image = decodeImage(encodeBaselineJpeg(cmyk, 8, 8, 4));
    assert.equal(image.channels, 3);
    for (let p = 0; p < 64; p++) assert.ok(maxDifference(image.data.subarray(p * 3, p * 3 + 3), [0, 255, 255]) <= 3);
  });
});

describe('decodeImage: hostile input', () => {
  const png = encodePng({ width: 20, height: 20, colorType: 2, bitDepth: 8, samples: new Array<number>(1200).fill(99) });
  const jpeg = encodeJpeg(new Uint8Array(32 * 32 * 3).fill(128), 32, 32);

  test('a truncated PNG is refused', () => {
    assert.throws(() => decodeImage(png.subarray(0, png.length - 30)), /PNG/);
    assert.throws(() => decodeImage(png.subarray(0, 20)), /truncated or corrupt PNG/);
  });

  test('a truncated JPEG is refused instead of coming back half grey', () => {
    assert.throws(() => decodeImage(jpeg.subarray(0, Math.floor(jpeg.length * 0.7))), /truncated JPEG/);
    assert.throws(() => decodeImage(jpeg.subarray(0, 40)), /JPEG/);
  });

  test('a JPEG with bytes after its end marker still decodes', () => {
    const padded = Buffer.concat([jpeg, Buffer.alloc(100)]);
    assert.equal(decodeImage(padded).width, 32);
  });

  test('a PNG with a damaged pixel stream is refused', () => {
    const damaged = Buffer.from(png);
    damaged.fill(0x55, 45, 60);
    assert.throws(() => decodeImage(damaged), /PNG/);
  });

  test('empty, text and unsupported formats are refused with a reason', () => {
    assert.throws(() => decodeImage(new Uint8Array(0)), /empty file/);
    assert.throws(() => decodeImage(Buffer.from('hello, this is not a picture')), /not a supported image \(PNG, JPEG, GIF, BMP or WebP\)/);
    assert.throws(() => decodeImage(Buffer.from('II*\x00\x08\x00\x00\x00\x00\x00\x00\x00')), /TIFF images are not supported/);
  });

  test('the format comes from the bytes, not the file name: a JPEG is a JPEG whatever it is called', () => {
    // decodeImage never sees a name; a PNG signature followed by JPEG data is a corrupt PNG, not a JPEG.
    assert.equal(decodeImage(jpeg).channels, 3);
    assert.throws(() => decodeImage(Buffer.concat([png.subarray(0, 8), jpeg])), /PNG/);
  });

  test('a decompression bomb is refused from its header, before inflating', () => {
    // 10000 x 10000 grey declared; the pixel data is a few hundred bytes of deflated zeros.
    const side = 10_000;
    const header = encodePng({ width: 1, height: 1, colorType: 0, bitDepth: 8, samples: [0] });
    const bomb = Buffer.from(header);
    bomb.writeUInt32BE(side, 16);
    bomb.writeUInt32BE(side, 20);
    assert.ok(side * side > MAX_IMAGE_PIXELS);
    const started = process.memoryUsage().arrayBuffers;
    assert.throws(() => decodeImage(Buffer.concat([bomb, deflateSync(Buffer.alloc(1000))])), /too large.*megapixels/);
    assert.ok(process.memoryUsage().arrayBuffers - started < 50e6);
  });

  test('an oversized JPEG is refused from its frame header', () => {
    const big = Buffer.from(jpeg);
    const sof = big.indexOf(Buffer.from([0xff, 0xc0]));
    big.writeUInt16BE(60_000, sof + 5); // height
    big.writeUInt16BE(60_000, sof + 7); // width
    assert.throws(() => decodeImage(big), /too large/);
  });
});
