// Rule: the learning rate is too low: after several epochs the loss has barely moved from where it started,
// and nothing overshot (which would point the other way).
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { formatRate, runHistory } from '../runHistory';
import { learningRateFix } from './learningRateFix';
import { learningRateSigns } from './learningRateSigns';

/** Epochs to wait before judging: some runs take a couple of epochs to get going. */
export const MIN_EPOCHS = 4;
/** Barely moving: the last epoch's loss is within this fraction of the starting loss. */
export const STILL_FRACTION = 0.02;
/** Calm: no batch of the first epoch went above this multiple of the starting loss. */
export const CALM_PEAK = 1.5;

export function learningRateTooLow(input: DoctorInput): Diagnosis | undefined {
  const history = runHistory(input.events);
  const signs = learningRateSigns(history, input.events);
  if (!signs || history.epochs.length < MIN_EPOCHS) return undefined;
  if (Math.abs(signs.lastRelative - 1) >= STILL_FRACTION || signs.firstEpochPeak > CALM_PEAK) return undefined;
  const rate = input.spec.training.learningRate;
  const last = history.epochs.at(-1)!;
  return {
    rule: 'learningRateTooLow',
    severity: 'warning',
    epoch: last.epoch,
    message: `After ${history.epochs.length} epochs the training loss (${last.loss.toFixed(3)}) is within ${Math.round(STILL_FRACTION * 100)}% of where it started ` +
      `(${history.initialLoss!.toFixed(3)}): the model is barely learning. The learning rate (${formatRate(rate)}) looks too low; try ten times it.`,
    fix: learningRateFix(rate, 10),
    data: { lossRelativeToStart: signs.lastRelative },
  };
}
