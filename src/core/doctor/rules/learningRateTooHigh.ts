// Rule: the learning rate is too high: the first steps threw the loss up and it never got below where it
// started, or the training loss keeps swinging up from epoch to epoch.
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { formatRate, runHistory } from '../runHistory';
import { learningRateFix } from './learningRateFix';
import { DIVERGED_FACTOR } from './lossDiverged';
import { learningRateSigns, SPIKE_FACTOR } from './learningRateSigns';

/** Stuck: the last epoch's loss is still at least this fraction of the starting loss. */
export const STUCK_FRACTION = 0.8;
/** Swinging: at least this many epochs whose loss rose clearly over the previous epoch's. */
export const MIN_RISES = 2;

export function learningRateTooHigh(input: DoctorInput): Diagnosis | undefined {
  const history = runHistory(input.events);
  const signs = learningRateSigns(history, input.events);
  if (!signs || signs.lastRelative >= DIVERGED_FACTOR) return undefined; // lossDiverged covers it.
  const overshot = signs.firstEpochPeak >= SPIKE_FACTOR && signs.lastRelative >= STUCK_FRACTION;
  const swinging = signs.rises.length >= MIN_RISES;
  if (!overshot && !swinging) return undefined;
  const rate = input.spec.training.learningRate;
  const what = overshot
    ? `The first steps threw the loss up to ${signs.firstEpochPeak.toFixed(1)} times its starting value, and ${history.epochs.length} epoch${history.epochs.length === 1 ? '' : 's'} later it is still ${Math.round(signs.lastRelative * 100)}% of where it started.`
    : `The training loss rose again in ${signs.rises.length} epochs (${signs.rises.join(', ')}) instead of settling.`;
  return {
    rule: 'learningRateTooHigh',
    severity: 'warning',
    epoch: overshot ? history.epochs[0].epoch : signs.rises[0],
    message: `${what} The learning rate (${formatRate(rate)}) looks too high; try a third of it.`,
    fix: learningRateFix(rate, 1 / 3),
    data: { firstEpochPeak: signs.firstEpochPeak, lossRelativeToStart: signs.lastRelative },
  };
}
