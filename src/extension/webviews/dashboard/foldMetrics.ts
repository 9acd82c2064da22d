// metrics.jsonl events -> the dashboard's series: per-batch columns, per-epoch points, the test result.
import type { RecordedEvent } from '../../../core/runs/recordedEvent';
import type { BatchSeries, EpochPoint, RunSnapshot, TestResult, TrainingStart } from '../../../protocol/dashboardView';

export type FoldedMetrics = Pick<RunSnapshot, 'start' | 'batches' | 'epochs' | 'test'>;

export function emptyBatchSeries(): BatchSeries {
  return { step: [], epoch: [], loss: [], acc: [], learningRate: [], imagesPerSecond: [] };
}

/** How many batch points of `series` belong to epochs before `epoch` (points are in epoch order). */
function countBefore(series: BatchSeries, epoch: number): number {
  let n = series.epoch.length;
  while (n > 0 && series.epoch[n - 1] >= epoch) n -= 1;
  return n;
}

function truncateSeries(series: BatchSeries, length: number): void {
  for (const column of Object.values(series) as number[][]) column.length = length;
}

/** The message forms of individual events, for streaming; undefined for events the dashboard does not chart. */
export function toTrainingStart(event: Extract<RecordedEvent, { type: 'runStart' }>): TrainingStart {
  return { time: event.time, backend: event.backend, batchesPerEpoch: event.batchesPerEpoch, startEpoch: event.startEpoch, epochs: event.epochs };
}

export function toEpochPoint(event: Extract<RecordedEvent, { type: 'epochEnd' }>): EpochPoint {
  return {
    epoch: event.epoch, time: event.time, loss: event.loss, acc: event.acc,
    // A run without a validation split has none: its training numbers stand in (see EpochPoint).
    valLoss: event.valLoss ?? event.loss, valAcc: event.valAcc ?? event.acc,
    learningRate: event.learningRate, imagesPerSecond: event.imagesPerSecond, durationMs: event.durationMs,
    isBest: event.isBest, perClass: event.perClass,
  };
}

export function toTestResult(event: Extract<RecordedEvent, { type: 'testEnd' }>): TestResult {
  return { epoch: event.epoch, loss: event.loss, acc: event.acc, perClass: event.perClass };
}

export function appendBatch(series: BatchSeries, event: Extract<RecordedEvent, { type: 'batchEnd' }>): void {
  series.step.push((event.epoch - 1) * event.batchesPerEpoch + event.batch);
  series.epoch.push(event.epoch);
  series.loss.push(event.loss);
  series.acc.push(event.acc);
  series.learningRate.push(event.learningRate);
  series.imagesPerSecond.push(event.imagesPerSecond);
}

/**
 * Folds a run's events in file order. A resumed run appends a runStart whose startEpoch is the
 * epoch after its checkpoint; anything already recorded for that epoch or later (an interrupted
 * epoch's batches) is replaced by what follows.
 */
export function foldMetrics(events: readonly RecordedEvent[]): FoldedMetrics {
  const folded: FoldedMetrics = { batches: emptyBatchSeries(), epochs: [] };
  for (const event of events) {
    switch (event.type) {
      case 'runStart':
        folded.start = toTrainingStart(event);
        truncateSeries(folded.batches, countBefore(folded.batches, event.startEpoch));
        folded.epochs = folded.epochs.filter((point) => point.epoch < event.startEpoch);
        break;
      case 'batchEnd':
        appendBatch(folded.batches, event);
        break;
      case 'epochEnd':
        folded.epochs = folded.epochs.filter((point) => point.epoch !== event.epoch);
        folded.epochs.push(toEpochPoint(event));
        break;
      case 'testEnd':
        folded.test = toTestResult(event);
        break;
      case 'runEnd':
        break;
    }
  }
  return folded;
}
