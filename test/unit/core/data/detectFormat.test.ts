import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat } from '../../../../src/core/data/detectFormat';
import { DatasetError } from '../../../../src/core/data/dataset';
import { writeCifar10, writeCifar100 } from '../../../fixtures/cifarFixtures';
import { writeIdxDataset } from '../../../fixtures/idxFixtures';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir: string;
before(() => { dir = makeTempDir(); });
after(() => removeTempDir(dir));

describe('detectFormat', () => {
  test('recognises each published layout', async () => {
    writeCifar10(join(dir, 'c10'), { batches: [2], testCount: 1 });
    writeCifar10(join(dir, 'c10-flat'), { batches: [2], testCount: 1, subfolder: false });
    writeCifar100(join(dir, 'c100'), { trainCount: 2, testCount: 1 });
    mkdirSync(join(dir, 'mnist'));
    writeIdxDataset(join(dir, 'mnist'), { trainCount: 2, testCount: 2, gzip: true });
    writeFolderDataset(join(dir, 'folder'), makeShapesDataset(4, 4, 1));
    writeFolderDataset(join(dir, 'split'), makeShapesDataset(8, 4, 1), { testFraction: 0.5 });
    assert.equal(await detectFormat(join(dir, 'c10')), 'cifar10');
    assert.equal(await detectFormat(join(dir, 'c10', 'cifar-10-batches-bin')), 'cifar10');
    assert.equal(await detectFormat(join(dir, 'c10-flat')), 'cifar10');
    assert.equal(await detectFormat(join(dir, 'c100')), 'cifar100');
    assert.equal(await detectFormat(join(dir, 'mnist')), 'idx');
    assert.equal(await detectFormat(join(dir, 'folder')), 'folder');
    assert.equal(await detectFormat(join(dir, 'split')), 'folder');
  });

  test('an unrecognisable folder: the error lists what was looked for and what was found', async () => {
    const root = join(dir, 'unknown');
    mkdirSync(root);
    writeFileSync(join(root, 'cifar-10-binary.tar.gz'), 'archive');
    writeFileSync(join(root, 'notes.txt'), 'hello');
    await assert.rejects(detectFormat(root), (e: Error) =>
      e instanceof DatasetError &&
      /class sub-folders/.test(e.message) &&
      /data_batch_1\.bin/.test(e.message) &&
      /train\.bin/.test(e.message) &&
      /train-images-idx3-ubyte/.test(e.message) &&
      /notes\.txt/.test(e.message) &&
      /Extract cifar-10-binary\.tar\.gz first/.test(e.message));
  });

  test('a missing path and a file path', async () => {
    await assert.rejects(detectFormat(join(dir, 'missing')), /not found/);
    writeFileSync(join(dir, 'file.bin'), 'x');
    await assert.rejects(detectFormat(join(dir, 'file.bin')), /is a file/);
  });
});
