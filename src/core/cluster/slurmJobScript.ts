// The job script a Slurm submission writes into the run folder: its #SBATCH options, the user's setup
// lines, then our CLI resuming the run. Kept beside the run so a user can read, and rerun, what ran.
import type { BackendPreference } from '../backend/selectBackend';
import { MAX_TRAINING_THREADS } from '../train/trainingThreads';
import { SlurmError } from './slurmError';
import { DEFAULT_SLURM_CPUS, type SlurmOptions } from './slurmOptions';

/** The job script's file name inside the run folder. */
export const SLURM_JOB_SCRIPT_FILE = 'slurm-job.sh';

/** Where job `jobId` writes its standard output and error, inside the run folder. */
export function slurmOutputFileName(jobId: string): string {
  return `slurm-${jobId}.out`;
}

/** Environment variable a setup script may set to choose the `node` that runs the trainer. */
export const NODE_OVERRIDE_VARIABLE = 'CLASSIFIER_LAB_NODE';

export interface JobScriptInput {
  /** Absolute path of the run folder on the shared file system. */
  runDir: string;
  runName: string;
  options: SlurmOptions;
  /**
   * How to start our CLI, absolute paths first: the node executable, its flags, then the CLI script,
   * e.g. `['/usr/bin/node', '/opt/classifier-lab/dist/cli.js']`.
   */
  cliCommand: readonly string[];
  backend?: BackendPreference;
}

/** A word the shell reads back unchanged: single-quoted unless it is plainly safe. */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A value for an #SBATCH line (sbatch reads these itself, with double quotes but no shell escapes). */
function sbatchValue(text: string): string {
  if (/[\r\n"]/.test(text)) throw new SlurmError(`Slurm cannot be given ${JSON.stringify(text)}: it contains a line break or a double quote.`, 'options');
  return /[\s'\\]/.test(text) ? `"${text}"` : text;
}

/** A job name Slurm shows in squeue: the run's name, plain characters only. */
function jobName(runName: string): string {
  const slug = runName.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `classifier-lab-${slug || 'run'}`;
}

/** The threads the trainer uses for a job with this many CPUs. */
export function trainerThreads(options: SlurmOptions): number {
  return Math.min(MAX_TRAINING_THREADS, options.cpusPerTask ?? DEFAULT_SLURM_CPUS);
}

/** The script's text. The trainer command is `resume --run`, so one script both starts the run and continues it. */
export function slurmJobScript(input: JobScriptInput): string {
  const { options, runDir } = input;
  if (input.cliCommand.length < 2) throw new Error('cliCommand needs the node executable and the CLI script.');
  const cpus = options.cpusPerTask ?? DEFAULT_SLURM_CPUS;
  const sbatch: string[] = [
    `--job-name=${jobName(input.runName)}`,
    // %j is the job id; a literal % in the folder's name is written %%.
    `--output=${sbatchValue(`${runDir.replace(/%/g, '%%')}/slurm-%j.out`)}`,
    // A requeued job (node failure) runs the script again: keep every attempt's output.
    '--open-mode=append',
    '--ntasks=1',
    `--cpus-per-task=${cpus}`,
  ];
  if (options.partition !== undefined) sbatch.push(`--partition=${options.partition}`);
  if (options.memory !== undefined) sbatch.push(`--mem=${options.memory}`);
  if (options.timeLimit !== undefined) sbatch.push(`--time=${options.timeLimit}`);
  if (options.account !== undefined) sbatch.push(`--account=${options.account}`);
  sbatch.push(...(options.extraArgs ?? []));

  const [node, ...cli] = input.cliCommand;
  const trainer = [
    ...cli.map(shellWord), 'resume', '--run', shellWord(runDir),
    '--threads', String(trainerThreads(options)), '--backend', input.backend ?? 'auto',
  ].join(' ');
  const setup = options.setupScript?.replace(/\s+$/, '');
  return [
    '#!/bin/bash',
    `# Classifier Lab: trains the run ${JSON.stringify(input.runName)} in ${runDir}.`,
    '# Written when the run was submitted. Running it again (sbatch slurm-job.sh) continues the run from',
    '# its last checkpoint, or starts it if it never started.',
    ...sbatch.map((option) => `#SBATCH ${option}`),
    '',
    ...(setup ? ['# Setup script given at submission:', setup, '# End of the setup script.', ''] : []),
    `echo "Classifier Lab: Slurm job \${SLURM_JOB_ID:-?} on $(hostname) trains run" ${shellWord(input.runName)}`,
    `exec "\${${NODE_OVERRIDE_VARIABLE}:-${node.replace(/(["\\$`])/g, '\\$1')}}" ${trainer}`,
    '',
  ].join('\n');
}
