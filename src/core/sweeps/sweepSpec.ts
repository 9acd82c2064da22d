// The sweep spec as a JSON file holds it: a base run (train options by camelCase name), a search space,
// a method, a budget and the metric to optimise.
import type { TrainOptionValue } from '../trainOptions';

export const SWEEP_METHODS = ['grid', 'random', 'halving'] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];

/** valAcc: the best validation accuracy of a trial, maximised; valLoss: its lowest validation loss, minimised. */
export const SWEEP_METRICS = ['valAcc', 'valLoss'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** A numeric range: uniform, or log-uniform when `log`; whole numbers when `integer`. */
export interface ParamRange {
  min: number;
  max: number;
  log?: boolean;
  integer?: boolean;
  /** Grid only: this many values from min to max (evenly spaced, or evenly in log when `log`). */
  steps?: number;
}

/** A list of values to choose from, or a range. */
export type SpaceEntry = TrainOptionValue[] | ParamRange;

/** One trial's choice of every searched parameter, by parameter name (`learningRate`, `model.units`). */
export type TrialParams = Record<string, TrainOptionValue>;

export interface SweepSpec {
  name: string;
  /** Train options shared by every trial (see trainOptions.ts); `data` relative to the spec file's folder. */
  base: Record<string, unknown>;
  method: SweepMethod;
  /**
   * grid: at most this many grid points (default: all); random: this many trials; halving: this many
   * configurations in the first rung.
   */
  trials?: number;
  /** Wall-clock budget: no trial starts after it, and trials still running when it ends are stopped. */
  budgetMinutes?: number;
  metric: SweepMetric;
  /** Seeds the random choices of random and halving (each trial's run keeps base.seed). */
  seed: number;
  /** Parameter name -> values. Keys are train options (`learningRate`) or model options (`model.units`). */
  space: Record<string, SpaceEntry>;
  /** halving only: keep the best 1/reduction of each rung and train them reduction times longer (default 3). */
  reduction?: number;
}

export const DEFAULT_REDUCTION = 3;

export function isRange(entry: SpaceEntry): entry is ParamRange {
  return !Array.isArray(entry);
}

/** True when a larger metric value is better. */
export function metricIsMaximised(metric: SweepMetric): boolean {
  return metric === 'valAcc';
}
