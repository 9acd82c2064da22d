// The run's training curves as the dashboard holds them: the snapshot, then streamed batches and
// epochs appended; a resumed run's restart replaces what was recorded from its start epoch on.
import type { BatchSeries, EpochPoint, RunSnapshot, TestResult, TrainingStart } from '../../src/protocol/dashboardView';

export class RunMetrics {
  start?: TrainingStart;
  /** Per-batch columns; `x` is the position in epochs (epoch 2, batch 50 of 100 is 1.5). */
  readonly batches: BatchSeries & { x: number[] } = { step: [], epoch: [], loss: [], acc: [], learningRate: [], imagesPerSecond: [], x: [] };
  epochs: EpochPoint[] = [];
  test?: TestResult;
  /** Batches the run recorded; each point of `batches` averages `batchesPerPoint` of them. */
  batchCount = 0;
  batchesPerPoint = 1;
  /** Bumped on every change, so views redraw only when something changed. */
  version = 0;

  static fromSnapshot(snapshot: Pick<RunSnapshot, 'start' | 'batches' | 'epochs' | 'test'> & Partial<Pick<RunSnapshot, 'batchCount' | 'batchesPerPoint'>>): RunMetrics {
    const metrics = new RunMetrics();
    if (snapshot.start) metrics.start = snapshot.start;
    metrics.appendBatches(snapshot.batches);
    metrics.batchCount = snapshot.batchCount ?? snapshot.batches.step.length;
    metrics.batchesPerPoint = snapshot.batchesPerPoint ?? 1;
    metrics.epochs = [...snapshot.epochs].sort((a, b) => a.epoch - b.epoch);
    if (snapshot.test) metrics.test = snapshot.test;
    return metrics;
  }

  /** True when the run has no validation split: its epochs have training numbers only. */
  get trainingOnly(): boolean {
    return this.epochs.length > 0 && this.epochs.every((point) => point.valAcc === undefined);
  }

  /** Streamed batch points: appended, or all of them replaced (the host merged points or a resume dropped some). */
  receiveBatches(series: BatchSeries, counts: { batchCount: number; batchesPerPoint: number; replace?: boolean }): void {
    if (counts.replace) {
      for (const column of Object.values(this.batches) as number[][]) column.length = 0;
      this.version += 1;
    }
    this.appendBatches(series);
    this.batchCount = counts.batchCount;
    this.batchesPerPoint = counts.batchesPerPoint;
  }

  get batchesPerEpoch(): number | undefined {
    return this.start?.batchesPerEpoch;
  }

  applyStart(start: TrainingStart): void {
    this.start = start;
    let keep = this.batches.epoch.length;
    while (keep > 0 && this.batches.epoch[keep - 1] >= start.startEpoch) keep -= 1;
    this.batchCount = Math.max(0, this.batchCount - (this.batches.epoch.length - keep) * this.batchesPerPoint);
    for (const column of Object.values(this.batches) as number[][]) column.length = keep;
    this.epochs = this.epochs.filter((point) => point.epoch < start.startEpoch);
    this.version += 1;
  }

  appendBatches(series: BatchSeries): void {
    const perEpoch = this.batchesPerEpoch;
    for (let i = 0; i < series.step.length; i++) {
      this.batches.step.push(series.step[i]);
      this.batches.epoch.push(series.epoch[i]);
      this.batches.loss.push(series.loss[i]);
      this.batches.acc.push(series.acc[i]);
      this.batches.learningRate.push(series.learningRate[i]);
      this.batches.imagesPerSecond.push(series.imagesPerSecond[i]);
      // Without a plan (a run from before runStart was recorded) batches sit at their epoch's end.
      this.batches.x.push(perEpoch ? series.step[i] / perEpoch : series.epoch[i]);
    }
    if (series.step.length > 0) this.version += 1;
  }

  addEpoch(point: EpochPoint): void {
    this.epochs = this.epochs.filter((existing) => existing.epoch !== point.epoch);
    this.epochs.push(point);
    this.epochs.sort((a, b) => a.epoch - b.epoch);
    this.version += 1;
  }

  setTest(test: TestResult): void {
    this.test = test;
    this.version += 1;
  }

  /**
   * The epoch with the best validation accuracy (ties: lower validation loss), as the trainer picks it;
   * for a run without a validation split, the best by training accuracy (ties: lower training loss).
   */
  bestEpoch(): EpochPoint | undefined {
    const trainingOnly = this.trainingOnly;
    const accuracy = (point: EpochPoint) => (trainingOnly ? point.acc : point.valAcc ?? -1);
    const loss = (point: EpochPoint) => (trainingOnly ? point.loss : point.valLoss ?? Infinity);
    let best: EpochPoint | undefined;
    for (const point of this.epochs) {
      if (!best || accuracy(point) > accuracy(best) || (accuracy(point) === accuracy(best) && loss(point) < loss(best))) best = point;
    }
    return best;
  }
}
