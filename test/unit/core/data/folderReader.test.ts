import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { readFolderDataset } from '../../../../src/core/data/folderReader';
import { DatasetError, type Dataset } from '../../../../src/core/data/dataset';
import type { ReaderOptions } from '../../../../src/core/data/readerOptions';
import { decodeImage } from '../../../../src/core/data/imageDecode';
import { toModelInput } from '../../../../src/core/data/imagePreprocess';
import { assemblePng, encodeBaselineJpeg, encodeJpeg, encodePngPixels } from '../../../fixtures/imageFixtures';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

function options(overrides: Partial<ReaderOptions> = {}): ReaderOptions & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    memoryBudgetBytes: 1 << 30,
    decodeWorkers: 0,
    onProgress: () => undefined,
    onWarning: (message) => warnings.push(message),
    warnings,
    ...overrides,
  };
}

async function allPixels(dataset: Dataset, split: 'train' | 'test' = 'train'): Promise<Uint8Array> {
  const source = dataset[split];
  assert.ok(source);
  return source.readPixels(Array.from({ length: source.count }, (_, i) => i));
}

function writePng(path: string, width: number, height: number, channels: 1 | 3, fill: (i: number) => number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, encodePngPixels(Uint8Array.from({ length: width * height * channels }, (_, i) => fill(i)), width, height, channels));
}

let dir: string;
before(() => { dir = makeTempDir(); });
after(() => removeTempDir(dir));

describe('readFolderDataset: layout', () => {
  test('one sub-folder per class: classes sorted, labels and pixels exact for lossless same-size images', async () => {
    const root = join(dir, 'flat');
    const shapes = makeShapesDataset(24, 12, 3);
    const written = writeFolderDataset(root, shapes);
    const dataset = await readFolderDataset(root, options({ imageSize: 12 }));
    assert.equal(dataset.format, 'folder');
    assert.deepEqual(dataset.classes, ['circle', 'cross', 'horizontal', 'vertical']);
    assert.deepEqual(dataset.imageShape, [12, 12, 3]);
    assert.equal(dataset.train.count, 24);
    assert.equal(dataset.test, undefined);
    assert.equal(dataset.streamed, false);
    const pixels = await allPixels(dataset);
    for (let i = 0; i < dataset.train.count; i++) {
      const original = written.paths.indexOf(dataset.train.sourceOf(i));
      assert.ok(original >= 0);
      assert.equal(dataset.classes[dataset.train.labels[i]], shapes.classes[shapes.labels[original]]);
      assert.deepEqual(pixels.subarray(i * 432, (i + 1) * 432), shapes.pixels.subarray(original * 432, (original + 1) * 432));
    }
  });

  test('images of any size are resized to imageSize (default 32) with the shared preprocessing', async () => {
    const root = join(dir, 'odd');
    writePng(join(root, 'a', 'wide.png'), 37, 23, 3, (i) => (i * 7) % 256);
    writePng(join(root, 'b', 'tall.png'), 20, 50, 3, (i) => (i * 3) % 256);
    const dataset = await readFolderDataset(root, options());
    assert.deepEqual(dataset.imageShape, [32, 32, 3]);
    const pixels = await allPixels(dataset);
    for (let i = 0; i < 2; i++) {
      const expected = toModelInput(decodeImage(readFileSync(dataset.train.sourceOf(i))), [32, 32, 3]);
      assert.deepEqual(pixels.subarray(i * 3072, (i + 1) * 3072), expected);
    }
    const small = await readFolderDataset(root, options({ imageSize: 8 }));
    assert.deepEqual(small.imageShape, [8, 8, 3]);
  });

  test('a class folder is searched recursively', async () => {
    const root = join(dir, 'nested');
    writePng(join(root, 'cats', 'indoor', 'deep', 'c1.png'), 4, 4, 3, () => 10);
    writePng(join(root, 'cats', 'c2.png'), 4, 4, 3, () => 20);
    writePng(join(root, 'dogs', 'd1.png'), 4, 4, 3, () => 30);
    const dataset = await readFolderDataset(root, options({ imageSize: 4 }));
    assert.deepEqual(dataset.classes, ['cats', 'dogs']);
    assert.deepEqual([...dataset.train.labels], [0, 0, 1]);
  });

  test('only grey images give one channel; one colour image makes it three', async () => {
    const root = join(dir, 'grey');
    writePng(join(root, 'a', '1.png'), 6, 6, 1, (i) => i);
    writeFileSync(join(root, 'a', '2.jpg'), encodeBaselineJpeg(new Uint8Array(36).fill(200), 6, 6, 1));
    writePng(join(root, 'b', '3.png'), 6, 6, 1, (i) => 255 - i);
    const grey = await readFolderDataset(root, options({ imageSize: 6 }));
    assert.deepEqual(grey.imageShape, [6, 6, 1]);
    assert.deepEqual((await grey.train.readPixels([0])).subarray(0, 6), Uint8Array.from([0, 1, 2, 3, 4, 5]));
    writeFileSync(join(root, 'b', '4.jpg'), encodeJpeg(new Uint8Array(6 * 6 * 3).fill(90), 6, 6));
    const colour = await readFolderDataset(root, options({ imageSize: 6 }));
    assert.deepEqual(colour.imageShape, [6, 6, 3]);
  });

  test('train/ and test/ sub-trees are the training set and the official test split', async () => {
    const root = join(dir, 'split');
    const shapes = makeShapesDataset(40, 8, 5);
    const written = writeFolderDataset(root, shapes, { testFraction: 0.25 });
    const dataset = await readFolderDataset(root, options({ imageSize: 8 }));
    assert.deepEqual(dataset.classes, ['circle', 'cross', 'horizontal', 'vertical']);
    const testCount = written.isTest.filter(Boolean).length;
    assert.equal(dataset.test?.count, testCount);
    assert.equal(dataset.train.count, 40 - testCount);
    assert.ok(dataset.test?.sourceOf(0).includes(`${join(root, 'test')}`));
    const testPixels = await allPixels(dataset, 'test');
    const first = written.paths.indexOf(dataset.test.sourceOf(0));
    assert.deepEqual(testPixels.subarray(0, 192), shapes.pixels.subarray(first * 192, (first + 1) * 192));
  });

  test('val/ serves as the test split when there is no test/; a class missing from it is fine', async () => {
    const root = join(dir, 'val');
    writePng(join(root, 'train', 'a', '1.png'), 4, 4, 3, () => 1);
    writePng(join(root, 'train', 'b', '2.png'), 4, 4, 3, () => 2);
    writePng(join(root, 'val', 'b', '3.png'), 4, 4, 3, () => 3);
    const dataset = await readFolderDataset(root, options({ imageSize: 4 }));
    assert.deepEqual(dataset.classes, ['a', 'b']);
    assert.equal(dataset.test?.count, 1);
    assert.deepEqual([...(dataset.test?.labels ?? [])], [1]);
  });

  test('a test class unknown to training is an error naming it', async () => {
    const root = join(dir, 'unknown-test-class');
    writePng(join(root, 'train', 'a', '1.png'), 4, 4, 3, () => 1);
    writePng(join(root, 'train', 'b', '2.png'), 4, 4, 3, () => 2);
    writePng(join(root, 'test', 'zebra', '3.png'), 4, 4, 3, () => 3);
    await assert.rejects(readFolderDataset(root, options()), (e: Error) => e instanceof DatasetError && /'zebra'/.test(e.message));
  });
});

describe('readFolderDataset: hostile files', () => {
  test('non-images are ignored silently; undecodable images are skipped and named', async () => {
    const root = join(dir, 'hostile');
    writePng(join(root, 'a', 'good1.png'), 5, 5, 3, () => 50);
    writePng(join(root, 'b', 'good2.png'), 5, 5, 3, () => 60);
    const png = encodePngPixels(new Uint8Array(5 * 5 * 3).fill(70), 5, 5, 3);
    writeFileSync(join(root, 'a', 'truncated.png'), png.subarray(0, png.length - 20));
    writeFileSync(join(root, 'a', 'empty.jpg'), new Uint8Array(0));
    writeFileSync(join(root, 'b', 'notes-as-image.png'), 'these are my notes\n');
    writeFileSync(join(root, 'b', 'animation.gif'), Buffer.from('GIF89a\x05\x00\x05\x00'));
    writeFileSync(join(root, 'b', 'scan.tiff'), Buffer.from('II*\x00\x08\x00\x00\x00\x00\x00\x00\x00'));
    writeFileSync(join(root, 'a', '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
    writeFileSync(join(root, 'a', 'Thumbs.db'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    writeFileSync(join(root, 'b', 'readme.txt'), 'hello');
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, 'b', 'no-extension'), png); // a PNG by its magic bytes
    const opts = options({ imageSize: 5 });
    const dataset = await readFolderDataset(root, opts);
    assert.deepEqual(dataset.classes, ['a', 'b']);
    assert.deepEqual(dataset.train.count, 3);
    assert.ok(Array.from({ length: 3 }, (_, i) => dataset.train.sourceOf(i)).includes(join(root, 'b', 'no-extension')));
    const skipped = new Map(dataset.skipped.map((s) => [s.path.slice(root.length + 1), s.reason]));
    assert.deepEqual([...skipped.keys()].sort(), ['a/empty.jpg', 'a/truncated.png', 'b/animation.gif', 'b/notes-as-image.png', 'b/scan.tiff']);
    assert.match(skipped.get('a/empty.jpg') ?? '', /empty file/);
    assert.match(skipped.get('a/truncated.png') ?? '', /PNG/);
    assert.match(skipped.get('b/notes-as-image.png') ?? '', /not a supported image \(PNG, JPEG, GIF, BMP or WebP\)/);
    assert.match(skipped.get('b/animation.gif') ?? '', /truncated GIF/);
    assert.match(skipped.get('b/scan.tiff') ?? '', /TIFF images are not supported/);
    assert.equal(opts.warnings.length, 1);
    assert.match(opts.warnings[0], /Skipped 5 files/);
    assert.match(opts.warnings[0], /truncated\.png/);
  });
});

describe('readFolderDataset: errors the user can fix', () => {
  const rejectsWith = (path: string, pattern: RegExp) =>
    assert.rejects(readFolderDataset(path, options()), (e: Error) => e instanceof DatasetError && pattern.test(e.message));

  test('a missing path or a file', async () => {
    await rejectsWith(join(dir, 'does-not-exist'), /not found/);
    const file = join(dir, 'plain-file.txt');
    writeFileSync(file, 'x');
    await rejectsWith(file, /is a file, not a folder/);
  });

  test('no class folders (and images loose in the root)', async () => {
    const root = join(dir, 'loose');
    writePng(join(root, 'x.png'), 3, 3, 3, () => 0);
    await rejectsWith(root, /No class folders.*found 1 images directly/);
  });

  test('an empty class is named', async () => {
    const root = join(dir, 'empty-class');
    writePng(join(root, 'full', 'x.png'), 3, 3, 3, () => 0);
    mkdirSync(join(root, 'hollow', 'sub'), { recursive: true });
    writeFileSync(join(root, 'hollow', 'sub', 'notes.txt'), 'nothing');
    await rejectsWith(root, /'hollow'.*no PNG, JPEG, GIF, BMP or WebP images/);
  });

  test('a class whose only image is corrupt is named with the reason', async () => {
    const root = join(dir, 'corrupt-class');
    writePng(join(root, 'good', 'x.png'), 3, 3, 3, () => 0);
    mkdirSync(join(root, 'bad'));
    writeFileSync(join(root, 'bad', 'y.jpg'), new Uint8Array(0));
    await rejectsWith(root, /No readable images in class 'bad'.*empty file/);
  });

  test('a single class', async () => {
    const root = join(dir, 'single');
    writePng(join(root, 'only', 'x.png'), 3, 3, 3, () => 0);
    await rejectsWith(root, /Only one class \('only'\).*at least two/);
  });

  test('an image size out of range', async () => {
    await assert.rejects(readFolderDataset(join(dir, 'flat'), options({ imageSize: 0 })), /Image size/);
  });

  test('an aborted load stops with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readFolderDataset(join(dir, 'flat'), options({ signal: controller.signal })), { name: 'AbortError' });
  });
});

describe('readFolderDataset: streaming', () => {
  test('over the memory budget the dataset streams from disk, through worker threads, with the same pixels', async () => {
    const root = join(dir, 'stream');
    const shapes = makeShapesDataset(36, 10, 9);
    writeFolderDataset(root, shapes, { testFraction: 0.25 });
    writePng(join(root, 'train', 'circle', 'odd-size.png'), 23, 17, 3, (i) => (i * 5) % 256);
    const inMemory = await readFolderDataset(root, options({ imageSize: 16 }));
    const streamed = await readFolderDataset(root, options({ imageSize: 16, memoryBudgetBytes: 1000, decodeWorkers: 1 }));
    assert.equal(inMemory.streamed, false);
    assert.equal(streamed.streamed, true);
    assert.deepEqual(streamed.classes, inMemory.classes);
    assert.deepEqual([...streamed.train.labels], [...inMemory.train.labels]);
    assert.deepEqual(await allPixels(streamed), await allPixels(inMemory));
    assert.deepEqual(await allPixels(streamed, 'test'), await allPixels(inMemory, 'test'));
    // A subset reads the same examples from both.
    const picks = [5, 0, 17, 3];
    const a = streamed.train.subset(picks);
    const b = inMemory.train.subset(picks);
    assert.deepEqual([...a.labels], [...b.labels]);
    assert.equal(a.sourceOf(2), b.sourceOf(2));
    assert.deepEqual(await a.readPixels([0, 1, 2, 3]), await b.readPixels([0, 1, 2, 3]));
  });

  test('a streamed file that breaks after loading is replaced by another image of its class (never a blank one), reported once', async () => {
    const root = join(dir, 'stream-breaks');
    writePng(join(root, 'a', '1.png'), 4, 4, 3, () => 200);
    writePng(join(root, 'a', '3.png'), 4, 4, 3, () => 180);
    writePng(join(root, 'b', '2.png'), 4, 4, 3, () => 100);
    const opts = options({ imageSize: 4, memoryBudgetBytes: 10, decodeWorkers: 1 });
    const dataset = await readFolderDataset(root, opts);
    assert.deepEqual([...dataset.train.labels], [0, 0, 1]);
    writeFileSync(join(root, 'a', '1.png'), 'overwritten by something else');
    const pixels = await dataset.train.readPixels([0, 2]);
    assert.ok(pixels.subarray(0, 48).every((v) => v === 180), 'class a\'s other image stands in');
    assert.ok(pixels.subarray(48).every((v) => v === 100));
    await dataset.train.readPixels([0]);
    assert.deepEqual(dataset.skipped.map((s) => s.path), [join(root, 'a', '1.png')]);
    assert.equal(opts.warnings.filter((w) => w.includes('1.png')).length, 1);
    assert.match(opts.warnings.find((w) => w.includes('1.png')) ?? '', /another image of its class is used in its place/);

    // The dataset removed during training: the read fails with a clear reason instead of giving blank images.
    rmSync(root, { recursive: true, force: true });
    await assert.rejects(dataset.train.readPixels([1, 2]), /can no longer be read .*changed, moved or deleted during training/);
  });

  test('a hostile image in a class folder is skipped with its reason when the dataset loads, in memory or streamed', async () => {
    const root = join(dir, 'hostile-strip');
    writePng(join(root, 'a', '1.png'), 4, 4, 3, () => 200);
    writePng(join(root, 'b', '2.png'), 4, 4, 3, () => 100);
    writeFileSync(join(root, 'b', 'strip.png'), assemblePng({ width: 50_000_000, height: 1, bitDepth: 8, colorType: 0 }, deflateSync(Buffer.alloc(1000))));
    for (const memoryBudgetBytes of [1e9, 10]) {
      const opts = options({ imageSize: 4, memoryBudgetBytes, decodeWorkers: 1 });
      const dataset = await readFolderDataset(root, opts);
      assert.equal(dataset.streamed, memoryBudgetBytes === 10);
      assert.equal(dataset.train.count, 2);
      assert.deepEqual(dataset.skipped.map((s) => [s.path, /each side may be at most/.test(s.reason)]), [[join(root, 'b', 'strip.png'), true]]);
      assert.ok(opts.warnings.some((w) => w.includes('strip.png')));
    }
  });

  test('a large in-memory load decodes in worker threads with the same result as on one thread', async () => {
    const root = join(dir, 'many');
    writeFolderDataset(root, makeShapesDataset(160, 6, 11));
    let progress = 0;
    const threaded = await readFolderDataset(root, options({ imageSize: 6, decodeWorkers: 2, onProgress: (done, total) => {
      assert.equal(total, 160);
      progress = done;
    } }));
    const single = await readFolderDataset(root, options({ imageSize: 6, decodeWorkers: 0 }));
    assert.equal(progress, 160);
    assert.deepEqual(await allPixels(threaded), await allPixels(single));
  });
});
