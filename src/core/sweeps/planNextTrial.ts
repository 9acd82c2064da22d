// The search methods: given the spec and the trials so far, what to train next. A pure function of the
// trial list, so a resumed sweep plans exactly where the crashed one left off.
import { halvingRungs, type Rung } from './halvingRungs';
import { gridPoint, gridSize, randomPoint } from './searchSpace';
import type { TrialRecord } from './sweepRecord';
import { DEFAULT_REDUCTION, metricIsMaximised, type SweepSpec, type TrialParams } from './sweepSpec';

export interface PlannedTrial {
  params: TrialParams;
  epochs: number;
  rung?: number;
  promotedFrom?: number;
}

/** start: plan this trial; wait: the next depends on trials still running; done: the method has no more. */
export type NextTrial = { kind: 'start'; trial: PlannedTrial } | { kind: 'wait' } | { kind: 'done' };

type TrialState = Pick<TrialRecord, 'trial' | 'params' | 'status' | 'value' | 'rung'>;

const isFinished = (trial: TrialState) => trial.status === 'completed' || trial.status === 'failed';

/** Completed trials with a value, best first (ties: the earlier trial). */
export function rankTrials<T extends TrialState>(spec: Pick<SweepSpec, 'metric'>, trials: readonly T[]): T[] {
  const sign = metricIsMaximised(spec.metric) ? -1 : 1;
  return trials
    .filter((trial) => trial.status === 'completed' && typeof trial.value === 'number' && Number.isFinite(trial.value))
    .sort((a, b) => sign * (a.value! - b.value!) || a.trial - b.trial);
}

/** The rungs of a halving sweep with this spec and the base run's epochs. */
export function sweepRungs(spec: SweepSpec, baseEpochs: number): Rung[] {
  return halvingRungs(spec.trials ?? 1, baseEpochs, spec.reduction ?? DEFAULT_REDUCTION);
}

function planHalving(spec: SweepSpec, baseEpochs: number, trials: readonly TrialState[]): NextTrial {
  const rungs = sweepRungs(spec, baseEpochs);
  const current = trials.reduce((highest, trial) => Math.max(highest, trial.rung ?? 0), 0);
  const inRung = (k: number) => trials.filter((trial) => (trial.rung ?? 0) === k);
  const ranked = (k: number) => rankTrials(spec, inRung(k));
  // A later rung takes the best of the previous one, as many as it has places for (fewer if trials failed).
  const target = (k: number) => (k === 0 ? rungs[0].trials : Math.min(rungs[k].trials, ranked(k - 1).length));
  const members = inRung(current);
  if (members.length < target(current)) {
    if (current === 0) return { kind: 'start', trial: { params: randomPoint(spec.space, spec.seed, members.length), epochs: rungs[0].epochs, rung: 0 } };
    const promoted = ranked(current - 1)[members.length];
    return { kind: 'start', trial: { params: { ...promoted.params }, epochs: rungs[current].epochs, rung: current, promotedFrom: promoted.trial } };
  }
  if (!members.every(isFinished)) return { kind: 'wait' };
  const next = current + 1;
  if (next >= rungs.length || target(next) === 0) return { kind: 'done' };
  const promoted = ranked(current)[0];
  return { kind: 'start', trial: { params: { ...promoted.params }, epochs: rungs[next].epochs, rung: next, promotedFrom: promoted.trial } };
}

/**
 * grid: the grid points in order (the last space entry varying fastest), at most `trials` of them.
 * random: `trials` seeded draws (or draws until the time budget ends). halving: see halvingRungs.ts;
 * the first rung is random draws, each later rung starts once the previous one has finished.
 */
export function planNextTrial(spec: SweepSpec, baseEpochs: number, trials: readonly TrialState[]): NextTrial {
  const cap = spec.trials ?? Number.POSITIVE_INFINITY;
  // Epochs may be a searched parameter of grid and random sweeps.
  const planned = (params: TrialParams): NextTrial => ({
    kind: 'start', trial: { params, epochs: typeof params.epochs === 'number' ? params.epochs : baseEpochs },
  });
  switch (spec.method) {
    case 'grid':
      return trials.length < Math.min(cap, gridSize(spec.space)) ? planned(gridPoint(spec.space, trials.length)) : { kind: 'done' };
    case 'random':
      return trials.length < cap ? planned(randomPoint(spec.space, spec.seed, trials.length)) : { kind: 'done' };
    case 'halving':
      return planHalving(spec, baseEpochs, trials);
  }
}

/** How many trials the method plans (halving: over all rungs); undefined when only a time budget bounds it. */
export function plannedTrialCount(spec: SweepSpec, baseEpochs: number): number | undefined {
  switch (spec.method) {
    case 'grid':
      return Math.min(spec.trials ?? Number.POSITIVE_INFINITY, gridSize(spec.space));
    case 'random':
      return spec.trials;
    case 'halving':
      return sweepRungs(spec, baseEpochs).reduce((sum, rung) => sum + rung.trials, 0);
  }
}
