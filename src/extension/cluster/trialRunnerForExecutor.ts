// The cluster trial runner of a sweep started in this window, for the executor of the moment: with
// `classifierLab.executor` set to slurm, each trial is a Slurm job (up to `parallel` at once, spread by
// Slurm over its nodes, shown in the Experiments view with their job states); otherwise none, and the
// trials go through the window's queue. Read when a sweep starts or resumes.
import * as vscode from 'vscode';
import type { TrialRunner } from '../../core/sweeps/trialRunner';
import { SlurmSweepTrialRunner } from '../../processes/slurm/slurmSweepTrialRunner';
import type { Lab } from '../lab';
import { readExecutorSettings } from '../settings';

/** The runner that makes each trial a Slurm job when the executor is slurm (`parallel` at once), else undefined: trials train here. */
export function clusterTrialRunner(lab: Pick<Lab, 'slurm'>, parallel: number): TrialRunner | undefined {
  if (readExecutorSettings().executor !== 'slurm') return undefined;
  if (!vscode.workspace.isTrusted) throw new Error('Classifier Lab submits no Slurm jobs in Restricted Mode: trust this workspace first.');
  return new SlurmSweepTrialRunner(lab.slurm, Math.max(1, Math.floor(parallel)));
}
