// Learning-rate schedules as pure functions of (step, total steps, spec): constant, step, cosine and one-cycle, each with an optional linear warm-up.
import { SCHEDULE_KINDS, type ScheduleKind, type ScheduleSpec, type TrainingSpec } from '../runSpec';

/**
 * The schedule a kind gets when only its name is given (`--schedule cosine`). One-cycle warms up over
 * the first quarter from 1/25 of the peak (PyTorch's OneCycleLR start) and then falls linearly to 0, as
 * the fast CIFAR-10 recipes do; step divides by 10 at half and three quarters of training.
 */
export function defaultSchedule(kind: ScheduleKind): ScheduleSpec {
  return {
    kind,
    warmup: kind === 'onecycle' ? 0.25 : 0,
    initialFactor: 0.04,
    finalFactor: 0,
    milestones: [0.5, 0.75],
    gamma: 0.1,
  };
}

/**
 * The learning rate for step `step` (0-based, counted over the whole run) of `totalSteps`.
 * Progress p = step / (totalSteps - 1) runs from 0 at the first step to 1 at the last, so a schedule's
 * end points are hit exactly. With warm-up w > 0 and p < w the factor is initial + (1 - initial) * p / w;
 * after it, with q = (p - w) / (1 - w):
 *   constant  1
 *   step      gamma ^ (number of milestones <= p)
 *   cosine    final + (1 - final) * (1 + cos(pi q)) / 2
 *   onecycle  1 + (final - 1) * q          (linear from the peak down to final)
 * The rate is learningRate * factor. Without a schedule the rate is constant.
 */
export function learningRateAt(training: Pick<TrainingSpec, 'learningRate' | 'schedule'>, step: number, totalSteps: number): number {
  const schedule = training.schedule;
  if (!schedule) return training.learningRate;
  return training.learningRate * scheduleFactor(schedule, step, totalSteps);
}

function scheduleFactor(schedule: ScheduleSpec, step: number, totalSteps: number): number {
  const p = totalSteps > 1 ? Math.min(1, Math.max(0, step / (totalSteps - 1))) : 0;
  const { warmup } = schedule;
  if (warmup > 0 && p < warmup) return schedule.initialFactor + (1 - schedule.initialFactor) * (p / warmup);
  const q = warmup < 1 ? (p - warmup) / (1 - warmup) : 1;
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'step':
      return schedule.gamma ** schedule.milestones.filter((m) => m <= p).length;
    case 'cosine':
      return schedule.finalFactor + (1 - schedule.finalFactor) * 0.5 * (1 + Math.cos(Math.PI * q));
    case 'onecycle':
      return 1 + (schedule.finalFactor - 1) * q;
  }
}

function isFraction(value: unknown, { open = false } = {}): value is number {
  return typeof value === 'number' && Number.isFinite(value) && (open ? value > 0 && value < 1 : value >= 0 && value <= 1);
}

/** What is wrong with a schedule read from a flag or a file, in words naming the setting; undefined when it is usable. */
export function scheduleProblem(schedule: ScheduleSpec): string | undefined {
  if (!(SCHEDULE_KINDS as readonly string[]).includes(schedule.kind)) {
    return `Unknown learning-rate schedule "${String(schedule.kind)}": use one of ${SCHEDULE_KINDS.join(', ')}.`;
  }
  if (!(isFraction(schedule.warmup) && schedule.warmup < 1)) {
    return `The warm-up must be a fraction of training in [0, 1) (got ${schedule.warmup}).`;
  }
  if (!isFraction(schedule.initialFactor)) {
    return `The warm-up's starting factor must be between 0 and 1 (got ${schedule.initialFactor}).`;
  }
  if (!isFraction(schedule.finalFactor)) {
    return `The final learning-rate factor must be between 0 and 1 (got ${schedule.finalFactor}).`;
  }
  const milestones = schedule.milestones;
  if (!Array.isArray(milestones) || !milestones.every((m) => isFraction(m, { open: true })) ||
    milestones.some((m, i) => i > 0 && m <= milestones[i - 1])) {
    return `Step milestones must be increasing fractions of training between 0 and 1, e.g. 0.5,0.75 (got ${JSON.stringify(milestones)}).`;
  }
  if (!(typeof schedule.gamma === 'number' && schedule.gamma > 0 && schedule.gamma <= 1)) {
    return `The step factor gamma must be in (0, 1] (got ${schedule.gamma}).`;
  }
  return undefined;
}
