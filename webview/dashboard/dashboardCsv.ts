// The dashboard's CSV exports: metrics per epoch and per batch, and confusion matrices.
import type { BatchSeries, ConfusionView, EpochPoint } from '../../src/protocol/dashboardView';
import { toCsv } from '../shared/csv';

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
