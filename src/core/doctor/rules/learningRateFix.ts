// The quick fix several rules offer: rerun with the learning rate scaled by a factor.
import type { RerunFix } from '../diagnosis';
import { formatRate, scaledRate } from '../runHistory';

/** Rerun with `rate` times `factor` (rounded to 3 significant digits, at most 10, the largest rate a run takes). */
export function learningRateFix(rate: number, factor: number): RerunFix {
  const learningRate = Math.min(10, scaledRate(rate, factor));
  return { kind: 'rerunWith', title: `Rerun with learning rate ${formatRate(learningRate)}`, changes: { learningRate } };
}
