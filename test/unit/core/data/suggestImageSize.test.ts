import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestImageSize } from '../../../../src/core/data/suggestImageSize';

const sized = (...sides: [number, number][]) => sides.map(([width, height]) => ({ width, height }));

describe('suggestImageSize', () => {
  test('phone photos (12 MP, landscape or portrait) get the largest offered size, 128', () => {
    assert.deepEqual(suggestImageSize(sized([4000, 3000], [3000, 4000], [4032, 3024])), { size: 128, medianShortSide: 3000, sampled: 3 });
  });

  test('the largest of 32, 64, 96 and 128 that the median image fills, by its shorter side', () => {
    assert.equal(suggestImageSize(sized([500, 375]))?.size, 128);
    assert.equal(suggestImageSize(sized([200, 127]))?.size, 96);
    assert.equal(suggestImageSize(sized([100, 96]))?.size, 96);
    assert.equal(suggestImageSize(sized([100, 95]))?.size, 64);
    assert.equal(suggestImageSize(sized([64, 300]))?.size, 64);
    assert.equal(suggestImageSize(sized([63, 63]))?.size, 32);
  });

  test('images smaller than 32 px (MNIST-sized) get 32, the folder default', () => {
    assert.deepEqual(suggestImageSize(sized([28, 28], [28, 28])), { size: 32, medianShortSide: 28, sampled: 2 });
  });

  test('a few large images among many small ones do not decide it: the median does', () => {
    const suggestion = suggestImageSize(sized([4000, 3000], [4000, 3000], [48, 48], [40, 60], [50, 50]));
    assert.deepEqual(suggestion, { size: 32, medianShortSide: 50, sampled: 5 });
    // An even count takes the mean of the middle two.
    assert.equal(suggestImageSize(sized([60, 60], [70, 70], [100, 100], [120, 120]))?.medianShortSide, 85);
  });

  test('nothing to go by: no suggestion', () => {
    assert.equal(suggestImageSize([]), undefined);
    assert.equal(suggestImageSize(sized([0, 0])), undefined);
  });
});
