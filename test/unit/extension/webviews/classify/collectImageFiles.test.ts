// What "Classify Image" classifies for a selection: image files as picked, folders searched for
// images (sorted, hidden folders skipped), non-images reported, huge folders cut at a limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectImageFiles } from '../../../../../src/extension/webviews/classify/collectImageFiles';
import { makeTempDir, removeTempDir } from '../../../../fixtures/tempDir';

let dir: string;
before(() => {
  dir = makeTempDir();
  for (const file of ['b/2.png', 'b/10.JPG', 'b/sub/x.webp', 'b/.hidden/y.png', 'b/node_modules/z.png', 'b/notes.txt', 'a.gif', 'c.bmp', 'readme.md']) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), 'x');
  }
});
after(() => removeTempDir(dir));

describe('collectImageFiles', () => {
  test('one image file: itself, titled by its name', async () => {
    const collected = await collectImageFiles([join(dir, 'a.gif')]);
    assert.deepEqual(collected.files, [{ path: join(dir, 'a.gif'), label: 'a.gif' }]);
    assert.equal(collected.title, 'a.gif');
  });

  test('a folder: its images recursively, labels relative to it, hidden and dependency folders skipped', async () => {
    const collected = await collectImageFiles([join(dir, 'b')]);
    assert.deepEqual(collected.files.map((f) => f.label), ['10.JPG', '2.png', join('sub', 'x.webp')]);
    assert.equal(collected.title, 'b (3 images)');
    assert.equal(collected.truncated, false);
  });

  test('several picks: files and folders together, non-images named, a limit cuts the rest', async () => {
    const collected = await collectImageFiles([join(dir, 'c.bmp'), join(dir, 'b'), join(dir, 'readme.md')]);
    assert.deepEqual(collected.files.map((f) => f.label), ['c.bmp', join('b', '10.JPG'), join('b', '2.png'), join('b', 'sub', 'x.webp')]);
    assert.deepEqual(collected.notImages, [join(dir, 'readme.md')]);
    assert.equal(collected.title, '4 images');
    const limited = await collectImageFiles([join(dir, 'b')], 2);
    assert.equal(limited.files.length, 2);
    assert.equal(limited.truncated, true);
  });
});
