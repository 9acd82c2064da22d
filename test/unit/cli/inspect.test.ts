// The `inspect` command's contract, driven through the built CLI as a script would: one JSON line per
// finding, a closing inspectEnd line, the readable summary, exit codes, and nothing changed on disk.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend } from '../../../src/core/backend/selectBackend';
import { noAugmentation } from '../../../src/core/data/augment';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import { runTraining } from '../../../src/core/runTraining';
import { writePlantedDataset, type PlantedDataset } from '../../fixtures/plantedDataset';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { snapshotTree } from '../../fixtures/treeSnapshot';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist', 'cli.js');
const KINDS = ['unreadable', 'duplicate', 'nearDuplicate', 'crossClassDuplicate', 'trainTestLeak', 'imbalance', 'odd', 'likelyMislabelled'];

let root: string;
let planted: PlantedDataset;
let runDir: string;

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface FindingLine { type: 'finding'; kind: string; files: string[]; message: string }
interface EndLine { type: 'inspectEnd'; classes: { name: string; train: number; test: number }[]; findings: number; seconds: number }

function parse(stdout: string): { findings: FindingLine[]; end: EndLine } {
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const end = lines.pop() as unknown as EndLine;
  return { findings: lines as unknown as FindingLine[], end };
}

const filesOf = (findings: FindingLine[], kind: string): string[][] =>
  findings.filter((f) => f.kind === kind).map((f) => [...f.files].sort()).sort();

before(async () => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  root = makeTempDir();
  planted = writePlantedDataset(join(root, 'planted'));
  await initBackend('wasm');
  const outcome = await runTraining({
    spec: {
      data: { path: planted.root, format: 'folder', valSplit: 0.2, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [16, 32, 32], denseUnits: 32, dropout: 0 } },
      training: { ...defaultTrainingSpec(), epochs: 8, batchSize: 32, learningRate: 0.003, seed: 3 },
      augment: noAugmentation(),
    },
    runsDir: join(root, 'runs'), backend: 'wasm', name: 'planted',
  });
  assert.equal(outcome.status, 'completed', outcome.error);
  runDir = outcome.runDir;
});

after(() => removeTempDir(root));

describe('classifier-lab inspect', () => {
  test('--json prints one finding per line with exactly type, kind, files and message, then inspectEnd', () => {
    const result = run(['inspect', '--data', planted.root, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { findings, end } = parse(result.stdout);
    for (const finding of findings) {
      assert.deepEqual(Object.keys(finding), ['type', 'kind', 'files', 'message']);
      assert.equal(finding.type, 'finding');
      assert.ok(KINDS.includes(finding.kind), finding.kind);
      assert.ok(finding.files.length > 0 && finding.files.every((f) => typeof f === 'string'));
      assert.equal(typeof finding.message, 'string');
    }
    assert.deepEqual(Object.keys(end), ['type', 'classes', 'findings', 'seconds']);
    assert.equal(end.type, 'inspectEnd');
    assert.equal(end.findings, findings.length);
    assert.ok(end.seconds > 0 && end.seconds < 120);
    assert.deepEqual(end.classes, planted.classes.map((name) => ({ name, ...planted.counts[name] })));
  });

  test('--json names every planted problem', () => {
    const { findings } = parse(run(['inspect', '--data', planted.root, '--json']).stdout);
    assert.deepEqual(filesOf(findings, 'unreadable'), [[planted.empty], [planted.truncated]].sort());
    assert.deepEqual(filesOf(findings, 'duplicate'), [[...planted.duplicate].sort()]);
    assert.deepEqual(filesOf(findings, 'nearDuplicate'), planted.nearDuplicates.map((pair) => [...pair].sort()).sort());
    assert.deepEqual(filesOf(findings, 'crossClassDuplicate'), [[...planted.crossClass.exact].sort(), [...planted.crossClass.near].sort()].sort());
    assert.deepEqual(filesOf(findings, 'trainTestLeak'), [[...planted.leak.exact].sort(), [...planted.leak.near].sort()].sort());
    assert.deepEqual(filesOf(findings, 'imbalance'), [[join(planted.root, 'train', planted.imbalanced)]]);
    assert.deepEqual(filesOf(findings, 'odd'),
      [[planted.huge], [planted.outsideClass], [planted.strayFolder], [planted.tiny], [planted.wrongExtension]].sort());
    assert.deepEqual(filesOf(findings, 'likelyMislabelled'), [], 'no mislabelling check without --run');
  });

  test('--run adds the likely mislabelled images, the swapped ones among them, and keeps the other findings', () => {
    const result = run(['inspect', '--data', planted.root, '--run', runDir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { findings, end } = parse(result.stdout);
    const mislabelled = findings.filter((f) => f.kind === 'likelyMislabelled').map((f) => f.files[0]);
    for (const { file } of planted.swapped) assert.ok(mislabelled.includes(file), `${file} is listed`);
    const without = parse(run(['inspect', '--data', planted.root, '--json']).stdout).findings;
    assert.deepEqual(findings.filter((f) => f.kind !== 'likelyMislabelled'), without);
    assert.equal(end.findings, findings.length);
  });

  test('without --json prints the class table and the findings by kind, and says nothing was changed', () => {
    const result = run(['inspect', '--data', planted.root, '--run', runDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Image folder dataset .*: 4 classes, \d+ training and \d+ test images, 2 unreadable$/m);
    assert.match(result.stdout, /^class +train +test$/m);
    assert.match(result.stdout, /^vertical +61 +30$/m);
    assert.match(result.stdout, /^Train\/test leaks \(the same image in both splits\) \(2\)$/m);
    assert.match(result.stdout, /^Likely mislabelled \(the model contradicts the label\) \(\d+\)$/m);
    assert.match(result.stdout, /Run "planted" \(best epoch \d+\): the model agrees with [\d.]+% of 790 labels/);
    assert.match(result.stdout, /Nothing was changed\.$/m);
  });

  test('changes nothing in the dataset or the run', () => {
    const before_ = snapshotTree(root);
    assert.equal(run(['inspect', '--data', planted.root, '--run', runDir, '--json']).code, 0);
    assert.equal(run(['inspect', '--data', planted.root]).code, 0);
    assert.deepEqual(snapshotTree(root), before_);
  });

  test('exits 2 for bad arguments and 1 for data it cannot read, with one clear message', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const cases: [string[], number, RegExp][] = [
      [['inspect'], 2, /inspect needs --data PATH/],
      [['inspect', '--data', planted.root, '--bogus'], 2, /bogus/],
      [['inspect', '--data', planted.root, '--format', 'tiff'], 2, /--format must be one of auto, folder/],
      [['inspect', '--data', planted.root, '--cifar100-labels', 'both'], 2, /fine or coarse/],
      [['inspect', '--data', join(root, 'nowhere')], 1, /nowhere/],
      [['inspect', '--data', empty], 1, /Could not tell the dataset format/],
      [['inspect', '--data', planted.root, '--format', 'cifar10'], 1, /CIFAR-10/],
      [['inspect', '--data', planted.root, '--run', join(root, 'runs', 'no-such-run')], 1, /no-such-run/],
    ];
    for (const [args, code, message] of cases) {
      const result = run(args);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
      assert.equal(result.stdout, '', 'nothing on stdout');
    }
  });
});
