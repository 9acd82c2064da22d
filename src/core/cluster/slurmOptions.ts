// What a run asks of Slurm when it is submitted (partition, CPUs, memory, time, account, extra sbatch
// options, a setup script), and the checks that keep a malformed value from reaching the job script.
import { SlurmError } from './slurmError';

export interface SlurmOptions {
  /** Partition (queue) to submit to; the cluster's default partition when absent. */
  partition?: string;
  /** CPUs of the job's one task; the trainer trains on this many threads. Default 1. */
  cpusPerTask?: number;
  /** Memory for the job, as sbatch --mem takes it: megabytes, or a number with K, M, G or T (e.g. `8G`). */
  memory?: string;
  /** Time limit, as sbatch --time takes it: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM` or `D-HH:MM:SS`. */
  timeLimit?: string;
  /** Account the job is charged to. */
  account?: string;
  /** Further sbatch options, each kept as one `#SBATCH` line of the job script (e.g. `--qos=normal`). */
  extraArgs?: string[];
  /** Shell lines the job runs before the trainer (e.g. `module load nodejs`), copied into the job script. */
  setupScript?: string;
}

/** CPUs per task the trainer gets when none are asked for. */
export const DEFAULT_SLURM_CPUS = 1;

const NAME = /^[A-Za-z0-9_.-]+$/;
const PARTITIONS = /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/;
const MEMORY = /^\d+[KMGT]?$/i;
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2}|unlimited|infinite)$/i;
const MAX_CPUS = 4096;

/** sbatch options the submission sets itself; given through extraArgs they would contradict the job script. */
const MANAGED_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['--partition', 'the partition option'], ['-p', 'the partition option'],
  ['--cpus-per-task', 'the CPUs-per-task option'], ['-c', 'the CPUs-per-task option'],
  ['--mem', 'the memory option'],
  ['--time', 'the time-limit option'], ['-t', 'the time-limit option'],
  ['--account', 'the account option'], ['-A', 'the account option'],
  ['--output', 'nothing: the job writes its output into the run folder'], ['-o', 'nothing: the job writes its output into the run folder'],
  ['--error', 'nothing: the job writes its output into the run folder'], ['-e', 'nothing: the job writes its output into the run folder'],
  ['--array', 'nothing: each job trains exactly one run'], ['-a', 'nothing: each job trains exactly one run'],
  ['--wrap', 'nothing: the job script runs the trainer'],
  ['--parsable', 'nothing: the submission asks for it'],
]);

function optionName(arg: string): string {
  if (arg.startsWith('--')) return arg.split('=', 1)[0];
  return arg.slice(0, 2);
}

/** The first problem with `options`, named after the sbatch option it feeds, or undefined when they are fine. */
export function slurmOptionsProblem(options: SlurmOptions): string | undefined {
  if (options.partition !== undefined && !PARTITIONS.test(options.partition)) {
    return `The Slurm partition must be a name (or names separated by commas) of letters, digits, '_', '-' and '.' (got ${JSON.stringify(options.partition)}).`;
  }
  if (options.cpusPerTask !== undefined && (!Number.isInteger(options.cpusPerTask) || options.cpusPerTask < 1 || options.cpusPerTask > MAX_CPUS)) {
    return `CPUs per task must be a whole number from 1 to ${MAX_CPUS} (got ${JSON.stringify(options.cpusPerTask)}).`;
  }
  if (options.memory !== undefined && !MEMORY.test(options.memory)) {
    return `Memory must be as sbatch --mem takes it: megabytes, or a number with K, M, G or T, e.g. 8G (got ${JSON.stringify(options.memory)}).`;
  }
  if (options.timeLimit !== undefined && !TIME.test(options.timeLimit)) {
    return `The time limit must be as sbatch --time takes it: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. 2:00:00 (got ${JSON.stringify(options.timeLimit)}).`;
  }
  if (options.account !== undefined && !NAME.test(options.account)) {
    return `The Slurm account must be a name of letters, digits, '_', '-' and '.' (got ${JSON.stringify(options.account)}).`;
  }
  for (const arg of options.extraArgs ?? []) {
    if (!arg.startsWith('-') || /[\r\n\0]/.test(arg) || arg.trim() !== arg || arg.length < 2) {
      return `Each extra sbatch argument must be one sbatch option on one line, starting with '-', e.g. --qos=normal (got ${JSON.stringify(arg)}).`;
    }
    const managed = MANAGED_OPTIONS.get(optionName(arg));
    if (managed) return `The extra sbatch argument ${JSON.stringify(arg)} is set by Classifier Lab; use ${managed}.`;
  }
  if (options.setupScript !== undefined && options.setupScript.includes('\0')) {
    return 'The setup script must be text (it contains a NUL character).';
  }
  return undefined;
}

/** Throws a SlurmError (kind `options`) naming the first malformed option. */
export function validateSlurmOptions(options: SlurmOptions): void {
  const problem = slurmOptionsProblem(options);
  if (problem) throw new SlurmError(problem, 'options');
}
