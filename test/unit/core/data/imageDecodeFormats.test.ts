// GIF, BMP and WebP decoding: exact pixels for lossless layouts, transparency flattened onto white
// like PNG, grey palettes to one channel, and clear refusals for damaged or oversized files.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decodeImage, MAX_IMAGE_PIXELS } from '../../../../src/core/data/imageDecode';
import { readImageHeader } from '../../../../src/core/data/imageHeader';
import { encodeBmp, encodeGif, encodeWebp, type BmpLayout } from '../../../fixtures/moreImageFixtures';

const W = 7; // odd: BMP rows need padding
const H = 5;

/** Deterministic RGBA test pattern; alpha 255 unless `alpha` says otherwise. */
function pattern(width: number, height: number, alpha: (p: number) => number = () => 255): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba[p * 4] = (p * 37) % 256;
    rgba[p * 4 + 1] = (p * 91 + 40) % 256;
    rgba[p * 4 + 2] = 255 - ((p * 53) % 256);
    rgba[p * 4 + 3] = alpha(p);
  }
  return rgba;
}

function rgbOf(rgba: Uint8Array): Uint8Array {
  return Uint8Array.from({ length: (rgba.length / 4) * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const onWhite = (value: number, alpha: number) => Math.round((value * alpha + 255 * (255 - alpha)) / 255);

describe('decodeImage: GIF', () => {
  const palette: [number, number, number][] = [[0, 0, 0], [255, 0, 0], [0, 128, 255], [10, 200, 30]];
  const indices = Array.from({ length: W * H }, (_, p) => p % 4);

  test('colour palette: exact RGB of each index', () => {
    const image = decodeImage(encodeGif({ width: W, height: H, palette, indices }));
    assert.deepEqual([image.width, image.height, image.channels], [W, H, 3]);
    assert.deepEqual(image.data, Uint8Array.from(indices.flatMap((i) => palette[i])));
  });

  test('a palette of greys decodes to one channel', () => {
    const greys: [number, number, number][] = [[0, 0, 0], [90, 90, 90], [180, 180, 180], [255, 255, 255]];
    const gif = encodeGif({ width: W, height: H, palette: greys, indices });
    assert.equal(readImageHeader(gif).channels, 1);
    const image = decodeImage(gif);
    assert.equal(image.channels, 1);
    assert.deepEqual(image.data, Uint8Array.from(indices.map((i) => greys[i][0])));
  });

  test('the transparent index and the screen outside the frame become white', () => {
    const frame = { x: 1, y: 1, width: 3, height: 2 };
    const image = decodeImage(encodeGif({ width: 5, height: 4, palette, indices: [1, 0, 2, 2, 0, 1], transparent: 0, frame }));
    const at = (x: number, y: number) => Array.from(image.data.subarray((y * 5 + x) * 3, (y * 5 + x) * 3 + 3));
    assert.deepEqual(at(0, 0), [255, 255, 255]); // outside the frame
    assert.deepEqual(at(1, 1), [255, 0, 0]);
    assert.deepEqual(at(2, 1), [255, 255, 255]); // transparent index
    assert.deepEqual(at(3, 1), [0, 128, 255]);
    assert.deepEqual(at(4, 3), [255, 255, 255]);
  });

  test('an animated GIF gives its first frame', () => {
    const image = decodeImage(encodeGif({ width: W, height: H, palette, indices, extraFrames: [indices.map(() => 3)] }));
    assert.deepEqual(image.data, Uint8Array.from(indices.flatMap((i) => palette[i])));
  });

  test('truncated, frameless and oversized GIFs are refused', () => {
    const gif = encodeGif({ width: 40, height: 40, palette, indices: Array.from({ length: 1600 }, (_, p) => p % 4) });
    assert.throws(() => decodeImage(gif.subarray(0, gif.length - 40)), /GIF/);
    assert.throws(() => decodeImage(gif.subarray(0, 12)), /truncated GIF/);
    const noFrame = Buffer.concat([gif.subarray(0, 13 + 12), Buffer.from([0x3b])]);
    assert.throws(() => decodeImage(noFrame), /no image/);
    const huge = Buffer.from(gif);
    huge.writeUInt16LE(65_535, 6);
    huge.writeUInt16LE(65_535, 8);
    assert.ok(65_535 * 65_535 > MAX_IMAGE_PIXELS);
    assert.throws(() => decodeImage(huge), /too large/);
  });
});

describe('decodeImage: BMP', () => {
  const rgba = pattern(W, H);

  const exact: [string, BmpLayout, boolean?][] = [
    ['24-bit bottom-up', { kind: 'rgb24' }],
    ['24-bit top-down', { kind: 'rgb24' }, true],
    ['32-bit with a zero padding byte (opaque, not invisible)', { kind: 'rgb32', padding: 0 }],
    ['32-bit with a non-zero padding byte (still opaque)', { kind: 'rgb32', padding: 7 }],
    ['OS/2 core header', { kind: 'core24' }],
  ];
  for (const [name, layout, topDown] of exact) {
    test(`${name}: exact pixels`, () => {
      const image = decodeImage(encodeBmp({ width: W, height: H, rgba, layout, topDown }));
      assert.deepEqual([image.width, image.height, image.channels], [W, H, 3]);
      assert.deepEqual(image.data, rgbOf(rgba));
    });
  }

  test('16-bit 5-6-5 bit fields and default 5-5-5 are scaled to 0-255', () => {
    const rgb = rgbOf(rgba);
    assert.ok(maxDifference(decodeImage(encodeBmp({ width: W, height: H, rgba, layout: { kind: 'rgb565' } })).data, rgb) <= 8);
    assert.ok(maxDifference(decodeImage(encodeBmp({ width: W, height: H, rgba, layout: { kind: 'rgb555' } })).data, rgb) <= 8);
  });

  test('32-bit with an alpha mask: translucent pixels are composited onto white', () => {
    const translucent = pattern(W, H, (p) => (p * 60) % 256);
    const image = decodeImage(encodeBmp({ width: W, height: H, rgba: translucent, layout: { kind: 'argb32' } }));
    const expected = Uint8Array.from({ length: W * H * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      return onWhite(translucent[p * 4 + (i % 3)], translucent[p * 4 + 3]);
    });
    assert.deepEqual(image.data, expected);
  });

  const palette: [number, number, number][] = [[0, 0, 0], [200, 30, 40], [20, 220, 60], [50, 60, 250]];
  for (const bits of [1, 4, 8] as const) {
    test(`${bits}-bit palette: exact colours of each index`, () => {
      const indices = Array.from({ length: W * H }, (_, p) => p % (bits === 1 ? 2 : 4));
      const image = decodeImage(encodeBmp({ width: W, height: H, indices, palette: palette.slice(0, bits === 1 ? 2 : 4), layout: { kind: 'palette', bits } }));
      assert.equal(image.channels, 3);
      assert.deepEqual(image.data, Uint8Array.from(indices.flatMap((i) => palette[i])));
    });
  }

  test('RLE8 compressed runs decode to the same pixels', () => {
    const indices = Array.from({ length: W * H }, (_, p) => (Math.floor(p / 3) % 4));
    const image = decodeImage(encodeBmp({ width: W, height: H, indices, palette, layout: { kind: 'palette', bits: 8, rle: true } }));
    assert.deepEqual(image.data, Uint8Array.from(indices.flatMap((i) => palette[i])));
  });

  test('an 8-bit palette of greys decodes to one channel', () => {
    const greys = Array.from({ length: 256 }, (_, i) => [i, i, i] as [number, number, number]);
    const indices = Array.from({ length: W * H }, (_, p) => (p * 29) % 256);
    const image = decodeImage(encodeBmp({ width: W, height: H, indices, palette: greys, layout: { kind: 'palette', bits: 8 } }));
    assert.equal(image.channels, 1);
    assert.deepEqual(image.data, Uint8Array.from(indices));
  });

  test('truncated, JPEG-wrapping and oversized bitmaps are refused with a reason', () => {
    const bmp = encodeBmp({ width: 40, height: 40, rgba: pattern(40, 40), layout: { kind: 'rgb24' } });
    assert.throws(() => decodeImage(bmp.subarray(0, bmp.length - 100)), /truncated BMP/);
    assert.throws(() => decodeImage(bmp.subarray(0, 20)), /truncated BMP/);
    const wrapped = Buffer.from(bmp);
    wrapped.writeUInt32LE(4, 30);
    assert.throws(() => decodeImage(wrapped), /wraps a JPEG/);
    const huge = Buffer.from(bmp);
    huge.writeInt32LE(100_000, 18);
    huge.writeInt32LE(100_000, 22);
    assert.throws(() => decodeImage(huge), /too large/);
  });
});

describe('decodeImage: WebP', () => {
  test('lossless: exact pixels', () => {
    const rgba = pattern(W, H);
    const image = decodeImage(encodeWebp(rgba, W, H, true));
    assert.deepEqual([image.width, image.height, image.channels], [W, H, 3]);
    assert.deepEqual(image.data, rgbOf(rgba));
  });

  test('lossy: close to the source', () => {
    const rgba = new Uint8Array(32 * 32 * 4).map((_, i) => (i % 4 === 3 ? 255 : 40 + ((i >> 6) % 3) * 60));
    const image = decodeImage(encodeWebp(rgba, 32, 32, false));
    assert.equal(readImageHeader(encodeWebp(rgba, 32, 32, false)).width, 32);
    assert.ok(maxDifference(image.data, rgbOf(rgba)) <= 40);
  });

  test('alpha is composited onto white', () => {
    const rgba = pattern(W, H, (p) => (p % 3 === 0 ? 0 : p % 3 === 1 ? 128 : 255));
    const image = decodeImage(encodeWebp(rgba, W, H, true));
    for (let p = 0; p < W * H; p++) {
      for (let k = 0; k < 3; k++) {
        assert.ok(Math.abs(image.data[p * 3 + k] - onWhite(rgba[p * 4 + k], rgba[p * 4 + 3])) <= 1, `pixel ${p}`);
      }
    }
  });

  test('truncated, animated and oversized WebPs are refused with a reason', () => {
    const webp = encodeWebp(pattern(40, 40), 40, 40, true);
    assert.throws(() => decodeImage(webp.subarray(0, Math.floor(webp.length / 2))), /WebP/);
    assert.throws(() => decodeImage(webp.subarray(0, 16)), /truncated WebP/);
    const animated = Buffer.alloc(30);
    animated.write('RIFF', 0, 'latin1');
    animated.write('WEBPVP8X', 8, 'latin1');
    animated[20] = 0x02;
    assert.throws(() => decodeImage(animated), /animated WebP/);
    const huge = Buffer.from(animated);
    huge[20] = 0;
    huge.writeUIntLE(16_383, 24, 3);
    huge.writeUIntLE(16_383, 27, 3);
    assert.throws(() => decodeImage(huge), /too large/);
  });
});
