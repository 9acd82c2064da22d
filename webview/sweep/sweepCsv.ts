// A sweep's trials as CSV: trial, status, metric, every parameter, epochs and the run (for spreadsheets and notebooks).
import type { SweepView } from '../../src/protocol/sweepView';
import { toCsv } from '../shared/csv';

export function sweepCsv(sweep: Pick<SweepView, 'trials' | 'params' | 'metric'>): string {
  const header = ['trial', 'status', sweep.metric, 'valAcc', 'valLoss', ...sweep.params.map((p) => p.name), 'epochs', 'lastEpoch', 'testAcc', 'durationMs', 'runId', 'runName', 'error'];
  const rows = sweep.trials.map((trial) => [
    trial.trial, trial.status, trial.value, trial.valAcc, trial.valLoss, ...sweep.params.map((p) => trial.params[p.name]),
    trial.epochs, trial.lastEpoch, trial.testAcc, trial.durationMs, trial.runId, trial.runName, trial.error,
  ]);
  return toCsv(header, rows);
}
