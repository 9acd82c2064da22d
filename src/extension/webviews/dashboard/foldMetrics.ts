// metrics.jsonl events -> the dashboard's series, folded one event at a time as the file is read: per-batch
// points (bounded, see batchPoints.ts), per-epoch points, the test result and the last training start.
import type { RecordedEvent } from '../../../core/runs/recordedEvent';
import type { EpochPoint, TestResult, TrainingStart } from '../../../protocol/dashboardView';
import { BatchPoints, DEFAULT_BATCH_POINT_BUDGET } from './batchPoints';

export { emptyBatchSeries } from './batchPoints';

/** The message forms of individual events, for streaming. */
export function toTrainingStart(event: Extract<RecordedEvent, { type: 'runStart' }>): TrainingStart {
  return { time: event.time, backend: event.backend, batchesPerEpoch: event.batchesPerEpoch, startEpoch: event.startEpoch, epochs: event.epochs };
}

export function toEpochPoint(event: Extract<RecordedEvent, { type: 'epochEnd' }>): EpochPoint {
  return {
    epoch: event.epoch, time: event.time, loss: event.loss, acc: event.acc,
    // A run without a validation split has no validation numbers (and none are made up).
    ...(event.valLoss !== undefined && event.valAcc !== undefined ? { valLoss: event.valLoss, valAcc: event.valAcc } : {}),
    learningRate: event.learningRate, imagesPerSecond: event.imagesPerSecond, durationMs: event.durationMs,
    isBest: event.isBest, perClass: event.perClass,
    // System metrics, in runs recorded since they exist.
    ...(event.cpuPercent !== undefined ? { cpuPercent: event.cpuPercent } : {}),
    ...(event.rssBytes !== undefined ? { rssBytes: event.rssBytes } : {}),
    ...(event.peakRssBytes !== undefined ? { peakRssBytes: event.peakRssBytes } : {}),
  };
}

export function toTestResult(event: Extract<RecordedEvent, { type: 'testEnd' }>): TestResult {
  return { epoch: event.epoch, loss: event.loss, acc: event.acc, perClass: event.perClass };
}

/** A run trains at most 10,000 epochs; a file that claims more is damaged or hostile and is not held whole. */
export const MAX_EPOCH_POINTS = 10_000;

/**
 * A run's events folded in file order. A resumed run appends a runStart whose startEpoch is the epoch
 * after its checkpoint; anything already recorded for that epoch or later (an interrupted epoch's
 * batches) is replaced by what follows.
 */
export class MetricsFold {
  start?: TrainingStart;
  test?: TestResult;
  readonly batches: BatchPoints;
  private readonly epochPoints = new Map<number, EpochPoint>();

  constructor(batchPointBudget = DEFAULT_BATCH_POINT_BUDGET) {
    this.batches = new BatchPoints(batchPointBudget);
  }

  /** Finished epochs in order. */
  get epochs(): EpochPoint[] {
    return [...this.epochPoints.values()].sort((a, b) => a.epoch - b.epoch);
  }

  add(event: RecordedEvent): void {
    switch (event.type) {
      case 'runStart':
        this.start = toTrainingStart(event);
        this.batches.dropFrom(event.startEpoch);
        for (const epoch of [...this.epochPoints.keys()]) if (epoch >= event.startEpoch) this.epochPoints.delete(epoch);
        return;
      case 'batchEnd':
        this.batches.add(event);
        return;
      case 'epochEnd':
        if (this.epochPoints.size < MAX_EPOCH_POINTS || this.epochPoints.has(event.epoch)) this.epochPoints.set(event.epoch, toEpochPoint(event));
        return;
      case 'testEnd':
        this.test = toTestResult(event);
        return;
      case 'runEnd':
        // The run's last batches are all there will be: show them even if they fill no whole point.
        this.batches.flush();
        return;
    }
  }
}

/** Folds a whole list of events (see MetricsFold), every batch point included. */
export function foldMetrics(events: readonly RecordedEvent[], batchPointBudget?: number): MetricsFold {
  const fold = new MetricsFold(batchPointBudget);
  for (const event of events) fold.add(event);
  fold.batches.flush();
  return fold;
}
