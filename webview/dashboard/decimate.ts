// Fewer points for a long line chart without changing its shape: Largest-Triangle-Three-Buckets
// (Steinarsson 2013) over the visible x range. Charts draw a few thousand points however long the run.

export interface Point {
  x: number;
  y: number;
}

/** First index with xs[i] >= value in ascending xs (xs.length when none). */
function lowerBound(xs: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with xs[i] > value in ascending xs (xs.length when none). */
function upperBound(xs: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index range [start, end) of ascending `xs` covering [min, max], widened by one point each side so
 * the line runs off the edges of a zoomed chart instead of stopping short of them.
 */
export function visibleRange(xs: ArrayLike<number>, min: number, max: number): [number, number] {
  const start = Math.max(0, lowerBound(xs, min) - 1);
  const end = Math.min(xs.length, upperBound(xs, max) + 1);
  return [start, Math.max(start, end)];
}

/**
 * Indices of at most `threshold` points of xs[start..end) that keep the line's visual shape. The
 * first and last points are always kept; every bucket in between keeps the point making the largest
 * triangle with the previous kept point and the next bucket's average. Non-finite y values are kept
 * too (a NaN loss must stay visible as a gap).
 */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, start: number, end: number, threshold: number): number[] {
  const count = end - start;
  if (count <= 0) return [];
  if (threshold >= count || threshold < 3) {
    if (threshold >= count) return Array.from({ length: count }, (_, i) => start + i);
    return count === 1 ? [start] : [start, end - 1];
  }
  const kept: number[] = [start];
  const bucketSize = (count - 2) / (threshold - 2);
  let previous = start;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const from = start + 1 + Math.floor(bucket * bucketSize);
    const to = Math.min(end - 1, start + 1 + Math.floor((bucket + 1) * bucketSize));
    const nextFrom = to;
    const nextTo = Math.min(end, start + 1 + Math.floor((bucket + 2) * bucketSize));
    let averageX = 0;
    let averageY = 0;
    let finiteNext = 0;
    for (let i = nextFrom; i < Math.max(nextTo, nextFrom + 1); i++) {
      if (!Number.isFinite(ys[i])) continue;
      averageX += xs[i];
      averageY += ys[i];
      finiteNext += 1;
    }
    if (finiteNext > 0) {
      averageX /= finiteNext;
      averageY /= finiteNext;
    } else {
      averageX = xs[nextFrom];
      averageY = ys[previous];
    }
    let best = from;
    let bestArea = -1;
    let nonFinite = -1;
    for (let i = from; i < to; i++) {
      if (!Number.isFinite(ys[i])) {
        nonFinite = i;
        continue;
      }
      const area = Math.abs((xs[previous] - averageX) * (ys[i] - ys[previous]) - (xs[previous] - xs[i]) * (averageY - ys[previous]));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    const chosen = nonFinite >= 0 ? nonFinite : best;
    kept.push(chosen);
    if (Number.isFinite(ys[chosen])) previous = chosen;
  }
  kept.push(end - 1);
  return kept;
}

/** The points of (xs, ys) to draw: those in [min, max] (all when no range), reduced to about `threshold`. */
export function decimate(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number, range?: { min: number; max: number }): Point[] {
  const [start, end] = range ? visibleRange(xs, range.min, range.max) : [0, xs.length];
  return lttbIndices(xs, ys, start, end, threshold).map((i) => ({ x: xs[i], y: ys[i] }));
}
