import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { readExecutorSettingValues } from '../../../../src/extension/cluster/executorSettingValues';
import { slurmOptionsProblem } from '../../../../src/core/cluster/slurmOptions';

function reader(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

test('runs train here unless the executor setting says slurm; unset Slurm options are left to the cluster', () => {
  assert.deepEqual(readExecutorSettingValues(reader({})), { executor: 'local', slurm: {} });
  assert.equal(readExecutorSettingValues(reader({ executor: 'kubernetes' })).executor, 'local');
  const defaults = readExecutorSettingValues(reader({
    executor: 'slurm', 'slurm.partition': '', 'slurm.memory': '  ', 'slurm.timeLimit': '', 'slurm.account': '', 'slurm.extraArgs': [], 'slurm.setupScript': '',
  }));
  assert.deepEqual(defaults, { executor: 'slurm', slurm: {} });
});

test('set options become the submission\'s, trimmed; blank extra arguments are dropped and the setup script kept as written', () => {
  const settings = readExecutorSettingValues(reader({
    executor: 'slurm', 'slurm.partition': ' cpu ', 'slurm.cpusPerTask': 8, 'slurm.memory': '8G', 'slurm.timeLimit': '2:00:00',
    'slurm.account': 'lab', 'slurm.extraArgs': ['--qos=normal', ' ', 7], 'slurm.setupScript': 'module load nodejs/20\n',
  }));
  assert.deepEqual(settings.slurm, {
    partition: 'cpu', cpusPerTask: 8, memory: '8G', timeLimit: '2:00:00', account: 'lab', extraArgs: ['--qos=normal'], setupScript: 'module load nodejs/20\n',
  });
  assert.equal(slurmOptionsProblem(settings.slurm), undefined);
});

test('a malformed value reaches the submission\'s check, which names it', () => {
  const settings = readExecutorSettingValues(reader({ 'slurm.cpusPerTask': 2.5, 'slurm.memory': 'lots', 'slurm.extraArgs': ['--output=/tmp/x'] }));
  assert.match(slurmOptionsProblem(settings.slurm) ?? '', /CPUs per task must be a whole number/);
  assert.match(slurmOptionsProblem({ ...settings.slurm, cpusPerTask: 1 }) ?? '', /Memory must be as sbatch --mem takes it/);
  assert.match(slurmOptionsProblem({ extraArgs: settings.slurm.extraArgs }) ?? '', /is set by Classifier Lab/);
});

test('package.json: a workspace never sets what a job runs, and every executor setting is ignored from an untrusted workspace', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { scope?: string; default?: unknown }> } };
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  };
  const properties = manifest.contributes.configuration.properties;
  const keys = Object.keys(properties).filter((key) => key === 'classifierLab.executor' || key.startsWith('classifierLab.slurm.'));
  assert.deepEqual(keys.map((key) => key.replace('classifierLab.', '')).sort(),
    ['executor', 'slurm.account', 'slurm.cpusPerTask', 'slurm.extraArgs', 'slurm.memory', 'slurm.partition', 'slurm.setupScript', 'slurm.timeLimit']);
  for (const key of keys) assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), `${key} is restricted`);
  // `machine`: read from user (or remote) settings only, whatever the workspace says, trusted or not.
  assert.equal(properties['classifierLab.slurm.setupScript'].scope, 'machine');
  assert.equal(properties['classifierLab.slurm.extraArgs'].scope, 'machine');
  // The defaults read as "nothing set".
  const defaults = readExecutorSettingValues((key) => properties[`classifierLab.${key}`]?.default);
  assert.deepEqual(defaults, { executor: 'local', slurm: { cpusPerTask: 1 } });
});
