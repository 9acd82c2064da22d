// Where Move to Class… puts an image: the same split and sub-folders under the other class, a free name
// when taken, and nothing for a path that is not in a class folder.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePath, moveTarget } from '../../../../../src/extension/webviews/dataset/moveToClass';

const root = '/data/pets';

describe('moveTarget', () => {
  test('keeps the split: train/cat/a.png -> train/dog/a.png, test/cat/a.png -> test/dog/a.png', () => {
    assert.equal(moveTarget(root, { source: '/data/pets/train/cat/a.png', className: 'cat', split: 'train' }, 'dog'), '/data/pets/train/dog/a.png');
    assert.equal(moveTarget(root, { source: '/data/pets/test/cat/a.png', className: 'cat', split: 'test' }, 'dog'), '/data/pets/test/dog/a.png');
  });

  test('a dataset without splits: cat/a.png -> dog/a.png; sub-folders of the class folder stay', () => {
    assert.equal(moveTarget(root, { source: '/data/pets/cat/a.png', className: 'cat', split: 'train' }, 'dog'), '/data/pets/dog/a.png');
    assert.equal(moveTarget(root, { source: '/data/pets/train/cat/2024/a.png', className: 'cat', split: 'train' }, 'dog'), '/data/pets/train/dog/2024/a.png');
  });

  test('a class named like a split folder moves within its split', () => {
    assert.equal(moveTarget(root, { source: '/data/pets/train/train/a.png', className: 'train', split: 'train' }, 'dog'), '/data/pets/train/dog/a.png');
  });

  test('nothing for an image outside a class folder of its class', () => {
    assert.equal(moveTarget(root, { source: '/data/pets/train/a.png', className: 'cat', split: 'train' }, 'dog'), undefined);
    assert.equal(moveTarget(root, { source: '/elsewhere/cat/a.png', className: 'cat', split: 'train' }, 'dog'), undefined);
  });
});

describe('freePath', () => {
  test('the path itself when free, else the first "name (n).ext" that is', async () => {
    const taken = new Set(['/d/a.png', '/d/a (2).png']);
    const exists = async (path: string) => taken.has(path);
    assert.equal(await freePath('/d/b.png', exists), '/d/b.png');
    assert.equal(await freePath('/d/a.png', exists), '/d/a (3).png');
    assert.equal(await freePath('/d/noext', async (p) => p === '/d/noext'), '/d/noext (2)');
  });
});
