// Rule: the loss became NaN or infinite, so training stopped (or every number after it is meaningless).
import type { Diagnosis, DoctorInput } from '../diagnosis';
import { formatRate, isNotFinite, runHistory } from '../runHistory';
import { learningRateFix } from './learningRateFix';

/** The training loop's own message when it stops on a non-finite loss (trainModel.ts). */
const STOPPED = /loss became (NaN|Infinity|-Infinity) at epoch (\d+)/;

export function lossNotFinite(input: DoctorInput): Diagnosis | undefined {
  const { epochs, runEnd } = runHistory(input.events);
  const error = runEnd?.error ?? input.error ?? '';
  const stopped = STOPPED.exec(error);
  const badEpoch = epochs.find((e) => isNotFinite(e.loss) || isNotFinite(e.valLoss));
  const badBatch = input.events.find((e) => e.type === 'batchEnd' && isNotFinite(e.loss));
  if (!stopped && !badEpoch && !badBatch) return undefined;
  const epoch = stopped ? Number(stopped[2]) : badEpoch?.epoch ?? (badBatch as { epoch: number }).epoch;
  const value = stopped ? stopped[1] : 'NaN';
  const rate = input.spec.training.learningRate;
  return {
    rule: 'lossNotFinite',
    severity: 'error',
    epoch,
    message: `The loss became ${value} at epoch ${epoch}: the weights blew up, so the run learned nothing after that. ` +
      `The learning rate (${formatRate(rate)}) is too high for this model and data; try a tenth of it.`,
    fix: learningRateFix(rate, 0.1),
  };
}
