import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, lttbIndices, visibleRange } from '../../../../webview/dashboard/decimate';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe('decimate (largest-triangle-three-buckets)', () => {
  test('keeps every point when there are fewer than asked for', () => {
    assert.deepEqual(lttbIndices([0, 1, 2], [5, 6, 7], 0, 3, 10), [0, 1, 2]);
  });

  test('reduces 50,000 batch losses to the threshold, keeping the first and last points in order', () => {
    const xs = range(50_000);
    const ys = xs.map((x) => Math.exp(-x / 10_000) + 0.1 * Math.sin(x / 7));
    const kept = lttbIndices(xs, ys, 0, xs.length, 1000);
    assert.equal(kept.length, 1000);
    assert.equal(kept[0], 0);
    assert.equal(kept[kept.length - 1], 49_999);
    for (let i = 1; i < kept.length; i++) assert.ok(kept[i] > kept[i - 1], 'indices ascend');
  });

  test('keeps a single spike that averaging would flatten', () => {
    const xs = range(10_000);
    const ys = xs.map((x) => (x === 6_543 ? 100 : 1));
    const points = decimate(xs, ys, 200);
    assert.ok(points.some((p) => p.x === 6_543 && p.y === 100), 'the spike survives');
  });

  test('keeps both extremes of each bucket region so the envelope of a noisy curve survives', () => {
    const xs = range(20_000);
    const ys = xs.map((x) => (x % 2 === 0 ? 0 : 1));
    const points = decimate(xs, ys, 500);
    assert.equal(Math.min(...points.map((p) => p.y)), 0);
    assert.equal(Math.max(...points.map((p) => p.y)), 1);
  });

  test('keeps a NaN loss visible instead of dropping it', () => {
    const xs = range(1_000);
    const ys = xs.map((x) => (x === 400 ? NaN : x));
    const points = decimate(xs, ys, 50);
    assert.ok(points.some((p) => Number.isNaN(p.y)));
  });

  test('thins only the zoomed range, with one neighbour each side so lines run off the edges', () => {
    const xs = range(10_000).map((i) => i / 100);
    const ys = xs.map((x) => x * x);
    assert.deepEqual(visibleRange(xs, 10, 20), [999, 2002]);
    const points = decimate(xs, ys, 100, { min: 10, max: 20 });
    assert.equal(points.length, 100);
    assert.equal(points[0].x, 9.99);
    assert.equal(points[points.length - 1].x, 20.01);
  });

  test('shows nothing for a range with no data and handles an empty series', () => {
    assert.deepEqual(visibleRange([], 0, 1), [0, 0]);
    assert.deepEqual(decimate([], [], 100), []);
    assert.deepEqual(decimate([1, 2, 3], [1, 2, 3], 100, { min: 10, max: 20 }), [{ x: 3, y: 3 }]);
  });
});
