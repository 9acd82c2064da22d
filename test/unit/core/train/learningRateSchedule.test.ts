import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSchedule, learningRateAt, scheduleProblem } from '../../../../src/core/train/learningRateSchedule';
import type { ScheduleSpec } from '../../../../src/core/runSpec';

const PEAK = 0.4;
const TOTAL = 101; // progress = step / 100: step k is k% of the way through training

function rates(schedule: ScheduleSpec | undefined, total = TOTAL): number[] {
  return Array.from({ length: total }, (_, step) => learningRateAt({ learningRate: PEAK, schedule }, step, total));
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);
}

describe('learningRateAt', () => {
  test('no schedule, or constant: the learning rate at every step', () => {
    assert.ok(rates(undefined).every((r) => r === PEAK));
    assert.ok(rates(defaultSchedule('constant')).every((r) => r === PEAK));
  });

  test('step: multiplied by gamma at each milestone', () => {
    const r = rates({ ...defaultSchedule('step'), milestones: [0.5, 0.75], gamma: 0.1 });
    r.forEach((rate, step) => {
      const p = step / 100;
      const expected = PEAK * 0.1 ** ((p >= 0.5 ? 1 : 0) + (p >= 0.75 ? 1 : 0));
      near(rate, expected, `step ${step}`);
    });
    near(r[49], 0.4, 'before the first milestone');
    near(r[50], 0.04, 'at the first milestone');
    near(r[100], 0.004, 'after both');
  });

  test('cosine: final + (1 - final)(1 + cos(pi p))/2, from the peak to the final factor', () => {
    const r = rates({ ...defaultSchedule('cosine'), finalFactor: 0.1 });
    r.forEach((rate, step) => {
      const p = step / 100;
      near(rate, PEAK * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * p))), `step ${step}`);
    });
    near(r[0], PEAK, 'first step');
    near(r[50], PEAK * 0.55, 'half way');
    near(r[100], PEAK * 0.1, 'last step');
  });

  test('cosine with warm-up: linear from initial to the peak, then the cosine over the rest', () => {
    const r = rates({ ...defaultSchedule('cosine'), warmup: 0.2, initialFactor: 0, finalFactor: 0 });
    r.forEach((rate, step) => {
      const p = step / 100;
      const expected = p < 0.2 ? PEAK * (p / 0.2) : PEAK * 0.5 * (1 + Math.cos(Math.PI * (p - 0.2) / 0.8));
      near(rate, expected, `step ${step}`);
    });
    near(r[10], PEAK / 2, 'half way through the warm-up');
    near(r[20], PEAK, 'end of warm-up');
    near(r[60], PEAK / 2, 'half way through the decay');
  });

  test('one-cycle: linear up over the warm-up, then linear down to the final factor', () => {
    const schedule = { ...defaultSchedule('onecycle'), warmup: 0.25, initialFactor: 0.04, finalFactor: 0 };
    const r = rates(schedule);
    r.forEach((rate, step) => {
      const p = step / 100;
      const expected = p < 0.25 ? PEAK * (0.04 + 0.96 * p / 0.25) : PEAK * (1 - (p - 0.25) / 0.75);
      near(rate, expected, `step ${step}`);
    });
    near(r[0], PEAK * 0.04, 'first step');
    near(r[25], PEAK, 'peak');
    near(r[100], 0, 'last step');
    const peakStep = r.indexOf(Math.max(...r));
    assert.equal(peakStep, 25);
  });

  test('the default one-cycle warms up over the first quarter from 1/25 of the peak down to 0', () => {
    assert.deepEqual(defaultSchedule('onecycle'), {
      kind: 'onecycle', warmup: 0.25, initialFactor: 0.04, finalFactor: 0, milestones: [0.5, 0.75], gamma: 0.1,
    });
  });

  test('a single step gets the schedule\'s start; steps past the end stay at its end', () => {
    near(learningRateAt({ learningRate: 1, schedule: defaultSchedule('onecycle') }, 0, 1), 0.04, 'one step');
    near(learningRateAt({ learningRate: 1, schedule: defaultSchedule('cosine') }, 500, 100), 0, 'past the end');
  });
});

describe('scheduleProblem', () => {
  test('accepts the defaults', () => {
    for (const kind of ['constant', 'step', 'cosine', 'onecycle'] as const) assert.equal(scheduleProblem(defaultSchedule(kind)), undefined);
  });

  test('names what is wrong', () => {
    const base = defaultSchedule('step');
    assert.match(scheduleProblem({ ...base, kind: 'linear' as 'step' }) ?? '', /Unknown learning-rate schedule "linear": use one of constant, step, cosine, onecycle/);
    assert.match(scheduleProblem({ ...base, warmup: 1 }) ?? '', /warm-up must be a fraction of training in \[0, 1\)/);
    assert.match(scheduleProblem({ ...base, initialFactor: 2 }) ?? '', /starting factor/);
    assert.match(scheduleProblem({ ...base, finalFactor: -0.1 }) ?? '', /final learning-rate factor/);
    assert.match(scheduleProblem({ ...base, milestones: [0.75, 0.5] }) ?? '', /milestones must be increasing/);
    assert.match(scheduleProblem({ ...base, milestones: [1.5] }) ?? '', /milestones/);
    assert.match(scheduleProblem({ ...base, gamma: 0 }) ?? '', /gamma must be in \(0, 1\]/);
  });
});
