// A runs folder of 1,000 runs (finished, failed, interrupted with a dead trainer, a few damaged) is
// listed whole by the CLI, newest first, with the damaged ones named. The time is reported, not asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist', 'cli.js');
const RUNS = 1000;
let root = '';
let runsDir = '';

function runRecord(i: number): Record<string, unknown> {
  const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const classes = Array.from({ length: 10 }, (_, c) => `class-${c}`);
  const status = i % 10 === 3 ? 'failed' : i % 10 === 7 ? 'running' : 'completed';
  return {
    schemaVersion: 1, id: `run-${i}`, name: `cnn-cifar-${i}`, status, createdAt: created, startedAt: created,
    updatedAt: created, ...(status === 'completed' ? { endedAt: created } : {}),
    // A trainer that died long ago: the run reads as interrupted.
    ...(status === 'running' ? { process: { pid: 999_999_000 + i, hostname: 'elsewhere' } } : {}),
    spec: {
      data: { path: '/data/cifar10', format: 'cifar10', valSplit: 0.1, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [32, 64, 64], denseUnits: 64, dropout: 0 } },
      training: { epochs: 10, batchSize: 64, learningRate: 0.001, optimizer: 'adam', momentum: 0.9, loss: 'crossentropy', labelSmoothing: 0, earlyStoppingPatience: 0, seed: i },
      augment: { flip: false, rotateDegrees: 0, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 },
    },
    dataset: {
      format: 'cifar10', root: '/data/cifar10', classes, imageShape: [32, 32, 3], trainCount: 45000, valCount: 5000, testCount: 10000,
      classCounts: { train: classes.map(() => 4500), val: classes.map(() => 500), test: classes.map(() => 1000) }, skipped: 0, streamed: false,
    },
    model: { kind: 'cnn', parameterCount: 122570 },
    backend: 'wasm (SIMD, Classifier Lab gradient kernels)',
    summary: { epochs: 10, lastEpoch: 10, bestEpoch: 8, bestValAcc: 0.5 + (i % 40) / 100, bestValLoss: 1.1, testAcc: 0.6, imagesPerSecond: 700, durationMs: 600_000 },
  };
}

before(() => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  root = makeTempDir();
  runsDir = join(root, 'runs');
  for (let i = 0; i < RUNS; i++) {
    const id = `20260101-${String(i).padStart(6, '0')}-cnn-${(i % 65536).toString(16).padStart(4, '0')}`;
    mkdirSync(join(runsDir, id), { recursive: true });
    const text = i % 250 === 11 ? '{"status": "compl' : JSON.stringify(runRecord(i), null, 2);
    writeFileSync(join(runsDir, id, 'run.json'), text);
  }
});

after(() => removeTempDir(root));

test(`the CLI lists ${RUNS} runs, newest first, naming the damaged ones`, (t) => {
  const started = performance.now();
  const json = spawnSync(process.execPath, [cli, 'runs', '--runs-dir', runsDir, '--json'], { encoding: 'utf8', timeout: 120_000 });
  const jsonMs = performance.now() - started;
  assert.equal(json.status, 0, json.stderr);
  const lines = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; id: string; status: string });
  const runs = lines.filter((l) => l.type === 'run');
  const damaged = lines.filter((l) => l.type === 'unreadableRun');
  assert.equal(runs.length, RUNS - 4);
  assert.equal(damaged.length, 4);
  assert.deepEqual(runs.map((r) => r.id), [...runs.map((r) => r.id)].sort().reverse(), 'newest first');
  assert.equal(runs.filter((r) => r.status === 'interrupted').length, 100, 'runs whose trainer is gone read as interrupted');

  const tableStarted = performance.now();
  const table = spawnSync(process.execPath, [cli, 'runs', '--runs-dir', runsDir], { encoding: 'utf8', timeout: 120_000 });
  const tableMs = performance.now() - tableStarted;
  assert.equal(table.status, 0);
  assert.equal(table.stdout.trim().split('\n').length, RUNS - 4 + 1, 'a header and one line per readable run');
  assert.equal(table.stderr.trim().split('\n').length, 4, 'one warning per damaged run');
  t.diagnostic(`listing ${RUNS} runs: ${Math.round(jsonMs)} ms with --json, ${Math.round(tableMs)} ms as a table (process start included)`);
});
