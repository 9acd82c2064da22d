// The search methods: grid covers the grid, random is seeded and stays in range (log-uniform when log),
// halving keeps the best fraction of each rung and trains it longer.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { drawFromRange, gridPoint, gridSize, gridValues, randomPoint } from '../../../../src/core/sweeps/searchSpace';
import { halvingRungs } from '../../../../src/core/sweeps/halvingRungs';
import { planNextTrial } from '../../../../src/core/sweeps/planNextTrial';
import type { TrialRecord } from '../../../../src/core/sweeps/sweepRecord';
import type { SweepSpec } from '../../../../src/core/sweeps/sweepSpec';

function spec(overrides: Partial<SweepSpec>): SweepSpec {
  return { name: 's', base: { data: '/d' }, method: 'random', metric: 'valAcc', seed: 1, space: {}, ...overrides };
}

/** Plans trials until the method says done, finishing each at once with `value(params)`. */
function runAll(s: SweepSpec, baseEpochs: number, value: (params: TrialRecord['params'], epochs: number) => number): TrialRecord[] {
  const trials: TrialRecord[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const next = planNextTrial(s, baseEpochs, trials);
    if (next.kind === 'done') return trials;
    assert.equal(next.kind, 'start', 'with every trial finished the planner never waits');
    if (next.kind !== 'start') break;
    const { params, epochs, rung, promotedFrom } = next.trial;
    trials.push({ trial: trials.length + 1, params, epochs, rung, promotedFrom, status: 'completed', value: value(params, epochs) });
  }
  throw new Error('the planner never finished');
}

describe('grid', () => {
  test('covers every combination exactly once, the last parameter varying fastest', () => {
    const s = spec({ method: 'grid', space: { learningRate: [0.1, 0.01], batchSize: [16, 32, 64], optimizer: ['adam', 'sgd'] } });
    assert.equal(gridSize(s.space), 12);
    const trials = runAll(s, 3, () => 0.5);
    assert.equal(trials.length, 12);
    const seen = new Set(trials.map((t) => JSON.stringify(t.params)));
    assert.equal(seen.size, 12);
    assert.deepEqual(trials[0].params, { learningRate: 0.1, batchSize: 16, optimizer: 'adam' });
    assert.deepEqual(trials[1].params, { learningRate: 0.1, batchSize: 16, optimizer: 'sgd' });
    assert.deepEqual(trials[11].params, { learningRate: 0.01, batchSize: 64, optimizer: 'sgd' });
    assert.ok(trials.every((t) => t.epochs === 3));
  });

  test('trials caps the grid; ranges take steps (evenly, or evenly in log) or every whole number', () => {
    assert.equal(runAll(spec({ method: 'grid', trials: 5, space: { batchSize: [8, 16, 32, 64, 128, 256] } }), 2, () => 0).length, 5);
    assert.deepEqual(gridValues({ min: 0.0001, max: 0.1, log: true, steps: 4 })!.map((v) => Number((v as number).toPrecision(6))), [0.0001, 0.001, 0.01, 0.1]);
    assert.deepEqual(gridValues({ min: 0, max: 0.5, steps: 3 }), [0, 0.25, 0.5]);
    assert.deepEqual(gridValues({ min: 1, max: 4, integer: true }), [1, 2, 3, 4]);
    assert.deepEqual(gridValues({ min: 16, max: 128, integer: true, log: true, steps: 4 }), [16, 32, 64, 128]);
    assert.equal(gridValues({ min: 0, max: 1 }), undefined);
    assert.deepEqual(gridPoint({ a: [1, 2], b: { min: 0, max: 1, steps: 2 } }, 3), { a: 2, b: 1 });
  });
});

describe('random', () => {
  const space = {
    learningRate: { min: 1e-5, max: 1e-1, log: true },
    dropout: { min: 0, max: 0.5 },
    batchSize: { min: 8, max: 256, integer: true, log: true },
    layers: { min: 1, max: 3, integer: true },
    optimizer: ['adam', 'sgd', 'rmsprop'],
  };

  test('the same seed gives the same trials; another seed other trials; trials never repeat by chance', () => {
    const a = Array.from({ length: 12 }, (_, i) => randomPoint(space, 7, i));
    const b = Array.from({ length: 12 }, (_, i) => randomPoint(space, 7, i));
    const c = Array.from({ length: 12 }, (_, i) => randomPoint(space, 8, i));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(new Set(a.map((p) => p.learningRate)).size, 12);
  });

  test('draws stay in their ranges, whole where asked, and every list value comes up', () => {
    const draws = Array.from({ length: 2000 }, (_, i) => randomPoint(space, 3, i));
    for (const d of draws) {
      assert.ok((d.learningRate as number) >= 1e-5 && (d.learningRate as number) <= 1e-1);
      assert.ok((d.dropout as number) >= 0 && (d.dropout as number) <= 0.5);
      assert.ok(Number.isInteger(d.batchSize) && (d.batchSize as number) >= 8 && (d.batchSize as number) <= 256);
      assert.ok([1, 2, 3].includes(d.layers as number));
    }
    assert.deepEqual(new Set(draws.map((d) => d.optimizer)), new Set(['adam', 'sgd', 'rmsprop']));
    assert.deepEqual(new Set(draws.map((d) => d.layers)), new Set([1, 2, 3]));
  });

  test('log ranges are uniform in log space: each decade gets about a quarter of 1e-5..1e-1', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => randomPoint(space, 5, i).learningRate as number);
    for (let decade = -5; decade < -1; decade++) {
      const share = draws.filter((v) => v >= 10 ** decade && v < 10 ** (decade + 1)).length / draws.length;
      assert.ok(Math.abs(share - 0.25) < 0.03, `decade 1e${decade}: ${share}`);
    }
    // Linear ranges are uniform: about half the dropouts fall below the middle.
    const dropouts = Array.from({ length: 4000 }, (_, i) => randomPoint(space, 5, i).dropout as number);
    assert.ok(Math.abs(dropouts.filter((v) => v < 0.25).length / 4000 - 0.5) < 0.03);
  });

  test('log-uniform whole numbers favour small values as log-uniform reals do', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => drawFromRange({ min: 8, max: 255, integer: true, log: true }, i / 4000));
    const below32 = draws.filter((v) => v < 32).length / draws.length;
    // [8, 32) is 2 of the 5 octaves of [8, 256).
    assert.ok(Math.abs(below32 - 0.4) < 0.01, `share below 32: ${below32}`);
  });

  test('trials sets how many; a time budget alone plans without end', () => {
    assert.equal(runAll(spec({ trials: 12, space }), 2, () => 0).length, 12);
    const open = spec({ trials: undefined, budgetMinutes: 1, space });
    const trials: TrialRecord[] = Array.from({ length: 500 }, (_, i) => ({ trial: i + 1, params: {}, epochs: 1, status: 'completed' }));
    assert.equal(planNextTrial(open, 1, trials).kind, 'start');
  });
});

describe('successive halving', () => {
  test('rungs: each keeps 1/reduction of the last and trains reduction times longer, the last trains base.epochs', () => {
    assert.deepEqual(halvingRungs(12, 9, 3), [{ rung: 0, trials: 12, epochs: 1 }, { rung: 1, trials: 4, epochs: 3 }, { rung: 2, trials: 1, epochs: 9 }]);
    assert.deepEqual(halvingRungs(27, 9, 3).map((r) => [r.trials, r.epochs]), [[27, 1], [9, 3], [3, 9]]);
    // Few epochs limit the rungs: 12 configurations, 3 epochs: 12 x 1 then 4 x 3.
    assert.deepEqual(halvingRungs(12, 3, 3).map((r) => [r.trials, r.epochs]), [[12, 1], [4, 3]]);
    assert.deepEqual(halvingRungs(8, 8, 2).map((r) => [r.trials, r.epochs]), [[8, 1], [4, 2], [2, 4], [1, 8]]);
  });

  test('keeps the best fraction of each rung by the metric and trains those configurations longer', () => {
    // The metric rises with the learning rate's closeness to 1e-3, a little with epochs.
    const s = spec({ method: 'halving', trials: 12, seed: 4, space: { learningRate: { min: 1e-5, max: 1e-1, log: true }, batchSize: [16, 32, 64] } });
    const quality = (lr: number) => 1 - Math.abs(Math.log10(lr) + 3) / 4;
    const trials = runAll(s, 9, (p, epochs) => quality(p.learningRate as number) * (0.9 + epochs / 100));
    const rung = (k: number) => trials.filter((t) => t.rung === k);
    assert.deepEqual([0, 1, 2].map((k) => rung(k).length), [12, 4, 1]);
    assert.deepEqual([0, 1, 2].map((k) => rung(k)[0].epochs), [1, 3, 9]);
    const bestOfFirst = [...rung(0)].sort((a, b) => b.value! - a.value!).slice(0, 4);
    assert.deepEqual(new Set(rung(1).map((t) => t.promotedFrom)), new Set(bestOfFirst.map((t) => t.trial)));
    for (const t of rung(1)) assert.deepEqual(t.params, trials[t.promotedFrom! - 1].params);
    const bestOfSecond = [...rung(1)].sort((a, b) => b.value! - a.value!)[0];
    assert.equal(rung(2)[0].promotedFrom, bestOfSecond.trial);
    // The survivor is the configuration closest to the optimum among all twelve.
    const closest = [...rung(0)].sort((a, b) => quality(b.params.learningRate as number) - quality(a.params.learningRate as number))[0];
    assert.deepEqual(rung(2)[0].params, closest.params);
  });

  test('a later rung waits for the whole previous rung; failed trials are never promoted', () => {
    const s = spec({ method: 'halving', trials: 9, seed: 2, space: { learningRate: { min: 1e-4, max: 1e-2, log: true } } });
    const trials: TrialRecord[] = [];
    for (let i = 0; i < 9; i++) {
      const next = planNextTrial(s, 3, trials);
      assert.equal(next.kind, 'start');
      if (next.kind === 'start') trials.push({ trial: i + 1, ...next.trial, status: 'running' });
    }
    assert.equal(planNextTrial(s, 3, trials).kind, 'wait');
    trials.forEach((t, i) => {
      t.status = i < 7 ? 'failed' : 'completed';
      t.value = i < 7 ? undefined : i / 10;
    });
    const next = planNextTrial(s, 3, trials);
    assert.ok(next.kind === 'start');
    assert.equal(next.trial.promotedFrom, 9);
    trials.push({ ...next.trial, trial: 10, status: 'completed', value: 1 });
    // Rung 1 has 3 places but only 2 trials completed in rung 0: trial 8 is next, then the rung is full.
    const after = planNextTrial(s, 3, trials);
    assert.equal(after.kind === 'start' && after.trial.promotedFrom, 8);
  });
});
