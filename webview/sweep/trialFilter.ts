// The sweep tab's view of its trials: which are drawn (they have the metric), the axis of every parameter
// and of the metric, the brushes a user drew on the axes and the trials they keep, colour buckets by how
// good a trial is, and the trials ranked best first. No DOM here.
import type { SweepParamView, SweepTrialView, SweepView } from '../../src/protocol/sweepView';
import { axisPosition, paddedDomain, type AxisDomain } from '../shared/plotScale';

/** The metric's axis key (parameters use their names, which never start with a space). */
export const METRIC_AXIS = ' metric';

/** A brush on one axis: a range of values on a numeric axis, or the categories it covers. */
export type Brush = { kind: 'range'; lo: number; hi: number } | { kind: 'categories'; values: string[] };

/** The trials that have the metric: they are the lines and points of the charts. */
export function scoredTrials(sweep: Pick<SweepView, 'trials'>): SweepTrialView[] {
  return sweep.trials.filter((trial) => typeof trial.value === 'number' && Number.isFinite(trial.value));
}

/** Where a parameter's values go: its range (log when searched in log space), or its categories in the spec's order. */
export function paramDomain(param: SweepParamView, trials: readonly SweepTrialView[]): AxisDomain {
  if (param.kind === 'category') {
    const seen = trials.map((trial) => String(trial.params[param.name] ?? '')).filter((value) => value !== '');
    return { kind: 'band', categories: [...new Set([...(param.categories ?? []), ...seen])] };
  }
  const values = trials.map((trial) => trial.params[param.name]).filter((v): v is number => typeof v === 'number');
  const ends = param.min !== undefined && param.max !== undefined ? [param.min, param.max] : [];
  return paddedDomain([...ends, ...values], param.log, 0.04);
}

export function metricDomain(trials: readonly SweepTrialView[]): AxisDomain {
  return paddedDomain(trials.map((trial) => trial.value!), false, 0.06);
}

/** A trial's value on an axis (the metric, or a parameter). */
export function axisValueOf(trial: SweepTrialView, axis: string): number | string | undefined {
  return axis === METRIC_AXIS ? trial.value : trial.params[axis];
}

/** True when the trial's value lies inside the brush. */
export function inBrush(brush: Brush, value: number | string | undefined): boolean {
  if (value === undefined) return false;
  if (brush.kind === 'categories') return brush.values.includes(String(value));
  return typeof value === 'number' && value >= Math.min(brush.lo, brush.hi) && value <= Math.max(brush.lo, brush.hi);
}

/** The trials every brush keeps. */
export function brushedTrials(trials: readonly SweepTrialView[], brushes: ReadonlyMap<string, Brush>): SweepTrialView[] {
  return trials.filter((trial) => [...brushes].every(([axis, brush]) => inBrush(brush, axisValueOf(trial, axis))));
}

/** Better first: by the metric's direction (higher accuracy, lower loss), ties by trial number. */
export function rankByMetric(trials: readonly SweepTrialView[], metric: SweepView['metric']): SweepTrialView[] {
  const sign = metric === 'valAcc' ? -1 : 1;
  return [...trials].sort((a, b) => sign * ((a.value ?? 0) - (b.value ?? 0)) || a.trial - b.trial);
}

/** How good each trial is among the others, 0 (worst) to `buckets - 1` (best), by rank: colours that read the same whatever the spread. */
export function qualityBuckets(trials: readonly SweepTrialView[], metric: SweepView['metric'], buckets = 5): Map<number, number> {
  const ranked = rankByMetric(trials, metric).reverse();
  return new Map(ranked.map((trial, i) => [trial.trial, ranked.length <= 1 ? buckets - 1 : Math.round((i / (ranked.length - 1)) * (buckets - 1))]));
}

/** A parameter's value position on its axis, for drawing (undefined: no place). */
export function positionOn(domain: AxisDomain, value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : axisPosition(domain, value);
}
