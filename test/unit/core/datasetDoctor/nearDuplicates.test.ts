// The near-duplicate machinery on its own: difference hashes, the multi-index search against
// comparing every pair, and the pixel check that confirms a candidate.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { toModelInput } from '../../../../src/core/data/imagePreprocess';
import { FingerprintMaker, popCount32 } from '../../../../src/core/datasetDoctor/imageFingerprint';
import { countComparisons, findNearPairs } from '../../../../src/core/datasetDoctor/nearDuplicatePairs';
import { SimilarityIndex } from '../../../../src/core/datasetDoctor/similarityIndex';
import { makeShapesDataset } from '../../../fixtures/syntheticImages';

function hashOf(pixels: Uint8Array, height: number, width: number, channels: number): [number, number] {
  return new FingerprintMaker().fingerprint(pixels, height, width, channels, new Uint8Array(height * width), 0);
}

const distance = (a: [number, number], b: [number, number]): number => popCount32(a[0] ^ b[0]) + popCount32(a[1] ^ b[1]);

describe('difference hash', () => {
  const shapes = makeShapesDataset(40, 32, 8);
  const image = (i: number): Uint8Array => shapes.pixels.subarray(i * 3072, (i + 1) * 3072);

  test('sets bit y * 8 + x when grid cell x is brighter than cell x + 1 by more than the margin', () => {
    // A left-to-right falling ramp: every cell is brighter than its right neighbour.
    const falling = Uint8Array.from({ length: 36 * 8 }, (_, p) => 255 - (p % 36) * 7);
    assert.deepEqual(hashOf(falling, 8, 36, 1), [0xffffffff, 0xffffffff]);
    assert.deepEqual(hashOf(new Uint8Array(64 * 64).fill(90), 64, 64, 1), [0, 0], 'a flat image has no edges');
    const gentle = Uint8Array.from({ length: 36 * 8 }, (_, p) => 200 - Math.floor((p % 36) / 4) * 3);
    assert.deepEqual(hashOf(gentle, 8, 36, 1), [0, 0], 'steps of 3 grey levels are within the margin');
  });

  test('barely changes for a brighter, a resized or a re-encoded copy, and differs between images', () => {
    const original = hashOf(image(0), 32, 32, 3);
    const brighter = Uint8Array.from(image(0), (v) => Math.min(255, v + 20));
    assert.ok(distance(original, hashOf(brighter, 32, 32, 3)) <= 3);
    const larger = toModelInput({ width: 32, height: 32, channels: 3, data: image(0) }, [80, 80, 3]);
    assert.ok(distance(original, hashOf(larger, 80, 80, 3)) <= 4);
    const others = Array.from({ length: 39 }, (_, i) => distance(original, hashOf(image(i + 1), 32, 32, 3)));
    assert.ok(Math.min(...others) > 6, `other images are more than 6 bits away: ${others.join(' ')}`);
  });
});

describe('multi-index search', () => {
  function bruteForce(high: Uint32Array, low: Uint32Array, maxDistance: number): string[] {
    const pairs: string[] = [];
    for (let a = 0; a < high.length; a++) {
      for (let b = a + 1; b < high.length; b++) {
        if (popCount32(high[a] ^ high[b]) + popCount32(low[a] ^ low[b]) <= maxDistance) pairs.push(`${a}-${b}`);
      }
    }
    return pairs.sort();
  }

  test('finds exactly the pairs that comparing every pair finds, each once', async () => {
    const random = seedrandom('mih');
    const count = 1500;
    const high = new Uint32Array(count);
    const low = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      if (i % 10 === 9) {
        // A close copy of an earlier hash, a few random bits flipped.
        const of = Math.floor(random() * i);
        high[i] = high[of];
        low[i] = low[of];
        for (let k = Math.floor(random() * 8); k > 0; k--) {
          const bit = Math.floor(random() * 64);
          if (bit < 32) low[i] ^= 1 << bit;
          else high[i] ^= 1 << (bit - 32);
        }
      } else if (i % 50 === 7) {
        high[i] = 0; // plain images pile up on few values
        low[i] = Math.floor(random() * 4);
      } else {
        high[i] = Math.floor(random() * 2 ** 32);
        low[i] = Math.floor(random() * 2 ** 32);
      }
    }
    const items = Int32Array.from({ length: count }, (_, i) => i);
    for (const maxDistance of [2, 4, 6]) {
      const found = await findNearPairs(high, low, items, { maxDistance, confirm: () => true });
      const keys = found.map(([a, b]) => `${a}-${b}`);
      assert.equal(new Set(keys).size, keys.length, 'each pair once');
      assert.deepEqual(keys.sort(), bruteForce(high, low, maxDistance), `distance ${maxDistance}`);
      assert.ok(countComparisons(high, low, items, maxDistance) < (count * count) / 2 / 20, 'far fewer comparisons than all pairs');
    }
  });

  test('searches only the given items, keeps a pair only when confirmed, and refuses distances it cannot index', async () => {
    const high = Uint32Array.from([1, 1, 1, 7]);
    const low = Uint32Array.from([0, 0, 0, 0]);
    const pairs = await findNearPairs(high, low, Int32Array.from([0, 2, 3]), { maxDistance: 2, confirm: (a, b) => a + b !== 3 });
    assert.deepEqual(pairs, [[0, 2], [2, 3]], 'item 1 is not searched; the pair 0-3 is not confirmed');
    await assert.rejects(findNearPairs(high, low, Int32Array.from([0, 1]), { maxDistance: 1, confirm: () => true }), /from 2 to 15/);
  });
});

describe('confirming a candidate by its pixels', () => {
  test('a brighter copy is near-identical; a stroke moved by two pixels on black is not', () => {
    const index = new SimilarityIndex(4, 28, 28);
    const stroke = (shift: number, level: number): Uint8Array => {
      const pixels = new Uint8Array(28 * 28);
      for (let y = 4; y < 24; y++) for (let x = 12; x < 15; x++) pixels[y * 28 + x + shift + (y > 14 ? 1 : 0)] = level;
      return pixels;
    };
    index.add(0, stroke(0, 220), 1);
    index.add(1, Uint8Array.from(stroke(0, 220), (v) => v + 15), 1);
    index.add(2, stroke(2, 220), 1);
    index.add(3, stroke(0, 190), 1);
    assert.equal(index.similar(0, 1), true, 'brighter copy');
    assert.equal(index.similar(0, 3), true, 'the same stroke, a little fainter');
    assert.equal(index.similar(0, 2), false, 'moved stroke: compared on the strokes, not on the shared black');
  });

  test('one bar on two plain backgrounds far apart in brightness is a layout, not a copy', () => {
    const index = new SimilarityIndex(3, 32, 32);
    // The same texture in every image, as a copy keeps its picture's grain.
    const bar = (background: number, ink: number): Uint8Array => Uint8Array.from({ length: 32 * 32 }, (_, p) => {
      const inBar = Math.floor(p / 32) >= 12 && Math.floor(p / 32) < 16 && p % 32 > 4;
      return (inBar ? ink : background) + ((p * 7) % 9);
    });
    index.add(0, bar(60, 200), 1);
    index.add(1, bar(72, 212), 1);
    index.add(2, bar(170, 240), 1);
    assert.equal(index.similar(0, 1), true, 'a brighter copy');
    assert.equal(index.similar(0, 2), false, 'the same bar in other tones');
  });

  test('the same layout in other colours of the same grey level is not a copy', () => {
    const index = new SimilarityIndex(3, 32, 32);
    // A bar on a plain background; luma 0.299 R + 0.587 G + 0.114 B is about the same for both palettes.
    const picture = (background: [number, number, number], ink: [number, number, number]): Uint8Array => {
      const pixels = new Uint8Array(32 * 32 * 3);
      for (let p = 0; p < 32 * 32; p++) {
        const colour = Math.floor(p / 32) >= 12 && Math.floor(p / 32) < 16 && p % 32 > 4 ? ink : background;
        for (let c = 0; c < 3; c++) pixels[p * 3 + c] = colour[c] + ((p * 7 + c) % 9);
      }
      return pixels;
    };
    index.add(0, picture([40, 160, 40], [230, 230, 230]), 3);
    index.add(1, picture([50, 170, 50], [238, 238, 238]), 3);
    index.add(2, picture([200, 110, 30], [230, 230, 230]), 3);
    assert.equal(index.similar(0, 1), true, 'a brighter copy');
    assert.equal(index.similar(0, 2), false, 'green background and orange background of one grey level');
  });

  test('two blank images of about the same level are near-identical; of different levels they are not', () => {
    const index = new SimilarityIndex(3, 16, 16);
    index.add(0, new Uint8Array(256).fill(250), 1);
    index.add(1, Uint8Array.from({ length: 256 }, (_, i) => 247 + (i % 5)), 1);
    index.add(2, new Uint8Array(256).fill(20), 1);
    assert.equal(index.similar(0, 1), true);
    assert.equal(index.similar(0, 2), false);
  });

  test('groups connected pairs and narrows the Hamming distance when the hashes are too alike', async () => {
    const random = seedrandom('groups');
    const index = new SimilarityIndex(6, 16, 16);
    const base = Uint8Array.from({ length: 256 }, () => Math.floor(random() * 256));
    index.add(0, base, 1);
    index.add(1, Uint8Array.from(base, (v) => Math.min(255, v + 4)), 1);
    index.add(2, Uint8Array.from(base, (v) => Math.max(0, v - 4)), 1);
    for (let i = 3; i < 6; i++) index.add(i, Uint8Array.from({ length: 256 }, () => Math.floor(random() * 256)), 1);
    const result = await index.findGroups(Int32Array.from([0, 1, 2, 3, 4, 5]));
    assert.deepEqual(result.groups, [[0, 1, 2]]);
    assert.equal(result.maxDistance, 6);
    assert.equal(result.warning, undefined);
  });
});
