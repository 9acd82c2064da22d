// The run's training curves as the dashboard holds them: the snapshot, then streamed batches and
// epochs appended; a resumed run's restart replaces what was recorded from its start epoch on.
import type { BatchSeries, EpochPoint, RunSnapshot, TestResult, TrainingStart } from '../../src/protocol/dashboardView';

export class RunMetrics {
  start?: TrainingStart;
  /** Per-batch columns; `x` is the position in epochs (epoch 2, batch 50 of 100 is 1.5). */
  readonly batches: BatchSeries & { x: number[] } = { step: [], epoch: [], loss: [], acc: [], learningRate: [], imagesPerSecond: [], x: [] };
  epochs: EpochPoint[] = [];
  test?: TestResult;
  /** Bumped on every change, so views redraw only when something changed. */
  version = 0;

  static fromSnapshot(snapshot: Pick<RunSnapshot, 'start' | 'batches' | 'epochs' | 'test'>): RunMetrics {
    const metrics = new RunMetrics();
    if (snapshot.start) metrics.start = snapshot.start;
    metrics.appendBatches(snapshot.batches);
    metrics.epochs = [...snapshot.epochs].sort((a, b) => a.epoch - b.epoch);
    if (snapshot.test) metrics.test = snapshot.test;
    return metrics;
  }

  get batchesPerEpoch(): number | undefined {
    return this.start?.batchesPerEpoch;
  }

  applyStart(start: TrainingStart): void {
    this.start = start;
    let keep = this.batches.epoch.length;
    while (keep > 0 && this.batches.epoch[keep - 1] >= start.startEpoch) keep -= 1;
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

  /** The epoch with the best validation accuracy (ties: lower validation loss), as the trainer picks it. */
  bestEpoch(): EpochPoint | undefined {
    let best: EpochPoint | undefined;
    for (const point of this.epochs) {
      if (!best || point.valAcc > best.valAcc || (point.valAcc === best.valAcc && point.valLoss < best.valLoss)) best = point;
    }
    return best;
  }
}
