import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDatasetFolders } from '../../../../src/extension/newRun/findDatasetFolders';
import { encodePngPixels } from '../../../fixtures/imageFixtures';
import { encodeIdx } from '../../../fixtures/idxFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let root: string;
const png = encodePngPixels(new Uint8Array(4 * 4), 4, 4, 1);

function images(dir: string, count = 2): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `${i}.png`), png);
}

before(() => {
  root = makeTempDir();
  // data/shapes: class folders; data/digits: train/ + test/ split; data/idx: MNIST-style files.
  images(join(root, 'data', 'shapes', 'circle'));
  images(join(root, 'data', 'shapes', 'square'));
  images(join(root, 'data', 'digits', 'train', '0'));
  images(join(root, 'data', 'digits', 'train', '1'));
  images(join(root, 'data', 'digits', 'test', '0'));
  mkdirSync(join(root, 'data', 'idx'), { recursive: true });
  writeFileSync(join(root, 'data', 'idx', 'train-images-idx3-ubyte'), encodeIdx([2, 2, 2], new Uint8Array(8)));
  writeFileSync(join(root, 'data', 'idx', 'train-labels-idx1-ubyte'), encodeIdx([2], new Uint8Array([0, 1])));
  // Not datasets: source folders, a single class, dependencies, hidden folders.
  writeFileSync(join(mkdirp(join(root, 'src', 'core')), 'a.ts'), '');
  mkdirp(join(root, 'src', 'cli'));
  images(join(root, 'single', 'only-class'));
  images(join(root, 'node_modules', 'pkg', 'a'));
  images(join(root, 'node_modules', 'pkg', 'b'));
  images(join(root, '.cache', 'x', 'a'));
  images(join(root, '.cache', 'x', 'b'));
});

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

after(() => removeTempDir(root));

describe('findDatasetFolders', () => {
  test('finds class-folder, split and IDX datasets and nothing else', async () => {
    const found = await findDatasetFolders([root]);
    assert.deepEqual(found.map((p) => p.slice(root.length + 1)).sort(), ['data/digits', 'data/idx', 'data/shapes']);
  });

  test('respects the depth and result limits', async () => {
    assert.deepEqual(await findDatasetFolders([root], { maxDepth: 1 }), []);
    assert.equal((await findDatasetFolders([root], { maxResults: 1 })).length, 1);
  });

  test('a root that does not exist gives nothing', async () => {
    assert.deepEqual(await findDatasetFolders([join(root, 'missing')]), []);
  });
});
