// Exponential moving average of a noisy series (per-batch loss), as TensorBoard's smoothing slider does it.

/**
 * `weight` in [0, 1): 0 = no smoothing. Debiased so the first values are not pulled towards 0.
 * Non-finite values pass through unchanged and do not disturb the average.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out = new Array<number>(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      out[i] = value;
      continue;
    }
    last = last * w + (1 - w) * value;
    seen += 1;
    const debias = w === 0 ? 1 : 1 - Math.pow(w, seen);
    out[i] = last / debias;
  }
  return out;
}
