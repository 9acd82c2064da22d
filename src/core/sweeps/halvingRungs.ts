// Successive halving's schedule: how many configurations each rung trains, and for how many epochs.

export interface Rung {
  /** 0-based. */
  rung: number;
  /** Configurations trained in this rung (the best of the previous rung, for rungs after the first). */
  trials: number;
  epochs: number;
}

/** The largest k with base^k <= value (0 when value < base). */
function levelsWithin(value: number, base: number): number {
  let k = 0;
  let power = base;
  while (power <= value) {
    k += 1;
    power *= base;
  }
  return k;
}

/**
 * With n configurations, E epochs (the base run's) and reduction r: K = 1 + min(floor(log_r n),
 * floor(log_r E)) rungs. Rung k trains floor(n / r^k) configurations for round(E / r^(K-1-k)) epochs
 * (at least 1), so each rung keeps the best 1/r of the last and trains it r times longer, the last
 * rung trains E epochs, and the first rung trains every configuration for E / r^(K-1) epochs.
 * Example: n = 12, E = 9, r = 3 gives 12 x 1 epoch, 4 x 3 epochs, 1 x 9 epochs (33 epochs in all,
 * against 108 for 12 full trials).
 */
export function halvingRungs(configurations: number, maxEpochs: number, reduction: number): Rung[] {
  const count = 1 + Math.min(levelsWithin(configurations, reduction), levelsWithin(maxEpochs, reduction));
  return Array.from({ length: count }, (_, k) => ({
    rung: k,
    trials: Math.floor(configurations / reduction ** k),
    epochs: Math.max(1, Math.round(maxEpochs / reduction ** (count - 1 - k))),
  }));
}
