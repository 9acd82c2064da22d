// The per-batch series a dashboard sends, kept to a bounded number of points however long the run: up to
// `budget` points, each the average of `batchesPerPoint` consecutive batches (1 until the run outgrows the
// budget; then neighbouring points merge in pairs and it doubles). A chart is at most a few thousand
// pixels wide, so the page never needs more; the host never holds more than the budget either.
import type { RecordedEvent } from '../../../core/runs/recordedEvent';
import type { BatchSeries } from '../../../protocol/dashboardView';

type BatchEvent = Extract<RecordedEvent, { type: 'batchEnd' }>;

/** Points kept (at most) before neighbours merge: about two per pixel of a wide chart. */
export const DEFAULT_BATCH_POINT_BUDGET = 4096;

interface Point {
  /** Global batch number of the point's last batch: (epoch - 1) * batchesPerEpoch + batch. */
  step: number;
  /** Epoch of the point's last batch. */
  epoch: number;
  /** Batches averaged into the point. */
  count: number;
  loss: number;
  acc: number;
  learningRate: number;
  imagesPerSecond: number;
}

/** Points changed since the last `takeNew`: appended ones, or all of them when earlier points changed. */
export interface BatchPointsUpdate {
  batches: BatchSeries;
  /** True when the page must replace what it has (points merged, or a resume dropped some). */
  replace: boolean;
}

/** The weighted mean of two points' values; NaN stays NaN (a diverged loss must stay visible). */
function merge(a: Point, b: Point): Point {
  const count = a.count + b.count;
  const mean = (x: number, y: number) => (x * a.count + y * b.count) / count;
  return {
    step: b.step, epoch: b.epoch, count,
    loss: mean(a.loss, b.loss), acc: mean(a.acc, b.acc), learningRate: mean(a.learningRate, b.learningRate), imagesPerSecond: mean(a.imagesPerSecond, b.imagesPerSecond),
  };
}

export function emptyBatchSeries(): BatchSeries {
  return { step: [], epoch: [], loss: [], acc: [], learningRate: [], imagesPerSecond: [] };
}

function toSeries(points: readonly Point[]): BatchSeries {
  const series = emptyBatchSeries();
  for (const point of points) {
    series.step.push(point.step);
    series.epoch.push(point.epoch);
    series.loss.push(point.loss);
    series.acc.push(point.acc);
    series.learningRate.push(point.learningRate);
    series.imagesPerSecond.push(point.imagesPerSecond);
  }
  return series;
}

export class BatchPoints {
  private points: Point[] = [];
  /** The batches of the point being filled (fewer than batchesPerPoint). */
  private partial?: Point;
  private perPoint = 1;
  /** Every batch represented, complete points and the partial one. */
  private batches = 0;
  /** Points the page already has (see takeNew). */
  private sent = 0;
  private changedBefore = false;
  /** The page was sent the partial point as its last one (a snapshot): when it fills, the page's copy is stale. */
  private partialSent = false;

  constructor(private readonly budget = DEFAULT_BATCH_POINT_BUDGET) {
    if (budget < 2) throw new Error('A batch point budget must be at least 2.');
  }

  /** Batches recorded (not points). */
  get batchCount(): number {
    return this.batches;
  }

  get batchesPerPoint(): number {
    return this.perPoint;
  }

  /** Complete points (the partial one is left out until it fills, or `flush`). */
  get pointCount(): number {
    return this.points.length;
  }

  add(event: BatchEvent): void {
    const point: Point = {
      step: (event.epoch - 1) * event.batchesPerEpoch + event.batch, epoch: event.epoch, count: 1,
      loss: event.loss, acc: event.acc, learningRate: event.learningRate, imagesPerSecond: event.imagesPerSecond,
    };
    this.batches += 1;
    this.partial = this.partial ? merge(this.partial, point) : point;
    if (this.partial.count < this.perPoint) return;
    this.commitPartial();
    // Halving at exactly the budget (an even number of equal points) keeps every point the same size.
    if (this.points.length >= this.budget) this.halve();
  }

  /** Closes the point being filled early, so it is sent too (the end of a run: no more batches will come). */
  flush(): void {
    if (!this.partial) return;
    this.commitPartial();
    if (this.points.length > this.budget) this.halve();
  }

  private commitPartial(): void {
    if (!this.partial) return;
    this.points.push(this.partial);
    this.partial = undefined;
    if (this.partialSent) {
      // The page has an earlier state of this point as its last one: it must take the points anew.
      this.partialSent = false;
      this.changedBefore = true;
    }
  }

  /** Drops what was recorded for `epoch` and later (a resume replaces it); a point that reaches into it goes whole. */
  dropFrom(epoch: number): void {
    if (this.partial && this.partial.epoch >= epoch) {
      this.batches -= this.partial.count;
      this.partial = undefined;
      if (this.partialSent) {
        this.partialSent = false;
        this.changedBefore = true;
      }
    }
    let keep = this.points.length;
    while (keep > 0 && this.points[keep - 1].epoch >= epoch) keep -= 1;
    if (keep === this.points.length) return;
    for (const point of this.points.slice(keep)) this.batches -= point.count;
    this.points.length = keep;
    if (keep < this.sent) this.changedBefore = true;
  }

  /** Every complete point as columns, and the point being filled as the last one when `withPartial`. */
  series(withPartial = false): BatchSeries {
    return toSeries(withPartial && this.partial ? [...this.points, this.partial] : this.points);
  }

  /** What the page lacks since the last call (everything on the first). */
  takeNew(): BatchPointsUpdate {
    const replace = this.changedBefore;
    const update = { batches: toSeries(replace ? this.points : this.points.slice(this.sent)), replace };
    this.sent = this.points.length;
    this.changedBefore = false;
    return update;
  }

  /** Marks every complete point as sent (a snapshot carried them all), and the partial one when it did too. */
  markSent(withPartial = false): void {
    this.sent = this.points.length;
    this.changedBefore = false;
    this.partialSent = withPartial && this.partial !== undefined;
  }

  private halve(): void {
    while (this.points.length >= this.budget) {
      const merged: Point[] = [];
      for (let i = 0; i < this.points.length; i += 2) merged.push(i + 1 < this.points.length ? merge(this.points[i], this.points[i + 1]) : this.points[i]);
      this.points = merged;
      this.perPoint *= 2;
    }
    this.changedBefore = true;
  }
}
