// The decoded-dataset cache: a second load of a folder decodes nothing and gives the same pixels;
// files added, changed or removed are picked up on their own; entries beyond the size cap are evicted
// least recently used first; a damaged entry is ignored; clearing removes everything.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImageFiles } from '../../../../src/core/data/decodeImageFiles';
import { clearDecodedCache, decodeThroughCache, cacheEntries, type DecodedCacheOptions } from '../../../../src/core/data/decodedCache';
import { readFolderDataset } from '../../../../src/core/data/folderReader';
import type { ReaderOptions } from '../../../../src/core/data/readerOptions';
import type { ImageShape } from '../../../../src/core/runSpec';
import { encodePng } from '../../../fixtures/imageFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

const SHAPE: ImageShape = [8, 8, 3];

function png(value: number): Buffer {
  return encodePng({ width: 12, height: 10, colorType: 2, bitDepth: 8, samples: new Array<number>(12 * 10 * 3).fill(value) });
}

function makeFolder(root: string, count: number): string[] {
  const paths: string[] = [];
  for (const label of ['a', 'b']) {
    mkdirSync(join(root, label), { recursive: true });
    for (let i = 0; i < count; i++) {
      const path = join(root, label, `${i}.png`);
      writeFileSync(path, png(label === 'a' ? 10 + i : 200 - i));
      paths.push(path);
    }
  }
  return paths;
}

/** decodeImageFiles, counting the files it is asked for. */
function countingDecoder(): { decode: (paths: readonly string[]) => ReturnType<typeof decodeImageFiles>; files: string[] } {
  const files: string[] = [];
  return { files, decode: (paths) => { files.push(...paths); return decodeImageFiles(paths, SHAPE); } };
}

describe('decoded-dataset cache', () => {
  let dir: string;
  before(() => { dir = makeTempDir(); });
  after(() => removeTempDir(dir));

  test('a second load decodes nothing; added, changed, removed and broken files are handled incrementally', async () => {
    const root = join(dir, 'photos');
    const paths = makeFolder(root, 5);
    writeFileSync(join(root, 'a', 'broken.png'), 'not an image');
    paths.push(join(root, 'a', 'broken.png'));
    const cache: DecodedCacheOptions = { dir: join(dir, 'cache-1') };
    const reference = await decodeImageFiles(paths, SHAPE);

    const first = countingDecoder();
    const one = await decodeThroughCache(cache, root, paths, SHAPE, first.decode);
    assert.equal(first.files.length, paths.length);
    assert.deepEqual(one.pixels, reference.pixels);
    assert.deepEqual(one.failures, reference.failures);

    const second = countingDecoder();
    const two = await decodeThroughCache(cache, root, paths, SHAPE, second.decode);
    assert.deepEqual(second.files, [], 'nothing decoded the second time');
    assert.deepEqual(two.pixels, reference.pixels);
    assert.deepEqual(two.failures.map((f) => [f.index, f.reason]), reference.failures.map((f) => [f.index, f.reason]), 'the broken file is remembered as broken');
    assert.deepEqual(two.stats, { reused: paths.length, decoded: 0 });

    // Change one file (same size: a different colour, a later modification time), add one, remove one.
    writeFileSync(paths[1], png(99));
    const later = new Date(Date.now() + 5000);
    utimesSync(paths[1], later, later);
    const added = join(root, 'b', 'new.png');
    writeFileSync(added, png(123));
    const now = [...paths.filter((p) => p !== paths[3]), added];
    const third = countingDecoder();
    const three = await decodeThroughCache(cache, root, now, SHAPE, third.decode);
    assert.deepEqual(third.files.sort(), [paths[1], added].sort(), 'only the changed and the new file are decoded');
    assert.deepEqual(three.pixels, (await decodeImageFiles(now, SHAPE)).pixels);
  });

  test('readFolderDataset through the cache gives the pixels of a load without it', async () => {
    const root = join(dir, 'dataset');
    makeFolder(root, 6);
    const options = (cacheDir?: string): ReaderOptions => ({
      imageSize: 8, memoryBudgetBytes: 1 << 30, decodeWorkers: 0, onProgress: () => undefined, onWarning: () => undefined,
      ...(cacheDir ? { decodedCache: { dir: cacheDir } } : {}),
    });
    const plain = await readFolderDataset(root, options());
    const all = (d: typeof plain) => d.train.readPixels(Array.from({ length: d.train.count }, (_, i) => i));
    const cacheDir = join(dir, 'cache-2');
    const cold = await readFolderDataset(root, options(cacheDir));
    const warm = await readFolderDataset(root, options(cacheDir));
    assert.deepEqual(await all(cold), await all(plain));
    assert.deepEqual(await all(warm), await all(plain));
    assert.equal((await cacheEntries(cacheDir)).length, 1);
  });

  test('entries beyond the cap are evicted least recently used first; a damaged entry is rewritten; clearing empties it', async () => {
    const cacheDir = join(dir, 'cache-3');
    const roots = ['x', 'y', 'z'].map((name) => join(dir, name));
    const folders = roots.map((root) => makeFolder(root, 10));
    // Each entry holds 20 inputs of 8x8x3 (3,840 bytes) and its index of 20 paths (about 5 KB each): a cap of 12 KB keeps two.
    const cache: DecodedCacheOptions = { dir: cacheDir, capBytes: 12_000 };
    await decodeThroughCache(cache, roots[0], folders[0], SHAPE, countingDecoder().decode);
    await new Promise((done) => setTimeout(done, 20));
    await decodeThroughCache(cache, roots[1], folders[1], SHAPE, countingDecoder().decode);
    await new Promise((done) => setTimeout(done, 20));
    // Using x again makes y the least recently used.
    await decodeThroughCache(cache, roots[0], folders[0], SHAPE, countingDecoder().decode);
    await new Promise((done) => setTimeout(done, 20));
    await decodeThroughCache(cache, roots[2], folders[2], SHAPE, countingDecoder().decode);
    const y = countingDecoder();
    const x = countingDecoder();
    await decodeThroughCache(cache, roots[0], folders[0], SHAPE, x.decode);
    assert.equal(x.files.length, 0, 'x was kept');
    await decodeThroughCache(cache, roots[1], folders[1], SHAPE, y.decode);
    assert.equal(y.files.length, 20, 'y was evicted');

    // A damaged pixels file is not trusted.
    const entry = (await cacheEntries(cacheDir))[0].dir;
    writeFileSync(join(entry, 'pixels.bin'), 'short');
    const again = countingDecoder();
    const result = await decodeThroughCache(cache, roots[1], folders[1], SHAPE, again.decode);
    assert.equal(again.files.length, 20);
    assert.deepEqual(result.pixels, (await decodeImageFiles(folders[1], SHAPE)).pixels);

    assert.ok(await clearDecodedCache(cacheDir) > 0);
    assert.deepEqual(readdirSync(cacheDir), []);
    rmSync(cacheDir, { recursive: true });
    assert.equal(await clearDecodedCache(cacheDir), 0, 'clearing a cache that does not exist is fine');
  });
});
