// The job script: its #SBATCH lines, and (run by bash itself, outside Slurm) the exact command it starts,
// whatever characters the run folder's path holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellWord, slurmJobScript, trainerThreads } from '../../../../src/core/cluster/slurmJobScript';
import { SlurmError } from '../../../../src/core/cluster/slurmError';

/** Runs a job script with bash (no Slurm) and returns what it printed. */
function runScript(text: string, env: NodeJS.ProcessEnv = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-job-script-'));
  try {
    const path = join(dir, 'job.sh');
    writeFileSync(path, text);
    return execFileSync('bash', [path], { encoding: 'utf8', env: { PATH: process.env.PATH, SLURM_JOB_ID: '42', ...env } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sbatchLines = (script: string) => script.split('\n').filter((line) => line.startsWith('#SBATCH ')).map((line) => line.slice(8));

test('the #SBATCH lines carry every option, the output file in the run folder, and the extra arguments last', () => {
  const script = slurmJobScript({
    runDir: '/shared/runs/20261130-095446-cnn-4929', runName: 'cnn shapes/1',
    options: { partition: 'gpu', cpusPerTask: 4, memory: '8G', timeLimit: '2:00:00', account: 'lab', extraArgs: ['--qos=high', '--gres=gpu:1'] },
    cliCommand: ['/usr/bin/node', '/opt/lab/dist/cli.js'], backend: 'wasm',
  });
  assert.deepEqual(sbatchLines(script), [
    '--job-name=classifier-lab-cnn-shapes-1',
    '--output=/shared/runs/20261130-095446-cnn-4929/slurm-%j.out',
    '--open-mode=append', '--ntasks=1', '--cpus-per-task=4', '--partition=gpu', '--mem=8G', '--time=2:00:00', '--account=lab',
    '--qos=high', '--gres=gpu:1',
  ]);
  assert.match(script, /^exec "\$\{CLASSIFIER_LAB_NODE:-\/usr\/bin\/node\}" \/opt\/lab\/dist\/cli\.js resume --run \/shared\/runs\/20261130-095446-cnn-4929 --threads 4 --backend wasm$/m);
  assert.ok(script.startsWith('#!/bin/bash\n'));
});

test('the script starts exactly the trainer command, even for a run folder with spaces, quotes and $', () => {
  const runDir = "/shared/my runs/it's $HOME `x` 100%";
  const script = slurmJobScript({ runDir, runName: "it's a $(test)", options: {}, cliCommand: ['/usr/bin/printf', '%s\\n'] });
  const printed = runScript(script).split('\n');
  assert.equal(printed[0], "Classifier Lab: Slurm job 42 on " + execFileSync('hostname', { encoding: 'utf8' }).trim() + " trains run it's a $(test)");
  assert.deepEqual(printed.slice(1, -1), ['resume', '--run', runDir, '--threads', '1', '--backend', 'auto']);
  // sbatch reads a literal % as %%, and takes double quotes around a value with spaces.
  assert.ok(sbatchLines(script).includes(`--output="/shared/my runs/it's $HOME \`x\` 100%%/slurm-%j.out"`), sbatchLines(script).join('\n'));
});

test('the setup script runs first and may choose the node that runs the trainer', () => {
  const script = slurmJobScript({
    runDir: '/runs/r1', runName: 'r1', options: { setupScript: 'echo setting up\nexport CLASSIFIER_LAB_NODE=/usr/bin/printf\n\n' },
    cliCommand: ['/nonexistent/node', '%s\\n'],
  });
  const printed = runScript(script).split('\n');
  assert.equal(printed[0], 'setting up');
  assert.deepEqual(printed.slice(2, 5), ['resume', '--run', '/runs/r1']);
});

test('threads follow the CPUs asked for (one by default); a path Slurm cannot be given is refused', () => {
  assert.equal(trainerThreads({}), 1);
  assert.equal(trainerThreads({ cpusPerTask: 6 }), 6);
  assert.equal(trainerThreads({ cpusPerTask: 128 }), 32, 'the trainer caps its threads');
  assert.throws(() => slurmJobScript({ runDir: '/runs/a"b', runName: 'x', options: {}, cliCommand: ['node', 'cli.js'] }), SlurmError);
  assert.equal(shellWord('plain/path-1.js'), 'plain/path-1.js');
  assert.equal(shellWord("it's"), `'it'\\''s'`);
});
