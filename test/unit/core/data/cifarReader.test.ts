import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCifarDataset, type CifarReadOptions } from '../../../../src/core/data/cifarReader';
import {
  CIFAR10_CLASS_NAMES, CIFAR100_COARSE_CLASS_NAMES, CIFAR100_FINE_CLASS_NAMES,
} from '../../../../src/core/data/cifarClassNames';
import { DatasetError } from '../../../../src/core/data/dataset';
import { toModelInput } from '../../../../src/core/data/imagePreprocess';
import { writeCifar10, writeCifar100 } from '../../../fixtures/cifarFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

function options(overrides: Partial<CifarReadOptions> = {}): CifarReadOptions & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    memoryBudgetBytes: 1 << 30,
    decodeWorkers: 0,
    onProgress: () => undefined,
    onWarning: (message) => warnings.push(message),
    cifar100Labels: 'fine',
    warnings,
    ...overrides,
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

let dir: string;
before(() => { dir = makeTempDir(); });
after(() => removeTempDir(dir));

describe('readCifarDataset: CIFAR-10', () => {
  test('reads every data batch and the test batch, planar records to HWC, names from batches.meta.txt', async () => {
    const root = join(dir, 'c10');
    const names = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'lorry'];
    const fixture = writeCifar10(root, { batches: [12, 7, 5], testCount: 6, meta: names });
    const dataset = await readCifarDataset(root, 'cifar10', options());
    assert.equal(dataset.format, 'cifar10');
    assert.deepEqual(dataset.classes, names);
    assert.deepEqual(dataset.imageShape, [32, 32, 3]);
    assert.equal(dataset.streamed, false);
    assert.deepEqual([...dataset.train.labels], fixture.train.labels);
    assert.deepEqual([...(dataset.test?.labels ?? [])], fixture.test.labels);
    assert.deepEqual(await dataset.train.readPixels(range(24)), fixture.train.pixels);
    assert.deepEqual(await dataset.test?.readPixels(range(6)), fixture.test.pixels);
    assert.equal(dataset.train.sourceOf(13), `${join(fixture.dir, 'data_batch_2.bin')}#1`);
    assert.equal(dataset.test?.sourceOf(2), `${join(fixture.dir, 'test_batch.bin')}#2`);
  });

  test('accepts the folder holding the .bin files directly; without a meta file uses the published names', async () => {
    const root = join(dir, 'c10-flat');
    writeCifar10(root, { subfolder: false, meta: false });
    const dataset = await readCifarDataset(root, 'cifar10', options());
    assert.deepEqual(dataset.classes, CIFAR10_CLASS_NAMES);
  });

  test('a batch whose size is not whole records is skipped, named and warned about', async () => {
    const root = join(dir, 'c10-bad');
    const fixture = writeCifar10(root, { batches: [10, 10, 10] });
    appendFileSync(join(fixture.dir, 'data_batch_2.bin'), Buffer.alloc(100));
    const opts = options();
    const dataset = await readCifarDataset(root, 'cifar10', opts);
    assert.equal(dataset.train.count, 20);
    assert.deepEqual(dataset.skipped.map((s) => s.path), [join(fixture.dir, 'data_batch_2.bin')]);
    assert.match(dataset.skipped[0].reason, /not a whole number of 3073-byte CIFAR-10 records/);
    assert.equal(opts.warnings.length, 1);
    assert.match(opts.warnings[0], /data_batch_2\.bin/);
    // Examples of batch 3 follow batch 1 directly.
    assert.deepEqual(await dataset.train.readPixels([10]), fixture.train.pixels.subarray(20 * 3072, 21 * 3072));
  });

  test('when no training batch is usable, the error names the file', async () => {
    const root = join(dir, 'c10-truncated');
    const fixture = writeCifar10(root, { batches: [4] });
    writeFileSync(join(fixture.dir, 'data_batch_1.bin'), Buffer.alloc(3073 * 2 - 1));
    await assert.rejects(readCifarDataset(root, 'cifar10', options()),
      (e: Error) => e instanceof DatasetError && /data_batch_1\.bin/.test(e.message) && /3073-byte/.test(e.message));
  });

  test('CIFAR-100 files read as CIFAR-10 get a hint; a label beyond the class count names the file', async () => {
    const c100 = join(dir, 'c100-as-c10');
    writeCifar100(c100);
    await assert.rejects(readCifarDataset(c100, 'cifar10', options()), /use the format 'cifar100'/);
    const bad = join(dir, 'c10-label');
    const fixture = writeCifar10(bad, { batches: [3] });
    const record = Buffer.alloc(3073);
    record[0] = 42;
    writeFileSync(join(fixture.dir, 'data_batch_1.bin'), record);
    await assert.rejects(readCifarDataset(bad, 'cifar10', options()), /data_batch_1\.bin: record 0 has label 42/);
  });

  test('imageSize other than 32 resizes with the shared preprocessing', async () => {
    const root = join(dir, 'c10-resize');
    const fixture = writeCifar10(root, { batches: [4], testCount: 2 });
    const dataset = await readCifarDataset(root, 'cifar10', options({ imageSize: 20 }));
    assert.deepEqual(dataset.imageShape, [20, 20, 3]);
    const expected = toModelInput({ width: 32, height: 32, channels: 3, data: fixture.train.pixels.subarray(3072, 6144) }, [20, 20, 3]);
    assert.deepEqual(await dataset.train.readPixels([1]), expected);
    // Beyond the memory budget the native pixels are kept and resized per read: same result.
    const lazy = await readCifarDataset(root, 'cifar10', options({ imageSize: 20, memoryBudgetBytes: 1000 }));
    assert.equal(lazy.streamed, true);
    assert.deepEqual(await lazy.train.readPixels([1]), expected);
    assert.deepEqual(await lazy.test?.readPixels([0, 1]), await dataset.test?.readPixels([0, 1]));
  });

  test('a missing folder and an empty folder are clear errors', async () => {
    await assert.rejects(readCifarDataset(join(dir, 'nope'), 'cifar10', options()), /not found/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await assert.rejects(readCifarDataset(empty, 'cifar10', options()), /No CIFAR-10 training files \(data_batch_1\.bin/);
    rmSync(empty, { recursive: true });
  });
});

describe('readCifarDataset: CIFAR-100', () => {
  test('fine labels with names from fine_label_names.txt', async () => {
    const root = join(dir, 'c100');
    const fixture = writeCifar100(root, { trainCount: 30, testCount: 8 });
    const dataset = await readCifarDataset(root, 'cifar100', options({ cifar100Labels: 'fine' }));
    assert.equal(dataset.format, 'cifar100');
    assert.equal(dataset.classes.length, 100);
    assert.equal(dataset.classes[7], 'fine7');
    assert.deepEqual([...dataset.train.labels], fixture.train.labels);
    assert.deepEqual(await dataset.train.readPixels(range(30)), fixture.train.pixels);
    assert.deepEqual([...(dataset.test?.labels ?? [])], fixture.test.labels);
  });

  test('coarse labels with names from coarse_label_names.txt', async () => {
    const root = join(dir, 'c100');
    const dataset = await readCifarDataset(root, 'cifar100', options({ cifar100Labels: 'coarse' }));
    assert.equal(dataset.classes.length, 20);
    assert.equal(dataset.classes[3], 'coarse3');
    const fixture = writeCifar100(join(dir, 'c100-again'), { trainCount: 30, testCount: 8 });
    assert.deepEqual([...dataset.train.labels], fixture.train.coarseLabels);
  });

  test('without name files, the published fine and coarse names', async () => {
    const root = join(dir, 'c100-nameless');
    writeCifar100(root, { fineNames: false, coarseNames: false, subfolder: false });
    const fine = await readCifarDataset(root, 'cifar100', options({ cifar100Labels: 'fine' }));
    const coarse = await readCifarDataset(root, 'cifar100', options({ cifar100Labels: 'coarse' }));
    assert.equal(CIFAR100_FINE_CLASS_NAMES.length, 100);
    assert.equal(new Set(CIFAR100_FINE_CLASS_NAMES).size, 100);
    assert.equal(CIFAR100_COARSE_CLASS_NAMES.length, 20);
    assert.deepEqual(fine.classes, CIFAR100_FINE_CLASS_NAMES);
    assert.deepEqual(coarse.classes, CIFAR100_COARSE_CLASS_NAMES);
  });
});
