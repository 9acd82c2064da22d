// Values from a search space: every grid point in a fixed order, or one seeded random draw per trial.
import { seededStream } from '../train/seededRandom';
import type { TrainOptionValue } from '../trainOptions';
import { isRange, type ParamRange, type SpaceEntry, type TrialParams } from './sweepSpec';

/** Integer ranges a grid enumerates whole, without `steps`, up to this many values. */
export const MAX_ENUMERATED_INTEGERS = 100;

/**
 * The values a grid takes from one entry: a list as given; a range with `steps` as that many values from
 * min to max inclusive (evenly spaced, or geometrically when `log`; rounded and de-duplicated when
 * `integer`); an integer range without `steps` as every whole number in it. Undefined when the entry
 * cannot be enumerated (a real-valued range without steps).
 */
export function gridValues(entry: SpaceEntry): TrainOptionValue[] | undefined {
  if (!isRange(entry)) return entry;
  const { min, max, log, integer, steps } = entry;
  if (steps === undefined) {
    if (!integer || max - min + 1 > MAX_ENUMERATED_INTEGERS) return undefined;
    return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }
  const values: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 0 : i / (steps - 1);
    let value = log ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min);
    // Pin the ends exactly (exp(log(x)) is not always x).
    if (i === 0) value = min;
    if (i === steps - 1) value = max;
    values.push(integer ? Math.round(value) : value);
  }
  return integer ? [...new Set(values)] : values;
}

/** How many points the grid of `space` has (the product of each entry's count). */
export function gridSize(space: Readonly<Record<string, SpaceEntry>>): number {
  let size = 1;
  for (const entry of Object.values(space)) size *= gridValues(entry)?.length ?? Number.POSITIVE_INFINITY;
  return size;
}

/**
 * Grid point `index` (0-based) of the space, in the order of its keys with the last key varying fastest,
 * like nested loops written in the spec's order.
 */
export function gridPoint(space: Readonly<Record<string, SpaceEntry>>, index: number): TrialParams {
  const names = Object.keys(space);
  const values = names.map((name) => gridValues(space[name]) ?? []);
  const params: TrialParams = {};
  let rest = index;
  for (let k = names.length - 1; k >= 0; k--) {
    const count = values[k].length;
    params[names[k]] = values[k][rest % count];
    rest = Math.floor(rest / count);
  }
  // Keep the spec's key order in the result.
  return Object.fromEntries(names.map((name) => [name, params[name]]));
}

/**
 * One draw from a range with a uniform number u in [0, 1): uniform in [min, max], or log-uniform (uniform
 * in log space) when `log`. Whole numbers are drawn so each of min..max is equally likely (uniform), or
 * k has the share of [k, k+1) in log space (log), which favours small values like log-uniform reals do.
 */
export function drawFromRange(range: ParamRange, u: number): number {
  const { min, max, log, integer } = range;
  if (integer) {
    if (log) {
      const value = Math.floor(Math.exp(Math.log(min) + u * (Math.log(max + 1) - Math.log(min))));
      return Math.min(max, Math.max(min, value));
    }
    return Math.min(max, min + Math.floor(u * (max - min + 1)));
  }
  return log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
}

/**
 * The parameters of random trial `index` (0-based): each entry drawn from its own stream seeded by
 * (seed, index, name), so a trial's draw depends on nothing but those three. A resumed sweep gets the
 * same trials, and adding a parameter to the space does not change the others' draws.
 */
export function randomPoint(space: Readonly<Record<string, SpaceEntry>>, seed: number, index: number): TrialParams {
  const params: TrialParams = {};
  for (const [name, entry] of Object.entries(space)) {
    const u = seededStream(seed, `sweep-trial:${index}:${name}`)();
    params[name] = isRange(entry) ? drawFromRange(entry, u) : entry[Math.min(entry.length - 1, Math.floor(u * entry.length))];
  }
  return params;
}
