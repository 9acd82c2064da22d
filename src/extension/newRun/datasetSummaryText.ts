// A dataset description in one line for pickers, e.g. `folder · 10 classes · 3,000 train + 500 test images · 28×28×1`.
import type { DatasetDescription } from '../../core/data/describeDataset';

const FORMAT_NAMES: Record<DatasetDescription['format'], string> = {
  folder: 'image folders', cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', idx: 'IDX (MNIST-style)',
};

function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function datasetSummaryText(description: DatasetDescription): string {
  const train = description.classes.reduce((sum, c) => sum + c.trainCount, 0);
  const test = description.classes.reduce((sum, c) => sum + c.testCount, 0);
  const parts = [FORMAT_NAMES[description.format], `${description.classes.length} classes`];
  parts.push(test > 0 ? `${count(train)} train + ${count(test)} test images` : `${count(train)} images`);
  if (description.imageShape) parts.push(description.imageShape.join('×'));
  if (description.skipped.length > 0) parts.push(`${count(description.skipped.length)} unreadable files skipped`);
  return parts.join(' · ');
}

/** Per-class training counts, e.g. `circle 200 · cross 200 · …`, cut after `maxClasses`. */
export function classCountsText(description: DatasetDescription, maxClasses = 8): string {
  const shown = description.classes.slice(0, maxClasses).map((c) => `${c.name} ${count(c.trainCount)}`);
  const rest = description.classes.length - shown.length;
  return rest > 0 ? `${shown.join(' · ')} · +${rest} more` : shown.join(' · ');
}

/** Why a dataset cannot be trained on as it is, or undefined when it can. */
export function datasetProblem(description: DatasetDescription): string | undefined {
  const usable = description.classes.filter((c) => c.trainCount > 0);
  if (usable.length < 2) return `It needs at least two classes with training images (found ${usable.length}).`;
  return undefined;
}
