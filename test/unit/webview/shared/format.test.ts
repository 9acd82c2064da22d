import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withAlpha } from '../../../../webview/dashboard/colour';
import { formatCount, formatDuration, formatNumber, formatPercent, formatShape } from '../../../../webview/shared/format';

describe('number formats', () => {
  test('percentages, counts and durations', () => {
    assert.equal(formatPercent(0.9903), '99.03%');
    assert.equal(formatPercent(undefined), '–');
    assert.equal(formatCount(122570), '122,570');
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(4200), '4.2 s');
    assert.equal(formatDuration(401_881), '6 min 42 s');
    assert.equal(formatDuration(3 * 3600_000 + 120_000), '3 h 2 min');
  });

  test('losses keep four significant digits; tiny values use exponents; NaN reads as NaN', () => {
    assert.equal(formatNumber(0.033123), '0.03312');
    assert.equal(formatNumber(0.00001234), '1.234e-5');
    assert.equal(formatNumber(NaN), 'NaN');
    assert.equal(formatNumber(Infinity), '∞');
  });

  test('shapes drop the batch axis', () => {
    assert.equal(formatShape([null, 30, 30, 32]), '30×30×32');
    assert.equal(formatShape([null, null, 8]), '?×8');
    assert.equal(formatShape(undefined), '');
  });

  test('theme colours become translucent for canvas drawing', () => {
    assert.equal(withAlpha('#3794ff', 0.5), 'rgba(55, 148, 255, 0.5)');
    assert.equal(withAlpha('#fff', 0.25), 'rgba(255, 255, 255, 0.25)');
    assert.equal(withAlpha('#3794ff80', 0.5), 'rgba(55, 148, 255, 0.251)');
    assert.equal(withAlpha('rgba(10, 20, 30, 0.5)', 0.5), 'rgba(10, 20, 30, 0.25)');
    assert.equal(withAlpha('var(--x)', 0.5), 'var(--x)');
  });
});
