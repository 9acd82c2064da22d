// The CLI's recipe tools as a user runs them (dist/cli.js): presets, saved presets, recipe flags, lr-find.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist', 'cli.js');
let root = '';
let data = '';

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function record(stdout: string): RunRecord {
  const end = jsonLines(stdout).at(-1)!;
  assert.equal(end.type, 'runEnd');
  return JSON.parse(readFileSync(join(end.runDir as string, 'run.json'), 'utf8')) as RunRecord;
}

before(() => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  root = makeTempDir();
  data = join(root, 'shapes');
  writeFolderDataset(data, makeShapesDataset(240, 32, 4), { testFraction: 0.2 });
});

after(() => removeTempDir(root));

describe('classifier-lab recipe flags and presets', () => {
  test('the defaults are unchanged: a plain train command stores exactly the old training settings', () => {
    const result = run(['train', '--data', data, '--epochs', '1', '--limit', '32', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const spec = record(result.stdout).spec;
    assert.deepEqual(spec.training, { ...defaultTrainingSpec(), epochs: 1 });
    assert.equal(spec.model.kind, 'cnn');
    assert.equal(spec.data.valSplit, 0.1);
  });

  test('--preset cifar10-fast gives the recipe; flags given with it override its values', () => {
    const result = run(['train', '--data', data, '--preset', 'cifar10-fast', '--epochs', '1', '--limit', '64', '--learning-rate', '0.05', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const spec = record(result.stdout).spec;
    assert.equal(spec.model.kind, 'resnet');
    assert.equal(spec.training.epochs, 1);
    assert.equal(spec.training.learningRate, 0.05);
    assert.equal(spec.training.optimizer, 'adam');
    assert.equal(spec.training.schedule?.kind, 'onecycle');
    assert.equal(spec.training.labelSmoothing, 0.2);
    assert.ok((spec.training.weightDecay ?? 0) > 0);
    assert.equal(spec.training.testTimeAugmentation, 'flip');
    assert.equal(spec.augment.flip, true);
    assert.ok(spec.augment.cropPadding > 0);
  });

  test('--save-preset without --data only saves; --preset then uses the saved settings; presets lists both kinds', () => {
    const runsDir = join(root, '.classifier-lab', 'runs');
    const runsBefore = existsSync(runsDir) ? readdirSync(runsDir).length : 0;
    const saved = run(['train', '--preset', 'cifar10-fast', '--epochs', '1', '--schedule', 'cosine', '--width', '8', '--blocks', '1,1', '--limit', '48', '--save-preset', 'small-resnet']);
    assert.equal(saved.code, 0, saved.stderr);
    const file = join(root, '.classifier-lab', 'presets', 'small-resnet.json');
    assert.match(saved.stdout, /Saved preset "small-resnet"/);
    assert.ok(existsSync(file));
    assert.equal(existsSync(runsDir) ? readdirSync(runsDir).length : 0, runsBefore, 'no run trained');

    const trained = run(['train', '--data', data, '--preset', 'small-resnet', '--json']);
    assert.equal(trained.code, 0, trained.stderr);
    const spec = record(trained.stdout).spec;
    assert.equal(spec.training.epochs, 1);
    assert.equal(spec.training.schedule?.kind, 'cosine');
    assert.equal(spec.data.limit, 48);
    assert.deepEqual(spec.model, { kind: 'resnet', options: { stemWidth: 8, widths: [16, 32], blocks: [1, 1], headScale: 0.125, bnMomentum: 0.9 } });

    const listed = run(['presets', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const presets = jsonLines(listed.stdout);
    assert.deepEqual(presets.map((p) => [p.name, p.source === 'built-in']), [['cifar10-fast', true], ['cnn-baseline', true], ['small-resnet', false]]);
    const fast = presets[0] as { expected: { accuracy: number; minutes: number } };
    assert.ok(fast.expected.accuracy > 0 && fast.expected.minutes > 0, 'the recipe says what to expect');
  });

  test('lr-find prints the curve and a suggested rate', () => {
    const result = run(['lr-find', '--data', data, '--steps', '40', '--min-lr', '1e-5', '--max-lr', '1', '--batch-size', '16', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const points = lines.filter((l) => l.type === 'lrPoint');
    assert.ok(points.length >= 10);
    assert.equal(points[0].rate, 1e-5);
    assert.ok(points.every((p, i) => i === 0 || (p.rate as number) > (points[i - 1].rate as number)));
    const end = lines.at(-1)!;
    assert.equal(end.type, 'lrFindEnd');
    assert.equal(end.steps, points.length);
    assert.ok(end.suggestedRate === null || (typeof end.suggestedRate === 'number' && end.suggestedRate >= 1e-5 && end.suggestedRate <= 1));
    assert.equal(existsSync(join(root, '.classifier-lab', 'runs', 'lr-find')), false);
  });

  test('contradictory or unknown recipe settings exit 2 with one clear message and no run', () => {
    const cases: [string[], RegExp][] = [
      [['--preset', 'nope'], /No preset named "nope".*cifar10-fast, cnn-baseline/],
      [['--width', '8'], /--width and --blocks shape the resnet model: add --model resnet/],
      [['--model', 'resnet', '--blocks', '1,x'], /--blocks needs a comma-separated list of whole numbers/],
      [['--model', 'resnet', '--width', '0'], /--width must be from 1 to 512/],
      [['--lr-gamma', '0.5'], /--lr-milestones and --lr-gamma shape the step schedule/],
      [['--schedule', 'linear'], /--schedule must be one of constant, step, cosine, onecycle/],
      [['--schedule', 'onecycle', '--warmup', '1.5'], /warm-up must be a fraction/],
      [['--freeze-epochs', '1'], /needs weights to start from: add --init-from/],
      [['--init-from', 'some-run', '--model', 'resnet'], /--init-from trains the model of that run/],
      [['--nesterov'], /Nesterov momentum needs the sgd optimizer/],
      [['--preset', 'cifar10-fast', '--nesterov'], /Nesterov momentum needs the sgd optimizer/],
      [['--optimizer', 'rmsprop', '--weight-decay', '0.01'], /Weight decay works with the adam and sgd optimizers/],
      [['--tta', 'crop'], /--tta must be one of none, flip/],
      [['--save-preset', 'cifar10-fast'], /built-in preset/],
      [['--save-preset', '../escape'], /cannot name a preset/],
    ];
    for (const [flags, message] of cases) {
      const result = run(['train', '--data', data, '--runs-dir', 'bad', ...flags]);
      assert.equal(result.code, 2, `${flags.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    assert.equal(existsSync(join(root, 'bad')), false);
  });
});
