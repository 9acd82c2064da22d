// Submission options are checked before they reach a job script: each mistake is named with what sbatch expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slurmOptionsProblem, validateSlurmOptions } from '../../../../src/core/cluster/slurmOptions';
import { SlurmError } from '../../../../src/core/cluster/slurmError';

test('the forms sbatch takes are accepted', () => {
  assert.equal(slurmOptionsProblem({
    partition: 'gpu,cpu', cpusPerTask: 8, memory: '16G', timeLimit: '1-12:00:00', account: 'lab_42',
    extraArgs: ['--qos=normal', '--gres=gpu:1', '--mem-per-cpu=2G'], setupScript: 'module load nodejs/20\n',
  }), undefined);
  for (const time of ['30', '0:01', '2:00:00', '1-0', '1-2:30', 'UNLIMITED']) assert.equal(slurmOptionsProblem({ timeLimit: time }), undefined, time);
  for (const memory of ['4000', '512M', '8g', '1T']) assert.equal(slurmOptionsProblem({ memory }), undefined, memory);
});

test('malformed values are refused with what sbatch expects', () => {
  assert.match(slurmOptionsProblem({ partition: 'a b' }) ?? '', /partition must be a name/);
  assert.match(slurmOptionsProblem({ cpusPerTask: 0 }) ?? '', /CPUs per task must be a whole number from 1/);
  assert.match(slurmOptionsProblem({ cpusPerTask: 1.5 }) ?? '', /CPUs per task/);
  assert.match(slurmOptionsProblem({ memory: '8 GB' }) ?? '', /Memory must be as sbatch --mem takes it/);
  assert.match(slurmOptionsProblem({ timeLimit: '2h' }) ?? '', /time limit must be as sbatch --time takes it/);
  assert.match(slurmOptionsProblem({ account: 'x;rm' }) ?? '', /account must be a name/);
  assert.match(slurmOptionsProblem({ extraArgs: ['qos=normal'] }) ?? '', /starting with '-'/);
  assert.match(slurmOptionsProblem({ extraArgs: ['--qos=a\n#SBATCH --x'] }) ?? '', /one sbatch option on one line/);
  assert.throws(() => validateSlurmOptions({ timeLimit: 'soon' }), (error) => error instanceof SlurmError && error.kind === 'options');
});

test('extra arguments cannot override what the submission sets itself', () => {
  assert.match(slurmOptionsProblem({ extraArgs: ['--cpus-per-task=4'] }) ?? '', /set by Classifier Lab; use the CPUs-per-task option/);
  assert.match(slurmOptionsProblem({ extraArgs: ['-p', 'gpu'] }) ?? '', /use the partition option/);
  assert.match(slurmOptionsProblem({ extraArgs: ['--output=/tmp/x'] }) ?? '', /writes its output into the run folder/);
  assert.match(slurmOptionsProblem({ extraArgs: ['--array=1-4'] }) ?? '', /each job trains exactly one run/);
});
