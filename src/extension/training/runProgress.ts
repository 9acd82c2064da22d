// Where a live run stands, folded from its trainer's events: what the status bar, tree and progress notification show.
import type { ExecutionEvent } from '../../processes/runExecutor';

export interface RunProgress {
  runId: string;
  /** Epoch being trained (1-based), or the last one finished. */
  epoch: number;
  epochs: number;
  /** Batches done in `epoch`. */
  batch: number;
  batchesPerEpoch: number;
  /** Epoch training started at (above 1 when resuming). */
  startEpoch: number;
  /** Running training accuracy of the last batch, in [0, 1]. */
  batchAcc?: number;
  /** Validation accuracy of the last finished epoch (runs with a validation split). */
  lastValAcc?: number;
  /** Training accuracy of the last finished epoch, for a run without a validation split (it has no validation accuracy). */
  lastTrainAcc?: number;
  /** True once the test split is being evaluated (after the last epoch). */
  testing: boolean;
}

/** The progress after `event`; undefined before the run has started (no runStart seen yet). */
export function nextProgress(previous: RunProgress | undefined, event: ExecutionEvent, runId: string): RunProgress | undefined {
  switch (event.type) {
    case 'runStart':
      return {
        runId, epoch: event.startEpoch, epochs: event.epochs, batch: 0, batchesPerEpoch: event.batchesPerEpoch,
        startEpoch: event.startEpoch, testing: false,
      };
    case 'batchEnd':
      if (!previous) return previous;
      return { ...previous, epoch: event.epoch, batch: event.batch, batchesPerEpoch: event.batchesPerEpoch, batchAcc: event.acc };
    case 'epochEnd':
      if (!previous) return previous;
      return {
        ...previous, epoch: event.epoch, batch: previous.batchesPerEpoch, testing: event.epoch >= previous.epochs,
        // Without a validation split the epoch has training numbers only, and they are shown as such.
        ...(event.valAcc !== undefined ? { lastValAcc: event.valAcc } : { lastTrainAcc: event.acc }),
      };
    default:
      return previous;
  }
}

/** Share of the run's batches done, in [0, 1]; counts only the epochs this segment trains when resuming. */
export function progressFraction(progress: RunProgress): number {
  const epochsToTrain = progress.epochs - progress.startEpoch + 1;
  if (epochsToTrain <= 0 || progress.batchesPerEpoch <= 0) return 1;
  const epochsDone = progress.epoch - progress.startEpoch;
  const fraction = (epochsDone + progress.batch / progress.batchesPerEpoch) / epochsToTrain;
  return Math.min(1, Math.max(0, fraction));
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** One line, e.g. `epoch 2/10 · 37% · acc 91.2%`. */
export function progressText(progress: RunProgress): string {
  const parts = [`epoch ${progress.epoch}/${progress.epochs}`, formatPercent(progressFraction(progress), 0)];
  if (progress.testing) parts[1] = 'testing';
  if (progress.lastValAcc !== undefined) parts.push(`val acc ${formatPercent(progress.lastValAcc)}`);
  else if (progress.lastTrainAcc !== undefined) parts.push(`train acc ${formatPercent(progress.lastTrainAcc)}`);
  else if (progress.batchAcc !== undefined) parts.push(`acc ${formatPercent(progress.batchAcc)}`);
  return parts.join(' · ');
}
