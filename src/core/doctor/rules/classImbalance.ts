// Rule: class imbalance makes accuracy misleading: with a few large classes, a model can score well by
// favouring them. Balanced accuracy (the mean of per-class recall) weighs every class the same.
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { percent, runHistory } from '../runHistory';

/** Imbalanced: the largest class has at least this many times the images of the smallest. */
export const IMBALANCE_RATIO = 3;
/** Accuracy this much above balanced accuracy makes it a warning rather than a note. */
export const MISLEADING_GAP = 0.05;

export function classImbalance(input: DoctorInput): Diagnosis | undefined {
  const { epochs } = runHistory(input.events);
  const last = epochs.at(-1);
  const counts = input.classCounts?.train ?? last?.perClass.map((c) => c.support);
  if (!counts || counts.length < 2) return undefined;
  const labels = input.classes ?? last?.perClass.map((c) => c.label) ?? counts.map((_, i) => String(i));
  const largest = counts.indexOf(Math.max(...counts));
  const smallest = counts.indexOf(Math.min(...counts));
  if (counts[smallest] === 0 || counts[largest] / counts[smallest] < IMBALANCE_RATIO) return undefined;
  const ratio = counts[largest] / counts[smallest];
  const best = epochs.reduce<typeof last>((top, e) => (top === undefined || e.valAcc > top.valAcc ? e : top), undefined);
  const scored = best?.perClass.filter((c) => c.support > 0) ?? [];
  const balanced = scored.length > 0 ? scored.reduce((sum, c) => sum + c.recall, 0) / scored.length : undefined;
  const gap = best && balanced !== undefined ? best.valAcc - balanced : 0;
  const scores = best && balanced !== undefined
    ? ` Accuracy counts every image, so it favours the large classes: validation accuracy ${percent(best.valAcc)} at epoch ${best.epoch}, ` +
      `balanced accuracy (the mean of per-class recall) ${percent(balanced)}.`
    : ' Judge the run by balanced accuracy (the mean of per-class recall), not accuracy.';
  return {
    rule: 'classImbalance',
    severity: gap >= MISLEADING_GAP ? 'warning' : 'info',
    ...(best ? { epoch: best.epoch } : {}),
    message: `The classes are imbalanced: "${labels[largest]}" has ${counts[largest]} training images, "${labels[smallest]}" ${counts[smallest]} ` +
      `(${ratio.toFixed(1)} to 1).${scores} More images of the small classes would help most.`,
    data: { imbalanceRatio: ratio, ...(balanced !== undefined && best ? { balancedAccuracy: balanced, accuracy: best.valAcc } : {}) },
  };
}
