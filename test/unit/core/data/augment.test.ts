import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import {
  augmentBatch, augmentDrawsPerImage, formatAugmentList, isAugmenting, noAugmentation, parseAugmentList, trainingBatchFloats,
} from '../../../../src/core/data/augment';
import type { AugmentSpec } from '../../../../src/core/runSpec';

/** A batch whose every value is distinct and in (0, 1), so moved pixels are recognisable. */
function gradientBatch(n: number, h: number, w: number, c: number): Float32Array {
  const size = n * h * w * c;
  const batch = new Float32Array(size);
  for (let i = 0; i < size; i++) batch[i] = (i + 1) / (size + 1);
  return batch;
}

function at(batch: Float32Array, [, h, w, c]: [number, number, number, number], i: number, y: number, x: number, k: number): number {
  return batch[((i * h + y) * w + x) * c + k];
}

function only(changes: Partial<AugmentSpec>): AugmentSpec {
  return { ...noAugmentation(), ...changes };
}

/** A generator that replays the given values in a loop. */
function replay(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('augmentBatch', () => {
  test('does nothing with augmentation off, and never modifies its input', () => {
    const shape: [number, number, number, number] = [2, 5, 4, 3];
    const batch = gradientBatch(...shape);
    const copy = batch.slice();
    const out = augmentBatch(batch, shape, noAugmentation(), Math.random);
    assert.deepEqual(out, batch);
    assert.notEqual(out, batch);
    augmentBatch(batch, shape, parseAugmentList('flip,rotate,crop,color'), seedrandom('x'));
    assert.deepEqual(batch, copy);
  });

  test('a flip mirrors each row exactly, keeping channel order', () => {
    const shape: [number, number, number, number] = [1, 3, 5, 3];
    const batch = gradientBatch(...shape);
    const out = augmentBatch(batch, shape, only({ flip: true }), () => 0.1);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 5; x++) {
        for (let k = 0; k < 3; k++) assert.equal(at(out, shape, 0, y, x, k), at(batch, shape, 0, y, 4 - x, k));
      }
    }
    // A draw of 0.5 or more leaves the image as it was (flip probability 0.5).
    assert.deepEqual(augmentBatch(batch, shape, only({ flip: true }), () => 0.7), batch);
  });

  test('flips about half the images of a large batch', () => {
    const shape: [number, number, number, number] = [400, 1, 2, 1];
    const batch = new Float32Array(800);
    for (let i = 0; i < 400; i++) batch[2 * i + 1] = 1;
    const out = augmentBatch(batch, shape, only({ flip: true }), seedrandom('flips'));
    let flipped = 0;
    for (let i = 0; i < 400; i++) if (out[2 * i] === 1) flipped++;
    assert.ok(flipped > 150 && flipped < 250, `${flipped} of 400 flipped`);
  });

  test('a zero-degree rotation is the identity', () => {
    const shape: [number, number, number, number] = [2, 6, 7, 3];
    const batch = gradientBatch(...shape);
    // A draw of 0.5 is the middle of [-r, r]: exactly 0 degrees.
    const out = augmentBatch(batch, shape, only({ rotateDegrees: 30 }), () => 0.5);
    assert.deepEqual(out, batch);
  });

  test('a 90 degree rotation turns the image a quarter turn counter-clockwise', () => {
    const shape: [number, number, number, number] = [1, 5, 5, 1];
    const batch = gradientBatch(...shape);
    // 0.75 maps to +0.5 r, so r = 180 gives +90 degrees.
    const out = augmentBatch(batch, shape, only({ rotateDegrees: 180 }), () => 0.75);
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 5; x++) {
        // Counter-clockwise: the top-right corner moves to the top-left.
        assert.ok(Math.abs(at(out, shape, 0, y, x, 0) - at(batch, shape, 0, x, 4 - y, 0)) < 1e-6, `pixel ${y},${x}`);
      }
    }
  });

  test('a small rotation interpolates and fills the uncovered corners with 0', () => {
    const shape: [number, number, number, number] = [1, 16, 16, 1];
    const batch = new Float32Array(256).fill(1);
    const out = augmentBatch(batch, shape, only({ rotateDegrees: 20 }), () => 1 - 1e-9);
    assert.equal(at(out, shape, 0, 0, 0, 0), 0);
    assert.equal(at(out, shape, 0, 15, 15, 0), 0);
    assert.ok(Math.abs(at(out, shape, 0, 8, 8, 0) - 1) < 1e-6);
    assert.ok(out.every((v) => v >= 0 && v <= 1 + 1e-6));
  });

  test('a crop with zero padding is the identity', () => {
    const shape: [number, number, number, number] = [1, 4, 4, 3];
    const batch = gradientBatch(...shape);
    assert.deepEqual(augmentBatch(batch, shape, only({ cropPadding: 0 }), Math.random), batch);
  });

  test('a padded crop keeps the shape and shifts the content, filling with 0', () => {
    const shape: [number, number, number, number] = [1, 6, 8, 2];
    const batch = gradientBatch(...shape);
    // Padding 2: offsets 0..4 per axis, drawn as floor(r * 5). x draw 0.9 -> offset 4 -> shift -2;
    // y draw 0.1 -> offset 0 -> shift +2.
    const out = augmentBatch(batch, shape, only({ cropPadding: 2 }), replay(0.9, 0.1));
    assert.equal(out.length, batch.length);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) {
        for (let k = 0; k < 2; k++) {
          const sy = y - 2;
          const sx = x + 2;
          const expected = sy >= 0 && sx < 8 ? at(batch, shape, 0, sy, sx, k) : 0;
          assert.equal(at(out, shape, 0, y, x, k), expected, `pixel ${y},${x},${k}`);
        }
      }
    }
  });

  test('colour jitter changes the colours but keeps every value in [0, 1]', () => {
    const shape: [number, number, number, number] = [32, 8, 8, 3];
    const random = seedrandom('pixels');
    const batch = new Float32Array(32 * 8 * 8 * 3).map(() => random());
    const spec = only({ brightness: 0.9, contrast: 0.9, saturation: 0.9 });
    const out = augmentBatch(batch, shape, spec, seedrandom('jitter'));
    assert.ok(out.every((v) => v >= 0 && v <= 1));
    assert.notDeepEqual(out, batch);
    // Strongest brightness draw: pixels get brighter (and saturate at 1).
    const bright = augmentBatch(batch, shape, only({ brightness: 0.5 }), () => 1 - 1e-9);
    assert.ok(bright.every((v, i) => v >= batch[i] && v <= 1));
    assert.ok(bright.some((v) => v === 1));
  });

  test('saturation 0 turns colour into grey; contrast 0 into flat grey', () => {
    const shape: [number, number, number, number] = [1, 2, 2, 3];
    const batch = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5]);
    // A draw of 0 is factor 1 - s: with s = 1, factor 0.
    const grey = augmentBatch(batch, shape, only({ saturation: 1 }), () => 0);
    for (let p = 0; p < 4; p++) {
      assert.ok(Math.abs(grey[3 * p] - grey[3 * p + 1]) < 1e-6 && Math.abs(grey[3 * p + 1] - grey[3 * p + 2]) < 1e-6);
    }
    assert.ok(Math.abs(grey[0] - 0.299) < 1e-6);
    const flat = augmentBatch(batch, shape, only({ contrast: 1 }), () => 0);
    assert.ok(flat.every((v) => Math.abs(v - flat[0]) < 1e-6));
  });

  test('is deterministic for a seeded generator and differs across seeds', () => {
    const shape: [number, number, number, number] = [8, 12, 12, 3];
    const batch = gradientBatch(...shape);
    const spec = parseAugmentList('flip,rotate,crop,color');
    const a = augmentBatch(batch, shape, spec, seedrandom('seed-1'));
    const b = augmentBatch(batch, shape, spec, seedrandom('seed-1'));
    const c = augmentBatch(batch, shape, spec, seedrandom('seed-2'));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  test('works on grey (one-channel) images with every augmentation on', () => {
    const shape: [number, number, number, number] = [4, 10, 10, 1];
    const batch = gradientBatch(...shape);
    const out = augmentBatch(batch, shape, parseAugmentList('flip,rotate,crop,color'), seedrandom('grey'));
    assert.equal(out.length, batch.length);
    assert.ok(out.every((v) => v >= 0 && v <= 1));
    assert.notDeepEqual(out, batch);
    const flipped = augmentBatch(batch, shape, only({ flip: true }), () => 0);
    assert.equal(at(flipped, shape, 3, 2, 0, 0), at(batch, shape, 3, 2, 9, 0));
  });

  test('rejects a buffer that does not match the shape', () => {
    assert.throws(() => augmentBatch(new Float32Array(10), [1, 2, 2, 3], noAugmentation(), Math.random), /shape \[1, 2, 2, 3\]/);
  });
});

describe('parseAugmentList', () => {
  test('turns names into default strengths', () => {
    assert.deepEqual(parseAugmentList('flip'), only({ flip: true }));
    assert.deepEqual(parseAugmentList('rotate, crop'), only({ rotateDegrees: 15, cropPadding: 4 }));
    assert.deepEqual(parseAugmentList('color'), only({ brightness: 0.2, contrast: 0.2, saturation: 0.2 }));
    const all = parseAugmentList('flip,rotate,crop,color');
    assert.ok(all.flip && all.rotateDegrees > 0 && all.cropPadding > 0 && all.brightness > 0);
  });

  test('an empty list or none means no augmentation', () => {
    assert.deepEqual(parseAugmentList(''), noAugmentation());
    assert.deepEqual(parseAugmentList('none'), noAugmentation());
    assert.equal(isAugmenting(noAugmentation()), false);
    assert.equal(isAugmenting(parseAugmentList('crop')), true);
  });

  test('rejects unknown names, listing the valid ones', () => {
    assert.throws(() => parseAugmentList('flip,blur'), (error: Error) => {
      assert.match(error.message, /'blur'/);
      assert.match(error.message, /flip, rotate, crop, color/);
      return true;
    });
  });

  test('takes a strength after a name', () => {
    assert.deepEqual(parseAugmentList('rotate=10,crop=2,color=0.3'), only({ rotateDegrees: 10, cropPadding: 2, brightness: 0.3, contrast: 0.3, saturation: 0.3 }));
    assert.deepEqual(parseAugmentList('brightness=0.1, saturation = 0.4'), only({ brightness: 0.1, saturation: 0.4 }));
    assert.deepEqual(parseAugmentList('color=0.3,contrast=0'), only({ brightness: 0.3, saturation: 0.3 }), 'later entries override');
    assert.deepEqual(parseAugmentList('flip,ROTATE=180,crop=64,color=1'), only({ flip: true, rotateDegrees: 180, cropPadding: 64, brightness: 1, contrast: 1, saturation: 1 }));
    assert.equal(isAugmenting(parseAugmentList('rotate=0,crop=0')), false, 'a strength of 0 turns it off');
  });

  test('rejects strengths out of range or of the wrong kind, naming the entry and the range', () => {
    const cases: [string, RegExp][] = [
      ['rotate=181', /'rotate=181'.*from 0 to 180/],
      ['rotate=abc', /'rotate=abc'.*number of degrees/],
      ['rotate=', /'rotate='/],
      ['crop=2.5', /'crop=2.5'.*whole number of pixels from 0 to 64/],
      ['crop=-1', /'crop=-1'/],
      ['color=1.5', /'color=1.5'.*from 0 to 1/],
      ['saturation=NaN', /'saturation=NaN'/],
      ['brightness', /'brightness' needs a strength/],
      ['flip=1', /flip takes no strength/],
      ['blur=2', /Unknown augmentation 'blur'.*rotate=DEGREES/],
    ];
    for (const [list, message] of cases) assert.throws(() => parseAugmentList(list), message, list);
  });

  test('formats a spec as a list that parses back to it', () => {
    for (const list of ['none', 'flip', 'rotate=12.5,crop=3', 'flip,color=0.25', 'brightness=0.1,saturation=0.7', 'flip,rotate=15,crop=4,color=0.2']) {
      const spec = parseAugmentList(list);
      assert.equal(formatAugmentList(spec), list);
      assert.deepEqual(parseAugmentList(formatAugmentList(spec)), spec);
    }
  });
});

describe('trainingBatchFloats', () => {
  test('scales uint8 to [0, 1] and augments with the draws augmentDrawsPerImage counts', () => {
    const shape: [number, number, number, number] = [3, 4, 4, 3];
    const pixels = Uint8Array.from({ length: 3 * 4 * 4 * 3 }, (_, i) => (i * 37) % 256);
    assert.deepEqual(trainingBatchFloats(pixels, shape, noAugmentation(), () => assert.fail('no draws without augmentation')),
      Float32Array.from(pixels, (v) => v / 255));
    for (const list of ['flip', 'rotate,crop', 'flip,rotate,crop,color', 'brightness=0.3,saturation=0.2']) {
      const spec = parseAugmentList(list);
      let draws = 0;
      const random = seedrandom(list);
      const out = trainingBatchFloats(pixels, shape, spec, () => { draws++; return random(); });
      assert.equal(draws, 3 * augmentDrawsPerImage(spec, 3), list);
      assert.deepEqual(out, augmentBatch(Float32Array.from(pixels, (v) => v / 255), shape, spec, seedrandom(list)), list);
    }
    let greyDraws = 0;
    trainingBatchFloats(new Uint8Array(2 * 16), [2, 4, 4, 1], parseAugmentList('color'), () => { greyDraws++; return 0.3; });
    assert.equal(greyDraws, 2 * augmentDrawsPerImage(parseAugmentList('color'), 1));
    assert.equal(augmentDrawsPerImage(parseAugmentList('color'), 1), 2, 'grey images draw no saturation');
  });
});
