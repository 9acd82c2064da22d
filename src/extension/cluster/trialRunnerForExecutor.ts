// The trial runner of a sweep started in this window, for the executor of the moment: with
// `classifierLab.executor` set to slurm, each trial is a Slurm job (up to `parallel` at once, spread by
// Slurm over its nodes, shown in the Experiments view with their job states); otherwise the caller's
// local runner. Read once, when the sweep starts.
import * as vscode from 'vscode';
import type { TrialRunner } from '../../core/sweeps/trialRunner';
import { SlurmSweepTrialRunner } from '../../processes/slurm/slurmSweepTrialRunner';
import type { Lab } from '../lab';
import { readExecutorSettings } from '../settings';

export interface TrialRunnerChoice {
  /** How many trials the sweep lets run at once. */
  parallel: number;
  /** The runner for trials trained on this machine. */
  local(): TrialRunner;
}

export function trialRunnerForExecutor(lab: Pick<Lab, 'slurm'>, choice: TrialRunnerChoice): TrialRunner {
  if (readExecutorSettings().executor !== 'slurm') return choice.local();
  if (!vscode.workspace.isTrusted) throw new Error('Classifier Lab submits no Slurm jobs in Restricted Mode: trust this workspace first.');
  return new SlurmSweepTrialRunner(lab.slurm, Math.max(1, Math.floor(choice.parallel)));
}
