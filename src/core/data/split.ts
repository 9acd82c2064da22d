// Seeded, stratified selections of examples: the validation split and the --limit sample.
import seedrandom from 'seedrandom';

function byClass(labels: Int32Array): number[][] {
  const groups: number[][] = [];
  labels.forEach((label, index) => {
    (groups[label] ??= []).push(index);
  });
  return groups.filter((g) => g !== undefined);
}

/** Fisher-Yates shuffle in place with the given generator. */
function shuffle(items: number[], random: () => number): number[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const ascending = (a: number, b: number): number => a - b;

/**
 * Holds out `fraction` of each class for validation (rounded per class). When fraction > 0 every
 * class with at least two examples gives at least one to validation and keeps at least one for
 * training. The same labels, fraction and seed always give the same split; both lists are ascending.
 */
export function stratifiedSplit(labels: Int32Array, fraction: number, seed: number): { train: number[]; val: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const random = seedrandom(`split:${seed}`);
  const train: number[] = [];
  const val: number[] = [];
  for (const group of byClass(labels)) {
    shuffle(group, random);
    let held = Math.round(group.length * fraction);
    if (fraction > 0 && group.length >= 2) held = Math.min(Math.max(held, 1), group.length - 1);
    val.push(...group.slice(0, held));
    train.push(...group.slice(held));
  }
  return { train: train.sort(ascending), val: val.sort(ascending) };
}

/**
 * At most `limit` examples with the class proportions of `labels` (largest remainders), at least one
 * per class when limit allows. Deterministic for a seed; ascending.
 */
export function stratifiedSample(labels: Int32Array, limit: number, seed: number): number[] {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number >= 0, got ${limit}`);
  const groups = byClass(labels);
  if (limit >= labels.length) return Array.from(labels.keys());
  const exact = groups.map((g) => (g.length * limit) / labels.length);
  const quota = exact.map(Math.floor);
  if (limit >= groups.length) {
    for (let c = 0; c < groups.length; c++) quota[c] = Math.max(quota[c], 1);
  }
  let total = quota.reduce((a, b) => a + b, 0);
  // Hand out what is left by largest remainder; take back (from the largest quotas) what the minimum of one overspent.
  const byRemainder = groups.map((_, c) => c).sort((a, b) => (exact[b] - quota[b]) - (exact[a] - quota[a]) || a - b);
  for (let k = 0; total < limit; k = (k + 1) % byRemainder.length) {
    const c = byRemainder[k];
    if (quota[c] < groups[c].length) {
      quota[c]++;
      total++;
    }
  }
  while (total > limit) {
    let largest = 0;
    for (let c = 1; c < quota.length; c++) if (quota[c] > quota[largest]) largest = c;
    quota[largest]--;
    total--;
  }
  const random = seedrandom(`sample:${seed}`);
  const chosen = groups.flatMap((group, c) => shuffle(group, random).slice(0, quota[c]));
  return chosen.sort(ascending);
}
