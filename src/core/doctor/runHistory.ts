// A run's recorded events arranged for the doctor's rules: one entry per epoch, the batch losses in
// order, and the loss the run started from.
import type { RecordedEpochEnd, RecordedEvent } from '../runs/recordedEvent';
import type { RunEndEvent } from '../train/trainingEvents';

/**
 * An epoch as the rules read it. A run without a validation split records no validation numbers: its
 * training numbers stand in (the run chose its best epoch by them), and `validated` says so.
 */
export type HistoryEpoch = RecordedEpochEnd & { valAcc: number; valLoss: number; validated: boolean };

export interface RunHistory {
  /** One per epoch, ascending; when a resumed run recorded an epoch twice, the later record. */
  epochs: HistoryEpoch[];
  /** Training loss of every recorded batch, in order. */
  batchLosses: number[];
  /**
   * The loss before learning: the first batch's (computed before its update, so by the initial weights),
   * else the first epoch's.
   */
  initialLoss?: number;
  runEnd?: RunEndEvent;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function runHistory(events: readonly RecordedEvent[]): RunHistory {
  const byEpoch = new Map<number, RecordedEpochEnd>();
  const batchLosses: number[] = [];
  let firstBatch: number | undefined;
  let runEnd: RunEndEvent | undefined;
  for (const event of events) {
    if (event.type === 'epochEnd') byEpoch.set(event.epoch, event);
    else if (event.type === 'batchEnd') {
      batchLosses.push(event.loss);
      if (firstBatch === undefined && Number.isFinite(event.loss)) firstBatch = event.loss;
    } else if (event.type === 'runEnd') runEnd = event;
  }
  const epochs = [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch).map((e): HistoryEpoch => ({
    ...e, valAcc: e.valAcc ?? e.acc, valLoss: e.valLoss ?? e.loss, validated: e.valAcc !== undefined,
  }));
  const initialLoss = firstBatch ?? (epochs.length > 0 && Number.isFinite(epochs[0].loss) ? epochs[0].loss : undefined);
  return { epochs, batchLosses, initialLoss, runEnd };
}

/** A value from JSON that should be a number but is missing, null (how JSON writes NaN) or infinite. */
export function isNotFinite(value: unknown): boolean {
  return typeof value !== 'number' || !Number.isFinite(value);
}

/** A learning rate times `factor`, rounded to 3 significant digits as a user would type it. */
export function scaledRate(rate: number, factor: number): number {
  return Number((rate * factor).toPrecision(3));
}

/** Formats a learning rate as a user typed it: 0.0001, 3e-7. */
export function formatRate(rate: number): string {
  return Number(rate.toPrecision(3)).toString();
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
