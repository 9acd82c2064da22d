// Where a value sits along a chart axis, as a fraction from 0 (start) to 1 (end): linear, logarithmic or
// categorical axes, their inverse (for brushing) and readable ticks. No DOM here.

export type AxisDomain =
  | { kind: 'linear' | 'log'; min: number; max: number }
  | { kind: 'band'; categories: readonly string[] };

export interface Tick {
  value: number | string;
  label: string;
  /** Position along the axis, 0-1. */
  t: number;
}

/** The position of `value` on the axis, 0-1; undefined when it has no place there (a category not listed, a non-positive value on a log axis). */
export function axisPosition(domain: AxisDomain, value: number | string): number | undefined {
  if (domain.kind === 'band') {
    const index = domain.categories.indexOf(String(value));
    if (index < 0) return undefined;
    // Categories sit in the middle of equal bands.
    return (index + 0.5) / domain.categories.length;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (domain.kind === 'log') {
    if (value <= 0 || domain.min <= 0) return undefined;
    const span = Math.log(domain.max) - Math.log(domain.min);
    return span === 0 ? 0.5 : (Math.log(value) - Math.log(domain.min)) / span;
  }
  const span = domain.max - domain.min;
  return span === 0 ? 0.5 : (value - domain.min) / span;
}

/** The value at position `t` of a numeric axis (the inverse of axisPosition). */
export function axisValue(domain: Extract<AxisDomain, { kind: 'linear' | 'log' }>, t: number): number {
  if (domain.kind === 'log') return Math.exp(Math.log(domain.min) + t * (Math.log(domain.max) - Math.log(domain.min)));
  return domain.min + t * (domain.max - domain.min);
}

/** The categories whose places fall between positions `t0` and `t1` (either order). */
export function categoriesBetween(domain: Extract<AxisDomain, { kind: 'band' }>, t0: number, t1: number): string[] {
  const [lo, hi] = t0 <= t1 ? [t0, t1] : [t1, t0];
  return domain.categories.filter((_, i) => {
    const t = (i + 0.5) / domain.categories.length;
    return t >= lo && t <= hi;
  });
}

/** A numeric domain around `values`, widened a little so points do not sit on the frame (a single value gets room both sides). */
export function paddedDomain(values: readonly number[], log: boolean, padding = 0.05): Extract<AxisDomain, { kind: 'linear' | 'log' }> {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (finite.length === 0) return { kind: 'linear', min: 0, max: 1 };
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (log) {
    const [a, b] = [Math.log(min), Math.log(max)];
    const pad = (b - a || 1) * padding;
    return { kind: 'log', min: Math.exp(a - pad), max: Math.exp(b + pad) };
  }
  if (min === max) {
    const room = Math.abs(min) * 0.1 || 1;
    min -= room;
    max += room;
  }
  const pad = (max - min) * padding;
  return { kind: 'linear', min: min - pad, max: max + pad };
}

/** Shortest text that tells ticks apart: `0.001`, `1e-5`, `250`, `1.2k`. */
export function tickLabel(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4) return magnitude >= 1e6 ? value.toExponential(1) : `${Number((value / 1000).toPrecision(3))}k`;
  if (magnitude < 1e-3) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

/** Round numbers across [min, max], about `count` of them (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  // The multiple nearest the rough step (on a log scale), so the count comes out close to asked.
  const error = rough / power;
  const step = (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1) * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Ticks of an axis: round numbers, powers of ten on a log axis (with 2 and 5 between when there are few), every category. */
export function axisTicks(domain: AxisDomain, count = 5): Tick[] {
  if (domain.kind === 'band') return domain.categories.map((category) => ({ value: category, label: category, t: axisPosition(domain, category)! }));
  let values: number[];
  if (domain.kind === 'log') {
    const lo = Math.floor(Math.log10(domain.min));
    const hi = Math.ceil(Math.log10(domain.max));
    const decades = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
    values = (hi - lo <= 2 ? decades.flatMap((d) => [d, 2 * d, 5 * d]) : decades).filter((v) => v >= domain.min * (1 - 1e-9) && v <= domain.max * (1 + 1e-9));
    if (values.length < 2) values = [domain.min, domain.max];
  } else {
    values = niceTicks(domain.min, domain.max, count);
  }
  return values.map((value) => ({ value, label: tickLabel(value), t: axisPosition(domain, value)! }));
}
