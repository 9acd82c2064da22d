// The rate the Find Learning Rate tab offers a run: the suggestion at two significant digits, a typed
// rate checked as a run checks it, and written the way a user would type it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRate, rateText, roundRate } from '../../../../webview/lrFinder/rateChoice';

describe('the rate for a run', () => {
  test('rounds a suggestion to two significant digits', () => {
    assert.equal(roundRate(0.0031622776), 0.0032);
    assert.equal(roundRate(0.1), 0.1);
    assert.equal(roundRate(1.2589e-5), 0.000013);
  });

  test('reads plainly down to 0.001, in exponent form below', () => {
    assert.equal(rateText(0.0032), '0.0032');
    assert.equal(rateText(0.001), '0.001');
    assert.equal(rateText(0.00013), '1.3e-4');
    assert.equal(rateText(0.00001), '1e-5');
  });

  test('a typed rate is a positive number up to 10, in either notation', () => {
    assert.deepEqual(parseRate(' 3e-3 '), { rate: 0.003 });
    assert.deepEqual(parseRate('0.01'), { rate: 0.01 });
    for (const bad of ['', '0', '-1', '11', 'fast', 'NaN']) assert.ok('problem' in parseRate(bad), bad);
  });
});
