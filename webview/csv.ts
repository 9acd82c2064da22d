// CSV text (RFC 4180) for the dashboard's exports: metrics per epoch and per batch, matrices, tables.
import type { BatchSeries, ConfusionView, EpochPoint } from '../src/protocol/webview';

type Field = string | number | boolean | undefined | null;

function field(value: Field): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Field[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

export function epochsCsv(epochs: readonly EpochPoint[]): string {
  return toCsv(
    ['epoch', 'time', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate', 'images_per_second', 'duration_ms', 'is_best'],
    epochs.map((p) => [p.epoch, p.time, p.loss, p.acc, p.valLoss, p.valAcc, p.learningRate, p.imagesPerSecond, p.durationMs, p.isBest]),
  );
}

export function batchesCsv(batches: BatchSeries): string {
  return toCsv(
    ['step', 'epoch', 'loss', 'accuracy', 'learning_rate', 'images_per_second'],
    batches.step.map((step, i) => [step, batches.epoch[i], batches.loss[i], batches.acc[i], batches.learningRate[i], batches.imagesPerSecond[i]]),
  );
}

/** Rows are true classes, columns predicted classes, like the heat map. */
export function confusionCsv(view: ConfusionView): string {
  return toCsv(['true \\ predicted', ...view.classes], view.matrix.map((row, i) => [view.classes[i], ...row]));
}
