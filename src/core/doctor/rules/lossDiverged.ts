// Rule: the training loss grew far above where it started and stayed there (diverged).
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { formatRate, runHistory } from '../runHistory';
import { learningRateFix } from './learningRateFix';

/** Diverged: the last epoch's training loss is at least this many times the loss before learning. */
export const DIVERGED_FACTOR = 2;

export function lossDiverged(input: DoctorInput): Diagnosis | undefined {
  const { epochs, initialLoss } = runHistory(input.events);
  const last = epochs.at(-1);
  if (!last || initialLoss === undefined || !(initialLoss > 0) || !(last.loss >= DIVERGED_FACTOR * initialLoss)) return undefined;
  const since = epochs.find((e) => e.loss >= DIVERGED_FACTOR * initialLoss)!;
  const rate = input.spec.training.learningRate;
  return {
    rule: 'lossDiverged',
    severity: 'error',
    epoch: since.epoch,
    message: `Training diverged: the loss rose from ${initialLoss.toFixed(3)} at the start to ${last.loss.toFixed(3)} by epoch ${last.epoch} ` +
      `instead of falling. The learning rate (${formatRate(rate)}) is too high; try a tenth of it.`,
    fix: learningRateFix(rate, 0.1),
    data: { initialLoss, loss: last.loss },
  };
}
