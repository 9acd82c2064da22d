// Rule: overfitting: training accuracy far above validation accuracy while the validation loss climbs
// from its lowest point: the model memorises the training images instead of learning the classes.
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { percent, runHistory } from '../runHistory';

/** Far above: training accuracy at least this much higher than validation accuracy. */
export const ACCURACY_GAP = 0.15;
/** Climbing: the validation loss at least this fraction above its lowest... */
export const VAL_LOSS_RISE = 0.1;
/** ...which came at least this many epochs before the last. */
export const RISING_EPOCHS = 2;

export function overfitting(input: DoctorInput): Diagnosis | undefined {
  const { epochs } = runHistory(input.events);
  const last = epochs.at(-1);
  if (!last || epochs.length < RISING_EPOCHS + 1 || !last.validated || (input.spec.data.valSplit ?? 0) === 0) return undefined;
  const lowest = epochs.reduce((best, e) => (e.valLoss < best.valLoss ? e : best), epochs[0]);
  const gap = last.acc - last.valAcc;
  const rising = last.valLoss >= lowest.valLoss * (1 + VAL_LOSS_RISE) && last.epoch - lowest.epoch >= RISING_EPOCHS;
  if (gap < ACCURACY_GAP || !rising) return undefined;
  const changes: Record<string, string | number> = {};
  const remedies: string[] = [];
  const { augment, training, model } = input.spec;
  if (!augment.flip && augment.rotateDegrees === 0 && augment.cropPadding === 0 && augment.brightness === 0) {
    changes.augment = 'crop';
    remedies.push('augmentation (random crops)');
  }
  if ('dropout' in model.options && model.options.dropout < 0.3) {
    changes['model.dropout'] = 0.3;
    remedies.push('dropout 0.3');
  }
  if (training.earlyStoppingPatience === 0) {
    changes.patience = 3;
    remedies.push('early stopping after 3 epochs without progress');
  }
  remedies.push('more training images');
  return {
    rule: 'overfitting',
    severity: 'warning',
    epoch: lowest.epoch,
    message: `Overfitting since epoch ${lowest.epoch}: training accuracy ${percent(last.acc)} against validation ${percent(last.valAcc)} at epoch ${last.epoch}, ` +
      `and the validation loss rose from ${lowest.valLoss.toFixed(3)} to ${last.valLoss.toFixed(3)}. The model is memorising its training images; ` +
      `try ${remedies.join(', ')}.`,
    ...(Object.keys(changes).length > 0 ? { fix: { kind: 'rerunWith' as const, title: `Rerun with ${remedies.slice(0, -1).join(', ')}`, changes } } : {}),
    data: { accuracyGap: gap, lowestValLoss: lowest.valLoss, valLoss: last.valLoss },
  };
}
