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
  return clusterTrialRunner(lab, choice.parallel) ?? choice.local();
}

/** The runner that makes each trial a Slurm job when the executor is slurm (`parallel` at once), else undefined: trials train here. */
export function clusterTrialRunner(lab: Pick<Lab, 'slurm'>, parallel: number): TrialRunner | undefined {
  if (readExecutorSettings().executor !== 'slurm') return undefined;
  if (!vscode.workspace.isTrusted) throw new Error('Classifier Lab submits no Slurm jobs in Restricted Mode: trust this workspace first.');
  return new SlurmSweepTrialRunner(lab.slurm, Math.max(1, Math.floor(parallel)));
}
