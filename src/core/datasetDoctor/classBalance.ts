// Class balance: images per class and split, and the classes far from the median class of their split.
import type { ImbalanceFinding, Split } from './datasetReport';
import { plural } from './findingText';

/** A class is flagged with at most a third, or at least three times, the images of the split's median class. */
export const IMBALANCE_RATIO = 3;

export interface ClassCount {
  name: string;
  train: number;
  test: number;
  /** The class's folder of each split on disk, for links; none for binary datasets. */
  folders: Partial<Record<Split, string>>;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const SPLIT_WORDS: Record<Split, string> = { train: 'training', test: 'test' };

/**
 * Imbalance findings for each split that has images: classes with none, classes with at most
 * 1/IMBALANCE_RATIO of the median class's images, and classes with IMBALANCE_RATIO times or more.
 */
export function imbalanceFindings(classes: readonly ClassCount[]): ImbalanceFinding[] {
  const findings: ImbalanceFinding[] = [];
  for (const split of ['train', 'test'] as const) {
    const counts = classes.map((c) => c[split]);
    if (classes.length < 2 || counts.every((count) => count === 0)) continue;
    const middle = median(counts);
    const words = SPLIT_WORDS[split];
    classes.forEach((c, k) => {
      const count = counts[k];
      let message: string | undefined;
      if (count === 0) {
        message = `Class '${c.name}' has no ${words} images` +
          (split === 'train' ? ': training cannot learn it.' : ', so the test split cannot measure it.');
      } else if (count * IMBALANCE_RATIO <= middle) {
        message = `Class '${c.name}' has ${plural(count, `${words} image`)}, ${(middle / count).toFixed(1)}x fewer than the median class ` +
          `(${middle.toLocaleString('en')}): add images, or weigh it in training.`;
      } else if (count >= IMBALANCE_RATIO * middle) {
        message = `Class '${c.name}' has ${plural(count, `${words} image`)}, ${(count / middle).toFixed(1)}x the median class ` +
          `(${middle.toLocaleString('en')}): the model will favour it.`;
      }
      if (message) findings.push({ kind: 'imbalance', files: c.folders[split] ? [c.folders[split]] : [], message, className: c.name, split, count, median: middle });
    });
  }
  return findings;
}
