// `--executor local|slurm` and the Slurm flags of `train` and `resume`, taken out of the arguments before
// the command's own flags are parsed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { slurmOptionsProblem, type SlurmOptions } from '../core/cluster/slurmOptions';
import { UsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

export interface ExecutorFlags {
  executor: 'local' | 'slurm';
  slurm: SlurmOptions;
  /** Return after submission instead of following the job. */
  detach: boolean;
  /** The arguments that are not executor flags, in order. */
  rest: string[];
}

const VALUE_FLAGS = ['--executor', '--partition', '--cpus-per-task', '--mem', '--time', '--account', '--sbatch-arg', '--setup-script'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function isValueFlag(name: string): name is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(name);
}

/**
 * Splits `args` into executor flags and the rest. `--sbatch-arg` takes the next argument as it is, even
 * when it starts with a dash (`--sbatch-arg --qos=high`); every flag also takes `--flag=value`.
 */
export function takeExecutorFlags(args: readonly string[], cwd = process.cwd()): ExecutorFlags {
  const values = new Map<ValueFlag, string[]>();
  let detach = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '--detach') {
      detach = true;
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (!isValueFlag(name)) {
      rest.push(arg);
      continue;
    }
    let value: string | undefined;
    if (equals > 0) value = arg.slice(equals + 1);
    else {
      value = args[i + 1];
      i += 1;
    }
    if (value === undefined) throw new UsageError(`${name} needs a value.`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }

  const one = (flag: ValueFlag): string | undefined => {
    const given = values.get(flag);
    if (given && given.length > 1 && flag !== '--sbatch-arg') throw new UsageError(`${flag} was given more than once.`);
    return given?.[0];
  };
  const executor = one('--executor') ?? 'local';
  if (executor !== 'local' && executor !== 'slurm') throw new UsageError(`--executor must be local or slurm (got "${executor}").`);
  if (executor === 'local') {
    const stray = [...values.keys()].find((flag) => flag !== '--executor') ?? (detach ? '--detach' : undefined);
    if (stray) throw new UsageError(`${stray} is a Slurm option: add --executor slurm.`);
    return { executor, slurm: {}, detach: false, rest };
  }

  const cpus = one('--cpus-per-task');
  const setupFile = one('--setup-script');
  let setupScript: string | undefined;
  if (setupFile !== undefined) {
    try {
      setupScript = readFileSync(resolve(cwd, setupFile), 'utf8');
    } catch (error) {
      throw new UsageError(`--setup-script: cannot read ${setupFile} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}).`);
    }
  }
  const slurm: SlurmOptions = {
    partition: one('--partition'),
    cpusPerTask: cpus === undefined ? undefined : /^\d+$/.test(cpus) ? Number(cpus) : Number.NaN,
    memory: one('--mem'),
    timeLimit: one('--time'),
    account: one('--account'),
    extraArgs: values.get('--sbatch-arg'),
    setupScript,
  };
  for (const key of Object.keys(slurm) as (keyof SlurmOptions)[]) if (slurm[key] === undefined) delete slurm[key];
  if (cpus !== undefined && !Number.isInteger(slurm.cpusPerTask)) throw new UsageError(`--cpus-per-task needs a whole number (got "${cpus}").`);
  const problem = slurmOptionsProblem(slurm);
  if (problem) throw new UsageError(problem);
  return { executor, slurm, detach, rest };
}
