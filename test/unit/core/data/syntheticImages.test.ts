import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFolderDataset } from '../../../../src/core/data/folderReader';
import { SHAPE_CLASSES, makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir: string;
before(() => { dir = makeTempDir(); });
after(() => removeTempDir(dir));

/** Mean over examples of (row-profile variance - column-profile variance): > 0 for horizontal structure. */
function orientation(pixels: Uint8Array, size: number, offset: number): number {
  const rows = new Array<number>(size).fill(0);
  const cols = new Array<number>(size).fill(0);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = pixels[offset + (y * size + x) * 3];
      rows[y] += v / size;
      cols[x] += v / size;
    }
  }
  const variance = (a: number[]) => {
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    return a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
  };
  return variance(rows) - variance(cols);
}

describe('synthetic shapes fixture', () => {
  test('balanced, deterministic for a seed, different for another', () => {
    const a = makeShapesDataset(40, 16, 1);
    assert.deepEqual(a.shape, [16, 16, 3]);
    assert.equal(a.pixels.length, 40 * 16 * 16 * 3);
    for (let c = 0; c < SHAPE_CLASSES.length; c++) assert.equal(a.labels.filter((l) => l === c).length, 10);
    assert.deepEqual(makeShapesDataset(40, 16, 1).pixels, a.pixels);
    assert.notDeepEqual(makeShapesDataset(40, 16, 2).pixels, a.pixels);
  });

  test('the classes carry a visible signal: horizontal bars vary by row, vertical bars by column', () => {
    const data = makeShapesDataset(80, 16, 4, { noise: 0 });
    const bytes = 16 * 16 * 3;
    data.labels.forEach((label, i) => {
      const name = data.classes[label];
      if (name === 'horizontal') assert.ok(orientation(data.pixels, 16, i * bytes) > 0, `example ${i}`);
      if (name === 'vertical') assert.ok(orientation(data.pixels, 16, i * bytes) < 0, `example ${i}`);
    });
  });

  test('written as PNGs it reads back exactly, grey as one channel', async () => {
    const grey = makeShapesDataset(8, 10, 6, { channels: 1 });
    writeFolderDataset(join(dir, 'grey'), grey);
    const dataset = await readFolderDataset(join(dir, 'grey'), {
      imageSize: 10, memoryBudgetBytes: 1 << 20, decodeWorkers: 0, onProgress: () => undefined, onWarning: () => undefined,
    });
    assert.deepEqual(dataset.imageShape, [10, 10, 1]);
    assert.deepEqual(dataset.classes, [...SHAPE_CLASSES]);
    const paths = Array.from({ length: 8 }, (_, i) => dataset.train.sourceOf(i));
    const pixels = await dataset.train.readPixels(Array.from({ length: 8 }, (_, i) => i));
    paths.forEach((path, i) => {
      const original = Number(/_(\d+)\.png$/.exec(path)?.[1]);
      assert.deepEqual(pixels.subarray(i * 100, (i + 1) * 100), grey.pixels.subarray(original * 100, (original + 1) * 100));
    });
  });
});
