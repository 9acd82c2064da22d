// Which searched parameters mattered to the metric: random-forest permutation importance (catches
// optima in the middle of a range and effects of names like the optimizer), with the Spearman rank
// correlation beside it for the direction of numeric parameters.
import type { TrainOptionValue } from '../trainOptions';
import { forestPermutationImportance } from './randomForest';
import type { ParameterImportance } from './sweepRecord';
import type { TrialParams } from './sweepSpec';

export interface ImportanceSample {
  params: TrialParams;
  value: number;
}

/** Average ranks (ties share the mean of their positions), 1-based. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k].i] = rank;
    start = end + 1;
  }
  return out;
}

/** Spearman's rank correlation; undefined when either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number | undefined {
  const ra = ranks(a);
  const rb = ranks(b);
  const ma = ra.reduce((s, v) => s + v, 0) / ra.length;
  const mb = rb.reduce((s, v) => s + v, 0) / rb.length;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < ra.length; i++) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) ** 2;
    vb += (rb[i] - mb) ** 2;
  }
  return va === 0 || vb === 0 ? undefined : cov / Math.sqrt(va * vb);
}

function key(value: TrainOptionValue | undefined): string {
  return JSON.stringify(value ?? null);
}

/**
 * One column per parameter: numbers as they are (trees split on order, so a log scale changes nothing),
 * true/false as 1/0, and names or lists as category numbers (the forest splits them as categories).
 */
function encode(samples: readonly ImportanceSample[], param: string): { column: number[]; numeric: boolean } {
  const values = samples.map((sample) => sample.params[param]);
  if (values.every((value) => typeof value === 'number')) return { column: values as number[], numeric: true };
  if (values.every((value) => typeof value === 'boolean')) return { column: values.map((value) => (value ? 1 : 0)), numeric: true };
  const categories = [...new Set(values.map(key))];
  return { column: values.map((value) => categories.indexOf(key(value))), numeric: false };
}

/**
 * Importance of each parameter of `params` for the metric of `samples` (trials with a value), most
 * important first. Shares are the forest's permutation importances clipped at 0 and scaled to sum to 1;
 * all 0 when the metric does not vary or there are fewer than 4 samples. A parameter with one value
 * across the samples gets 0 and no correlation.
 */
export function parameterImportance(samples: readonly ImportanceSample[], params: readonly string[], seed = 0): ParameterImportance[] {
  const columns = params.map((param) => encode(samples, param));
  const y = samples.map((sample) => sample.value);
  const x = samples.map((_, i) => columns.map((column) => column.column[i]));
  const categorical = columns.map((column) => !column.numeric);
  const raw = samples.length > 0 ? forestPermutationImportance(x, y, { seed, categorical }) : params.map(() => 0);
  const clipped = raw.map((value, j) => (new Set(columns[j].column).size > 1 ? Math.max(0, value) : 0));
  const total = clipped.reduce((a, b) => a + b, 0);
  return params
    .map((param, j) => {
      const entry: ParameterImportance = { param, importance: total > 0 ? clipped[j] / total : 0 };
      if (columns[j].numeric && samples.length >= 3) {
        const correlation = spearman(columns[j].column, y);
        if (correlation !== undefined) entry.correlation = correlation;
      }
      return entry;
    })
    .sort((a, b) => b.importance - a.importance || (a.param < b.param ? -1 : 1));
}
