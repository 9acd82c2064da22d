import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySource } from '../../../../src/core/data/inMemorySource';

// Four 1x2 grey examples whose pixels are [10i, 10i + 1].
function source(): InMemorySource {
  return InMemorySource.create({
    pixels: Uint8Array.from([0, 1, 10, 11, 20, 21, 30, 31]),
    labels: Int32Array.from([0, 1, 1, 0]),
    shape: [1, 2, 1],
    sourceOf: (i) => `file#${i}`,
  });
}

describe('InMemorySource', () => {
  test('reads the requested examples packed in request order', async () => {
    assert.deepEqual([...(await source().readPixels([2, 0, 2]))], [20, 21, 0, 1, 20, 21]);
  });

  test('subsets compose and map labels, sources and pixels to the original examples', async () => {
    const outer = source().subset([3, 1, 2]);
    const inner = outer.subset([2, 0]);
    assert.equal(inner.count, 2);
    assert.deepEqual([...inner.labels], [1, 0]);
    assert.equal(inner.sourceOf(0), 'file#2');
    assert.deepEqual([...(await inner.readPixels([1, 0]))], [30, 31, 20, 21]);
  });

  test('a subset reads from the same buffer (no copy is taken at subset time)', async () => {
    const pixels = Uint8Array.from([0, 1, 10, 11]);
    const full = InMemorySource.create({ pixels, labels: Int32Array.from([0, 1]), shape: [1, 2, 1], sourceOf: String });
    const sub = full.subset([1]);
    pixels[2] = 99;
    assert.deepEqual([...(await sub.readPixels([0]))], [99, 11]);
  });

  test('what readPixels returns is the caller\'s to modify', async () => {
    const s = source();
    const first = await s.readPixels([1]);
    first.fill(0);
    assert.deepEqual([...(await s.readPixels([1]))], [10, 11]);
  });

  test('stored at another shape, examples are resized per read', async () => {
    const s = InMemorySource.create({
      pixels: Uint8Array.from([0, 100, 200, 100]), labels: Int32Array.from([0]),
      shape: [1, 1, 1], storedShape: [2, 2, 1], sourceOf: String,
    });
    assert.deepEqual([...(await s.readPixels([0]))], [100]);
  });

  test('an index out of range is an error, not silent garbage', async () => {
    await assert.rejects(source().readPixels([4]), RangeError);
    assert.throws(() => source().subset([0, -1]), RangeError);
  });
});
