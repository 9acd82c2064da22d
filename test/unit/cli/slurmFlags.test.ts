// `--executor` and the Slurm flags of train/resume: taken out of the arguments, checked, with usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takeExecutorFlags } from '../../../src/cli/slurmFlags';
import { UsageError } from '../../../src/cli/usageError';

test('without --executor the arguments pass through untouched', () => {
  const args = ['--data', 'd', '--epochs', '2', '--json'];
  assert.deepEqual(takeExecutorFlags(args), { executor: 'local', slurm: {}, detach: false, rest: args });
});

test('Slurm flags are taken out, in both spellings; --sbatch-arg repeats and takes values that start with a dash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-flags-'));
  try {
    writeFileSync(join(dir, 'setup.sh'), 'module load nodejs\n');
    const flags = takeExecutorFlags([
      '--data', 'd', '--executor', 'slurm', '--partition=gpu', '--cpus-per-task', '4', '--mem', '8G', '--time', '1:00:00',
      '--account', 'lab', '--sbatch-arg', '--qos=high', '--sbatch-arg=--gres=gpu:1', '--setup-script', 'setup.sh', '--detach', '--json',
    ], dir);
    assert.deepEqual(flags, {
      executor: 'slurm', detach: true, rest: ['--data', 'd', '--json'],
      slurm: {
        partition: 'gpu', cpusPerTask: 4, memory: '8G', timeLimit: '1:00:00', account: 'lab',
        extraArgs: ['--qos=high', '--gres=gpu:1'], setupScript: 'module load nodejs\n',
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mistakes are usage errors that name the flag', () => {
  const usage = (args: string[], pattern: RegExp) => assert.throws(() => takeExecutorFlags(args), (error) => error instanceof UsageError && pattern.test(error.message));
  usage(['--partition', 'gpu'], /--partition is a Slurm option: add --executor slurm/);
  usage(['--detach'], /--detach is a Slurm option/);
  usage(['--executor', 'kubernetes'], /--executor must be local or slurm/);
  usage(['--executor', 'slurm', '--cpus-per-task', 'four'], /--cpus-per-task needs a whole number/);
  usage(['--executor', 'slurm', '--time', 'tomorrow'], /time limit must be as sbatch --time takes it/);
  usage(['--executor', 'slurm', '--partition', 'a', '--partition', 'b'], /--partition was given more than once/);
  usage(['--executor', 'slurm', '--mem'], /--mem needs a value/);
  usage(['--executor', 'slurm', '--setup-script', '/nonexistent/setup.sh'], /--setup-script: cannot read \/nonexistent\/setup.sh \(ENOENT\)/);
});
