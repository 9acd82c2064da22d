import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeDataset } from '../../../../src/core/data/describeDataset';
import { writeCifar10, writeCifar100 } from '../../../fixtures/cifarFixtures';
import { writeIdxDataset } from '../../../fixtures/idxFixtures';
import { encodePngPixels } from '../../../fixtures/imageFixtures';
import { gradient, plainJpeg, rotatedJpeg } from '../../../fixtures/photoFixtures';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir: string;
before(() => { dir = makeTempDir(); });
after(() => removeTempDir(dir));

describe('describeDataset', () => {
  test('a split folder dataset: per-class train and test counts, grey shape, skipped files', async () => {
    const root = join(dir, 'folder');
    writeFolderDataset(root, makeShapesDataset(20, 8, 1, { channels: 1 }), { testFraction: 0.2 });
    writeFileSync(join(root, 'train', 'circle', 'scan.tif'), Buffer.from('II*\x00\x08\x00\x00\x00\x00\x00\x00\x00'));
    mkdirSync(join(root, 'train', 'empty'));
    const description = await describeDataset(root);
    assert.equal(description.format, 'folder');
    assert.deepEqual(description.classes, [
      { name: 'circle', trainCount: 4, testCount: 1 },
      { name: 'cross', trainCount: 4, testCount: 1 },
      { name: 'empty', trainCount: 0, testCount: 0 },
      { name: 'horizontal', trainCount: 4, testCount: 1 },
      { name: 'vertical', trainCount: 4, testCount: 1 },
    ]);
    assert.deepEqual(description.imageShape, [32, 32, 1]);
    assert.deepEqual(description.skipped.map((s) => s.path), [join(root, 'train', 'circle', 'scan.tif')]);
  });

  test('CIFAR-10 counts labels per class from the batches', async () => {
    const root = join(dir, 'c10');
    writeCifar10(root, { batches: [13, 7], testCount: 5, meta: false });
    const description = await describeDataset(root);
    assert.equal(description.format, 'cifar10');
    assert.equal(description.classes[0].name, 'airplane');
    assert.equal(description.classes.reduce((n, c) => n + c.trainCount, 0), 20);
    assert.deepEqual(description.classes.map((c) => c.trainCount), [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    assert.deepEqual(description.classes.map((c) => c.testCount), [0, 0, 0, 1, 1, 1, 1, 1, 0, 0]);
    assert.deepEqual(description.imageShape, [32, 32, 3]);
  });

  test('CIFAR-100 fine or coarse', async () => {
    const root = join(dir, 'c100');
    writeCifar100(root, { trainCount: 40, testCount: 10 });
    const fine = await describeDataset(root, 'cifar100');
    assert.equal(fine.classes.length, 100);
    assert.equal(fine.classes[7].trainCount, 1); // fine labels (i * 7) % 100: 7 comes from i = 1 only
    const coarse = await describeDataset(root, 'cifar100', { cifar100Labels: 'coarse' });
    assert.equal(coarse.classes.length, 20);
    assert.equal(coarse.classes.reduce((n, c) => n + c.trainCount, 0), 40);
  });

  test('IDX, gzipped: counts from the label files, shape from the image header', async () => {
    const root = join(dir, 'mnist');
    mkdirSync(root);
    writeIdxDataset(root, { trainCount: 25, testCount: 10, gzip: true, rows: 14, cols: 9 });
    const description = await describeDataset(root);
    assert.equal(description.format, 'idx');
    assert.deepEqual(description.imageShape, [14, 9, 1]);
    assert.deepEqual(description.classes.map((c) => c.name), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(description.classes.map((c) => c.trainCount), [3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    assert.deepEqual(description.classes.map((c) => c.testCount), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  test('a colour image anywhere in the sample makes the folder shape three channels', async () => {
    const root = join(dir, 'mixed');
    mkdirSync(join(root, 'a'), { recursive: true });
    mkdirSync(join(root, 'b'));
    writeFileSync(join(root, 'a', 'g.png'), encodePngPixels(new Uint8Array(4), 2, 2, 1));
    writeFileSync(join(root, 'b', 'c.png'), encodePngPixels(new Uint8Array(12), 2, 2, 3));
    assert.deepEqual((await describeDataset(root, 'folder')).imageShape, [32, 32, 3]);
  });

  test('a folder of photos suggests the image size its images can fill: the median short side, capped at 128', async () => {
    const root = join(dir, 'photos');
    mkdirSync(join(root, 'cats'), { recursive: true });
    mkdirSync(join(root, 'dogs'));
    // Short sides 120, 100 (a portrait photo turned by its EXIF orientation), 90 and 60: median 95.
    writeFileSync(join(root, 'cats', 'wide.jpg'), await plainJpeg(gradient(160, 120)));
    writeFileSync(join(root, 'cats', 'portrait.jpg'), await rotatedJpeg(gradient(100, 150)));
    writeFileSync(join(root, 'dogs', 'square.jpg'), await plainJpeg(gradient(90, 90)));
    writeFileSync(join(root, 'dogs', 'small.png'), encodePngPixels(new Uint8Array(80 * 60 * 3), 80, 60, 3));
    const description = await describeDataset(root, 'folder');
    assert.deepEqual(description.imageSizeSuggestion, { size: 64, medianShortSide: 95, sampled: 4 });
    // The model input stays the default until the user picks a size.
    assert.deepEqual(description.imageShape, [32, 32, 3]);

    // Small images: no larger size is worth it.
    const icons = join(dir, 'icons');
    writeFolderDataset(icons, makeShapesDataset(8, 24, 1));
    assert.equal((await describeDataset(icons, 'folder')).imageSizeSuggestion?.size, 32);
  });
});
