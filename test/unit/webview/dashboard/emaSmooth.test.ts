import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emaSmooth } from '../../../../webview/dashboard/emaSmooth';

describe('emaSmooth', () => {
  test('leaves values alone at weight 0', () => {
    assert.deepEqual(emaSmooth([3, 1, 4, 1, 5], 0), [3, 1, 4, 1, 5]);
  });

  test('starts at the first value (debiased) instead of near zero', () => {
    const smoothed = emaSmooth([10, 10, 10], 0.9);
    for (const value of smoothed) assert.ok(Math.abs(value - 10) < 1e-9);
  });

  test('reduces the noise of a noisy constant while following a step', () => {
    const noisy = Array.from({ length: 400 }, (_, i) => (i < 200 ? 1 : 3) + (i % 2 === 0 ? 0.5 : -0.5));
    const smoothed = emaSmooth(noisy, 0.9);
    const wobble = (values: number[]): number => Math.max(...values) - Math.min(...values);
    assert.ok(wobble(smoothed.slice(100, 200)) < wobble(noisy.slice(100, 200)) / 5);
    assert.ok(Math.abs(smoothed[399] - 3) < 0.1, 'follows the step up');
  });

  test('passes NaN through without poisoning later values', () => {
    const smoothed = emaSmooth([1, NaN, 1, 1], 0.5);
    assert.ok(Number.isNaN(smoothed[1]));
    assert.equal(smoothed[3], 1);
  });
});
