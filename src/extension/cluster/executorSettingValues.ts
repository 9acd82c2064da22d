// Where runs train, as the settings say: `classifierLab.executor` (this machine, or Slurm) and the
// `classifierLab.slurm.*` options of a submission, as typed values. Empty text means "not set" (Slurm's
// own default). Values are checked when a run is submitted, where a bad one gets a message naming it.
import type { SlurmOptions } from '../../core/cluster/slurmOptions';
import { isOneOf } from '../../core/guards';
import type { SettingReader } from '../settingsValues';

export const EXECUTORS = ['local', 'slurm'] as const;
/** `local`: trainer processes on this machine; `slurm`: one Slurm batch job per run. */
export type ExecutorKind = (typeof EXECUTORS)[number];

export interface ExecutorSettings {
  executor: ExecutorKind;
  slurm: SlurmOptions;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

export function readExecutorSettingValues(read: SettingReader): ExecutorSettings {
  const executor = read('executor');
  const cpusPerTask = read('slurm.cpusPerTask');
  const extraArgs = read('slurm.extraArgs');
  const setupScript = read('slurm.setupScript');
  const slurm: SlurmOptions = {};
  const partition = text(read('slurm.partition'));
  if (partition !== undefined) slurm.partition = partition;
  // A malformed number is kept, so the submission says what is wrong with it rather than quietly using 1.
  if (typeof cpusPerTask === 'number') slurm.cpusPerTask = cpusPerTask;
  const memory = text(read('slurm.memory'));
  if (memory !== undefined) slurm.memory = memory;
  const timeLimit = text(read('slurm.timeLimit'));
  if (timeLimit !== undefined) slurm.timeLimit = timeLimit;
  const account = text(read('slurm.account'));
  if (account !== undefined) slurm.account = account;
  if (Array.isArray(extraArgs)) {
    const args = extraArgs.filter((arg): arg is string => typeof arg === 'string').map((arg) => arg.trim()).filter((arg) => arg.length > 0);
    if (args.length > 0) slurm.extraArgs = args;
  }
  if (typeof setupScript === 'string' && setupScript.trim().length > 0) slurm.setupScript = setupScript;
  return { executor: isOneOf(executor, EXECUTORS) ? executor : 'local', slurm };
}
