// The CSV export of a classified set of images: one row per image, the most doubtful first.
import type { ClassifiedImage } from '../../protocol/classifyView';

function cell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Columns: file, top_class, confidence (0-1), then the other top classes as class:probability
 * pairs, then the error for images that could not be classified (those come last).
 */
export function classificationCsv(images: readonly ClassifiedImage[]): string {
  const rows = [...images].sort((a, b) => {
    if (!a.top !== !b.top) return a.top ? -1 : 1;
    return (a.top?.[0]?.probability ?? 0) - (b.top?.[0]?.probability ?? 0) || a.index - b.index;
  });
  const lines = [['file', 'top_class', 'confidence', 'other_classes', 'error'].join(',')];
  for (const image of rows) {
    const [first, ...others] = image.top ?? [];
    lines.push([
      cell(image.path),
      cell(first?.label ?? ''),
      first ? first.probability.toFixed(6) : '',
      cell(others.map((o) => `${o.label}:${o.probability.toFixed(6)}`).join(' ')),
      cell(image.error ?? ''),
    ].join(','));
  }
  return lines.join('\n') + '\n';
}
