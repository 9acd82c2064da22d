import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axisPosition, axisTicks, axisValue, categoriesBetween, niceTicks, paddedDomain } from '../../../../webview/shared/plotScale';

describe('plot axes', () => {
  test('a log axis places each decade equally and inverts exactly', () => {
    const domain = { kind: 'log' as const, min: 0.0001, max: 0.01 };
    assert.equal(axisPosition(domain, 0.0001), 0);
    assert.ok(Math.abs(axisPosition(domain, 0.001)! - 0.5) < 1e-12);
    assert.ok(Math.abs(axisValue(domain, 0.5) - 0.001) < 1e-15);
    assert.equal(axisPosition(domain, 0), undefined);
    assert.deepEqual(axisTicks(domain).map((t) => t.label), ['1e-4', '2e-4', '5e-4', '0.001', '0.002', '0.005', '0.01']);
  });

  test('categories sit in the middle of equal bands; a brush covers the ones it spans', () => {
    const domain = { kind: 'band' as const, categories: ['adam', 'sgd', 'rmsprop', 'none'] };
    assert.equal(axisPosition(domain, 'sgd'), 0.375);
    assert.equal(axisPosition(domain, 'lion'), undefined);
    assert.deepEqual(categoriesBetween(domain, 0.5, 0.2), ['sgd']);
    assert.deepEqual(categoriesBetween(domain, 0, 1), ['adam', 'sgd', 'rmsprop', 'none']);
  });

  test('linear ticks are round numbers; a single value gets room', () => {
    assert.deepEqual(niceTicks(0.81, 0.93, 4), [0.82, 0.84, 0.86, 0.88, 0.9, 0.92]);
    const single = paddedDomain([0.5], false);
    assert.ok(single.min < 0.5 && single.max > 0.5);
  });
});
