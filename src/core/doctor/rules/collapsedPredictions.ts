// Rule: the model collapsed: it predicts one class for every image, or its accuracy is no better than
// always answering the most common class.
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { formatRate, percent, runHistory } from '../runHistory';
import { learningRateFix } from './learningRateFix';
import { learningRateSigns, SPIKE_FACTOR } from './learningRateSigns';

/** At chance: validation accuracy within this much of the most common class's share... */
export const CHANCE_MARGIN = 0.02;
/** ...for the last this many epochs, judged once the run has trained at least MIN_EPOCHS. */
export const CHANCE_EPOCHS = 2;
export const MIN_EPOCHS = 3;

export function collapsedPredictions(input: DoctorInput): Diagnosis | undefined {
  const history = runHistory(input.events);
  const last = history.epochs.at(-1);
  if (!last || last.perClass.length < 2) return undefined;
  const present = last.perClass.filter((c) => c.support > 0);
  const total = present.reduce((sum, c) => sum + c.support, 0);
  if (total === 0) return undefined;
  const majority = Math.max(...present.map((c) => c.support)) / total;
  const only = present.filter((c) => c.recall > 0);
  const oneClass = only.length === 1 && only[0].recall >= 0.999;
  const recent = history.epochs.slice(-CHANCE_EPOCHS);
  const atChance = history.epochs.length >= MIN_EPOCHS && recent.every((e) => e.valAcc <= majority + CHANCE_MARGIN);
  if (!oneClass && !atChance) return undefined;

  const rate = input.spec.training.learningRate;
  const signs = learningRateSigns(history, input.events);
  const overshot = signs !== undefined && (signs.firstEpochPeak >= SPIKE_FACTOR || signs.lastRelative >= 2);
  const still = signs !== undefined && !overshot && Math.abs(signs.lastRelative - 1) < 0.05;
  const cause = overshot
    ? ` The loss overshot early on: the learning rate (${formatRate(rate)}) is likely too high.`
    : still ? ` The loss has hardly moved: the learning rate (${formatRate(rate)}) may be too low.` : '';
  const factor = overshot ? 0.1 : still ? 10 : undefined;
  const what = oneClass
    ? `The model predicts "${only[0].label}" for every validation image`
    : `Validation accuracy (${percent(last.valAcc)}) is no better than always answering the most common class (${percent(majority)})`;
  return {
    rule: 'collapsedPredictions',
    severity: 'error',
    epoch: last.epoch,
    message: `${what} at epoch ${last.epoch}: it has not learned to tell the classes apart.${cause}`,
    ...(factor !== undefined ? { fix: learningRateFix(rate, factor) } : {}),
    data: { valAcc: last.valAcc, chance: majority },
  };
}
