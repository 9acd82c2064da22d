// Rule: a plateau: validation accuracy has not improved for many epochs while training went on.
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { percent, runHistory } from '../runHistory';

/** Epochs without improvement that count as a plateau. */
export const PLATEAU_EPOCHS = 5;
/** Smaller gains than this do not count as improvement. */
export const MIN_IMPROVEMENT = 0.005;

export function plateau(input: DoctorInput): Diagnosis | undefined {
  const { epochs } = runHistory(input.events);
  const last = epochs.at(-1);
  if (!last) return undefined;
  const best = Math.max(...epochs.map((e) => e.valAcc));
  const reached = epochs.find((e) => e.valAcc >= best - MIN_IMPROVEMENT)!;
  const stalled = last.epoch - reached.epoch;
  const patience = input.spec.training.earlyStoppingPatience;
  // Early stopping ends such runs itself.
  if (stalled < PLATEAU_EPOCHS || (patience > 0 && stalled >= patience)) return undefined;
  const suggested = Math.max(2, Math.ceil(PLATEAU_EPOCHS / 2));
  return {
    rule: 'plateau',
    severity: 'info',
    epoch: reached.epoch,
    message: `Validation accuracy has not improved for ${stalled} epochs (${percent(best)} since epoch ${reached.epoch}): the later epochs added nothing. ` +
      'A learning rate that decays when progress stalls would help it go further; early stopping would save the time.',
    fix: { kind: 'rerunWith', title: `Rerun with early stopping after ${suggested} epochs without progress`, changes: { patience: suggested } },
    data: { stalledEpochs: stalled, bestValAcc: best },
  };
}
