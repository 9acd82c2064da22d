// Symbolic links in a folder dataset: followed only while they stay inside their class (and the
// dataset); links to a parent, to another class, to system files or in a loop are skipped and named.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFolderDataset } from '../../../../src/core/data/folderScan';
import { readFolderDataset } from '../../../../src/core/data/folderReader';
import { encodePngPixels } from '../../../fixtures/imageFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir = '';
before(() => {
  dir = makeTempDir();
});
after(() => removeTempDir(dir));

function png(path: string, value: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, encodePngPixels(new Uint8Array(4 * 4 * 3).fill(value), 4, 4, 3));
}

describe('symbolic links in a folder dataset', () => {
  test('never lead out of the class (to its parent, another class, system files) or around a loop', async () => {
    const root = join(dir, 'links');
    png(join(root, 'a', '1.png'), 10);
    png(join(root, 'a', 'sub', '2.png'), 20);
    png(join(root, 'b', '3.png'), 30);
    png(join(root, 'b', '4.png'), 40);
    png(join(dir, 'outside', '5.png'), 50);
    symlinkSync('..', join(root, 'a', 'updir')); // the dataset root: all classes
    symlinkSync('.', join(root, 'a', 'self')); // a loop
    symlinkSync('..', join(root, 'a', 'sub', 'up')); // the class folder itself, from inside it (reached through a/again first)
    symlinkSync('sub', join(root, 'a', 'again')); // inside the class: followed, its images counted once
    symlinkSync('../b/3.png', join(root, 'a', 'borrowed.png')); // another class's image
    symlinkSync('/etc/passwd', join(root, 'a', 'passwd.png')); // a system file
    symlinkSync('a', join(root, 'c')); // a class folder that is another class
    symlinkSync(join(dir, 'outside'), join(root, 'd')); // a class folder outside the dataset
    const scan = await scanFolderDataset(root);
    assert.deepEqual(scan.train.map((c) => c.name), ['a', 'b']);
    assert.deepEqual(scan.train[0].files.map((f) => f.slice(root.length + 1)), ['a/1.png', 'a/again/2.png']);
    assert.deepEqual(scan.train[1].files.map((f) => f.slice(root.length + 1)), ['b/3.png', 'b/4.png']);
    const skipped = Object.fromEntries(scan.skipped.map((s) => [s.path.slice(root.length + 1), s.reason]));
    assert.deepEqual(Object.keys(skipped).sort(), ['a/again/up', 'a/borrowed.png', 'a/passwd.png', 'a/self', 'a/updir', 'c', 'd']);
    assert.match(skipped['a/updir'], /outside its class folder/);
    assert.match(skipped['a/passwd.png'], /to \/etc\/passwd, outside its class folder/);
    assert.match(skipped['a/borrowed.png'], /outside its class folder/);
    assert.match(skipped['a/self'], /a folder that contains it/);
    assert.match(skipped['a/again/up'], /a folder that contains it/);
    assert.match(skipped.c, /overlapping the class folder/);
    assert.match(skipped.d, /outside the dataset folder/);

    // Training sees the same: two classes, their own images only, each once, and a warning naming the links.
    const warnings: string[] = [];
    const dataset = await readFolderDataset(root, {
      imageSize: 4, memoryBudgetBytes: 1e9, decodeWorkers: 0, onProgress: () => undefined, onWarning: (w) => warnings.push(w),
    });
    assert.deepEqual(dataset.classes, ['a', 'b']);
    assert.deepEqual([...dataset.train.labels], [0, 0, 1, 1]);
    const pixels = await dataset.train.readPixels([0, 1, 2, 3]);
    assert.deepEqual([0, 1, 2, 3].map((i) => pixels[i * 48]), [10, 20, 30, 40]);
    assert.ok(warnings.some((w) => /Skipped 7 files/.test(w)), warnings.join('\n'));
  });

  test('links inside the dataset that stay in their class are followed as before', async () => {
    const root = join(dir, 'kept');
    png(join(root, 'a', 'x', '1.png'), 1);
    png(join(root, 'b', '2.png'), 2);
    symlinkSync('x/1.png', join(root, 'a', 'alias.png'));
    const scan = await scanFolderDataset(root);
    assert.deepEqual(scan.train[0].files.map((f) => f.slice(root.length + 1)), ['a/alias.png', 'a/x/1.png']);
    assert.deepEqual(scan.skipped, []);
  });
});
