// The CSV export of a classified set of images: one row per image, the most doubtful first.
import type { ClassifiedImage } from '../../src/protocol/classifyView';
import { toCsv } from '../shared/csv';

/**
 * Columns: file, top_class, confidence (0-1), then the other top classes as class:probability
 * pairs, then the error for images that could not be classified (those come last).
 */
export function classificationCsv(images: readonly ClassifiedImage[]): string {
  const rows = [...images].sort((a, b) => {
    if (!a.top !== !b.top) return a.top ? -1 : 1;
    return (a.top?.[0]?.probability ?? 0) - (b.top?.[0]?.probability ?? 0) || a.index - b.index;
  });
  return toCsv(['file', 'top_class', 'confidence', 'other_classes', 'error'], rows.map((image) => {
    const [first, ...others] = image.top ?? [];
    return [image.path, first?.label, first?.probability.toFixed(6), others.map((o) => `${o.label}:${o.probability.toFixed(6)}`).join(' '), image.error];
  }));
}
