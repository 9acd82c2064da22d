import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../../../src/core/data/loadDataset';
import type { DataSpec } from '../../../../src/core/runSpec';
import { writeCifar100 } from '../../../fixtures/cifarFixtures';
import { writeIdxDataset } from '../../../fixtures/idxFixtures';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

function spec(path: string, overrides: Partial<DataSpec> = {}): DataSpec {
  return { path, format: 'auto', valSplit: 0.1, cifar100Labels: 'fine', ...overrides };
}

let dir: string;
before(() => { dir = makeTempDir(); });
after(() => removeTempDir(dir));

describe('loadDataset', () => {
  test('auto-detects and reads a folder dataset at the default 32 x 32', async () => {
    const root = join(dir, 'shapes');
    writeFolderDataset(root, makeShapesDataset(8, 20, 2));
    const dataset = await loadDataset(spec(root), { decodeWorkers: 0 });
    assert.equal(dataset.format, 'folder');
    assert.deepEqual(dataset.imageShape, [32, 32, 3]);
    assert.equal(dataset.train.count, 8);
  });

  test('passes imageSize, cifar100Labels and progress through to the readers', async () => {
    const c100 = join(dir, 'c100');
    writeCifar100(c100, { trainCount: 10, testCount: 4 });
    const progress: number[][] = [];
    const coarse = await loadDataset(spec(c100, { cifar100Labels: 'coarse', imageSize: 16 }), {
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.equal(coarse.format, 'cifar100');
    assert.equal(coarse.classes.length, 20);
    assert.deepEqual(coarse.imageShape, [16, 16, 3]);
    assert.ok(progress.length > 0);
    const mnist = join(dir, 'mnist');
    mkdirSync(mnist);
    writeIdxDataset(mnist, { trainCount: 10, testCount: 4 });
    const idx = await loadDataset(spec(mnist, { format: 'idx' }));
    assert.deepEqual(idx.imageShape, [28, 28, 1]);
  });

  test('an explicit format that does not match the files is a clear error', async () => {
    const mnist = join(dir, 'mnist-as-cifar');
    mkdirSync(mnist);
    writeIdxDataset(mnist, { trainCount: 3, testCount: 3 });
    await assert.rejects(loadDataset(spec(mnist, { format: 'cifar10' })), /No CIFAR-10 training files/);
  });

  test('warnings go to the callback', async () => {
    const root = join(dir, 'warn');
    writeFolderDataset(root, makeShapesDataset(4, 6, 3));
    mkdirSync(join(root, 'circle', 'empty.png'));
    writeFileSync(join(root, 'cross', 'broken.png'), 'nope');
    const warnings: string[] = [];
    const dataset = await loadDataset(spec(root), { onWarning: (m) => warnings.push(m), decodeWorkers: 0 });
    assert.equal(dataset.skipped.length, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /broken\.png/);
  });

  test('an already aborted signal stops before reading', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(loadDataset(spec(join(dir, 'shapes'), { format: 'folder' }), { signal: controller.signal }), { name: 'AbortError' });
  });
});
