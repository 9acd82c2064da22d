import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedImage } from '../../../../src/core/data/imageDecode';
import { toModelInput } from '../../../../src/core/data/imagePreprocess';

function image(width: number, height: number, channels: 1 | 3, values: number[]): DecodedImage {
  return { width, height, channels, data: Uint8Array.from(values) };
}

describe('toModelInput', () => {
  test('same size and channels returns the pixels unchanged (as a copy)', () => {
    const source = image(2, 2, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const out = toModelInput(source, [2, 2, 3]);
    assert.deepEqual([...out], [...source.data]);
    out[0] = 99;
    assert.equal(source.data[0], 1);
  });

  test('shrinking by a whole factor averages each block', () => {
    const source = image(4, 2, 1, [0, 10, 100, 200, 20, 30, 50, 250]);
    assert.deepEqual([...toModelInput(source, [1, 2, 1])], [15, 150]);
  });

  test('shrinking by a fractional factor weighs pixels by the area they cover', () => {
    // 3 -> 2: output 0 covers pixel 0 fully and half of pixel 1.
    const source = image(3, 1, 1, [0, 90, 180]);
    assert.deepEqual([...toModelInput(source, [1, 2, 1])], [30, 150]);
  });

  test('enlarging interpolates linearly between pixel centres, clamping at the edges', () => {
    const source = image(2, 1, 1, [0, 100]);
    assert.deepEqual([...toModelInput(source, [1, 4, 1])], [0, 25, 75, 100]);
  });

  test('a flat image stays flat at any size, odd ones included', () => {
    const source = image(37, 23, 3, new Array(37 * 23 * 3).fill(0).map((_, i) => [200, 100, 50][i % 3]));
    for (const [h, w] of [[32, 32], [5, 7], [64, 50], [1, 1]]) {
      const out = toModelInput(source, [h, w, 3]);
      assert.equal(out.length, h * w * 3);
      for (let i = 0; i < out.length; i++) assert.equal(out[i], [200, 100, 50][i % 3]);
    }
  });

  test('one axis can shrink while the other grows', () => {
    const source = image(4, 1, 1, [10, 20, 30, 40]);
    const out = toModelInput(source, [3, 2, 1]);
    assert.deepEqual([...out], [15, 35, 15, 35, 15, 35]);
  });

  test('colour becomes grey by BT.601 luma', () => {
    const source = image(2, 1, 3, [255, 0, 0, 0, 0, 255]);
    assert.deepEqual([...toModelInput(source, [1, 2, 1])], [76, 29]);
  });

  test('grey becomes RGB by replication', () => {
    const source = image(2, 1, 1, [7, 200]);
    assert.deepEqual([...toModelInput(source, [1, 2, 3])], [7, 7, 7, 200, 200, 200]);
  });

  test('a downscaled thin line keeps its share of the intensity instead of vanishing', () => {
    // A one-pixel white column in a 64-wide black image: point sampling would often miss it.
    const values = new Array(64 * 64).fill(0);
    for (let y = 0; y < 64; y++) values[y * 64 + 33] = 255;
    const out = toModelInput(image(64, 64, 1, values), [8, 8, 1]);
    assert.equal(out[4], Math.round(255 / 8));
    assert.equal(out.reduce((a, b) => a + b, 0), 8 * Math.round(255 / 8));
  });

  test('rejects a channel count models do not take', () => {
    assert.throws(() => toModelInput(image(1, 1, 1, [0]), [1, 1, 2]), /channel/);
  });
});
