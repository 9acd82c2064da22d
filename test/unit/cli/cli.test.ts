// Drives the built CLI (dist/cli.js) as a user or a script would, on a generated folder dataset.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeShapesDataset, writeFolderDataset, SHAPE_CLASSES } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist', 'cli.js');
let root: string;
let data: string;
let testImages: { path: string; label: string }[];

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

before(() => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  root = makeTempDir();
  data = join(root, 'shapes');
  const written = writeFolderDataset(data, makeShapesDataset(600, 32, 11), { testFraction: 0.2 });
  const dataset = makeShapesDataset(600, 32, 11);
  testImages = written.paths
    .map((path, i) => ({ path, label: SHAPE_CLASSES[dataset.labels[i]], isTest: written.isTest[i] }))
    .filter((image) => image.isTest)
    .slice(0, 12);
});

after(() => removeTempDir(root));

describe('classifier-lab CLI', () => {
  let runDir = '';

  test('train --json prints one epochEnd object per epoch, then runEnd with the test accuracy', () => {
    const result = run(['train', '--data', data, '--epochs', '6', '--batch-size', '32', '--json', '--name', 'shapes-cli']);
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const epochs = lines.filter((l) => l.type === 'epochEnd');
    assert.deepEqual(epochs.map((l) => l.epoch), [1, 2, 3, 4, 5, 6]);
    for (const line of epochs) {
      assert.deepEqual(Object.keys(line).sort(), ['acc', 'epoch', 'imagesPerSecond', 'loss', 'type', 'valAcc', 'valLoss']);
    }
    const end = lines.at(-1)!;
    assert.equal(end.type, 'runEnd');
    assert.equal(end.status, 'completed');
    const best = end.best as { epoch: number; valAcc: number };
    assert.ok(best.valAcc > 0.7, `best validation accuracy ${best.valAcc}`);
    assert.ok(typeof end.testAcc === 'number' && end.testAcc > 0.7, `test accuracy ${String(end.testAcc)}`);
    runDir = end.runDir as string;
    assert.ok(existsSync(join(runDir, 'run.json')));
    assert.ok(runDir.startsWith(join(root, '.classifier-lab', 'runs')), 'runs go to .classifier-lab/runs by default');
  });

  test('runs --json lists the run with its best accuracy', () => {
    const result = run(['runs', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const [listed] = jsonLines(result.stdout);
    assert.equal(listed.name, 'shapes-cli');
    assert.equal(listed.status, 'completed');
    assert.equal(typeof listed.bestValAcc, 'number');
  });

  test('eval --json reports accuracy and a confusion matrix on the test split', () => {
    const result = run(['eval', '--run', runDir, '--data', data, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const [evaluation] = jsonLines(result.stdout);
    assert.equal(evaluation.type, 'eval');
    assert.ok((evaluation.accuracy as number) > 0.7);
    const confusion = evaluation.confusion as number[][];
    assert.equal(confusion.length, 4);
    assert.equal(confusion.flat().reduce((a, b) => a + b, 0), 120);
  });

  test('classify --json gives the top classes of each image, mostly right', () => {
    const result = run(['classify', '--run', runDir, ...testImages.map((i) => i.path), '--top', '2', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    assert.equal(lines.length, testImages.length);
    let right = 0;
    lines.forEach((line, i) => {
      assert.equal(line.type, 'classification');
      assert.equal(line.image, testImages[i].path);
      const top = line.top as { label: string; probability: number }[];
      assert.equal(top.length, 2);
      assert.ok(top[0].probability >= top[1].probability);
      if (top[0].label === testImages[i].label) right += 1;
    });
    assert.ok(right >= 9, `${right} of ${testImages.length} right`);
  });

  test('classify names an unreadable image and keeps going', () => {
    const result = run(['classify', '--run', runDir, join(data, '..', 'missing.png'), testImages[0].path, '--json']);
    assert.equal(result.code, 1);
    const lines = jsonLines(result.stdout);
    assert.equal(lines[0].type, 'error');
    assert.match(lines[0].message as string, /missing\.png/);
    assert.equal(lines[1].type, 'classification');
  });

  test('without --json, training shows a summary table', () => {
    const result = run(['train', '--data', data, '--epochs', '1', '--limit', '64', '--runs-dir', 'other-runs']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /epoch +loss +acc +val loss +val acc +img\/s/);
    assert.match(result.stdout, /Run completed: best val acc/);
  });

  test('invalid arguments exit non-zero with one clear message and no run', () => {
    const cases: [string[], number, RegExp][] = [
      [['train', '--data', data, '--epochs', 'zero', '--runs-dir', 'bad'], 2, /--epochs needs a whole number/],
      [['train', '--data', data, '--model', 'mlp', '--runs-dir', 'bad'], 2, /--model must be one of cnn, rnn, attention, resnet/],
      [['train', '--data', data, '--val-split', '1.5', '--runs-dir', 'bad'], 2, /validation split/],
      [['train', '--data', data, '--augment', 'flip,blur', '--runs-dir', 'bad'], 2, /blur/],
      [['train', '--data', data, '--bogus', '--runs-dir', 'bad'], 2, /bogus/],
      [['train', '--data', join(root, 'nowhere'), '--runs-dir', 'bad'], 1, /nowhere/],
      [['frobnicate'], 2, /Unknown command/],
    ];
    for (const [args, code, message] of cases) {
      const result = run(args);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
    }
    assert.equal(existsSync(join(root, 'bad')), false, 'no run folder is created');
  });
});
