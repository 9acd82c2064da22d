// What the batch and epoch losses say about the learning rate, shared by the too-high and too-low rules.
import type { RecordedEvent } from '../../runs/recordedEvent';
import type { RunHistory } from '../runHistory';

/** A batch loss in the first epoch at least this many times the starting loss: the first steps overshot. */
export const SPIKE_FACTOR = 2;
/** An epoch whose training loss rose by more than this fraction (and SWING_MIN_RISE) over the previous one. */
export const SWING_FRACTION = 0.1;
export const SWING_MIN_RISE = 0.05;

export interface LearningRateSigns {
  /** The largest batch loss of the first epoch (after its first batch), relative to the starting loss. */
  firstEpochPeak: number;
  /** Epochs whose training loss rose by more than SWING_FRACTION over the previous epoch's. */
  rises: number[];
  /** The last epoch's training loss relative to the starting loss. */
  lastRelative: number;
}

export function learningRateSigns(history: RunHistory, events: readonly RecordedEvent[]): LearningRateSigns | undefined {
  const { epochs, initialLoss } = history;
  if (epochs.length === 0 || initialLoss === undefined || !(initialLoss > 0)) return undefined;
  const batches = events.filter((e) => e.type === 'batchEnd');
  const firstEpochLosses = batches.filter((e) => e.epoch === batches[0]?.epoch).slice(1).map((e) => e.loss);
  const firstEpochPeak = firstEpochLosses.length > 0 ? Math.max(...firstEpochLosses) / initialLoss : 0;
  const rises: number[] = [];
  for (let i = 1; i < epochs.length; i++) {
    const rise = epochs[i].loss - epochs[i - 1].loss;
    if (rise > Math.max(SWING_FRACTION * epochs[i - 1].loss, SWING_MIN_RISE)) rises.push(epochs[i].epoch);
  }
  return { firstEpochPeak, rises, lastRelative: epochs.at(-1)!.loss / initialLoss };
}
