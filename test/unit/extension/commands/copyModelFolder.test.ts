import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportFolderName, copyModelFolder } from '../../../../src/extension/commands/copyModelFolder';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let root: string;

before(() => {
  root = makeTempDir();
  mkdirSync(join(root, 'run', 'model'), { recursive: true });
  writeFileSync(join(root, 'run', 'model', 'model.json'), '{"format":"layers-model"}');
  writeFileSync(join(root, 'run', 'model', 'weights.bin'), Buffer.from([1, 2, 3]));
  mkdirSync(join(root, 'empty-run'));
  mkdirSync(join(root, 'out'));
});

after(() => removeTempDir(root));

describe('copyModelFolder', () => {
  test('copies the model folder under a name made from the run name, never overwriting', async () => {
    const first = await copyModelFolder(join(root, 'run'), 'cnn mnist/3', join(root, 'out'));
    assert.equal(first, join(root, 'out', 'cnn-mnist-3-model'));
    assert.deepEqual(readdirSync(first).sort(), ['model.json', 'weights.bin']);
    assert.deepEqual([...readFileSync(join(first, 'weights.bin'))], [1, 2, 3]);
    const second = await copyModelFolder(join(root, 'run'), 'cnn mnist/3', join(root, 'out'));
    assert.equal(second, join(root, 'out', 'cnn-mnist-3-model-2'));
  });

  test('a run without a saved model says so', async () => {
    await assert.rejects(copyModelFolder(join(root, 'empty-run'), 'x', join(root, 'out')), /no saved model yet/);
  });

  test('folder names keep only safe characters', () => {
    assert.equal(exportFolderName('../../etc'), 'etc-model');
    assert.equal(exportFolderName('   '), 'run-model');
  });
});
