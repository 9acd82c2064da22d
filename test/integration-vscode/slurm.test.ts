// Runs trained as Slurm jobs from the editor, against a real single-node Slurm cluster (munged,
// slurmctld and slurmd) that this file starts and stops by the pids it started: with
// classifierLab.executor set to slurm a run is submitted with sbatch, shows in the Experiments view at
// once with its job's state, trains to completion; a job waiting for CPUs reads "queued on Slurm:
// Resources"; Stop Run cancels the job (scancel); a job its time limit killed says so and Resume Run
// submits a new one from the checkpoint; a sweep's trials become jobs; a job the command line submitted
// shows in the view with its state, and its end is recorded when Slurm ends it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/core/runs/runRecord';
import { RunStore } from '../../src/core/runs/runStore';
import type { ClassifierLabApi } from '../../src/extension/api';
import type { ExperimentRow } from '../../src/extension/views/experimentsTree';
import { slurmUnavailableReason, startSlurmCluster, type SlurmCluster } from '../fixtures/slurmCluster';
import { after, before, describe, test } from './harness/inHostTests';
import { extensionPath, labApi, readRun, report, sampleDataset, sampleSpec, waitFor, waitForBatches } from './helpers/labApi';

const SETTINGS = ['executor', 'slurm.cpusPerTask', 'slurm.timeLimit', 'slurm.partition', 'runsFolder'] as const;

function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('classifierLab');
}

async function set(key: (typeof SETTINGS)[number], value: unknown): Promise<void> {
  await configuration().update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(`classifierLab.${key} to read ${JSON.stringify(value)}`, () => JSON.stringify(configuration().get(key)) === JSON.stringify(value) || undefined, 10_000);
}

function row(api: ClassifierLabApi, runId: string, test: (row: ExperimentRow) => boolean = () => true): ExperimentRow | undefined {
  return api.experimentRows().find((r) => r.id === runId && test(r));
}

async function settled(api: ClassifierLabApi, runId: string, timeoutMs: number): Promise<RunRecord> {
  return waitFor(`run ${runId}'s job to end and the run to be settled`, async () => {
    const record = await readRun(api, runId);
    return record.slurm?.state !== undefined ? record : undefined;
  }, timeoutMs, 250);
}

const unavailable = slurmUnavailableReason();
if (unavailable) {
  report(`Slurm tests not registered: ${unavailable}.`);
} else {
  describe('training on a Slurm cluster', () => {
    let cluster: SlurmCluster | undefined;
    let previousConf: string | undefined;

    before(async () => {
      const started = Date.now();
      cluster = await startSlurmCluster();
      report(`the Slurm cluster (munged, slurmctld, slurmd; ${cluster.cpus} CPUs) was up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      // The extension's Slurm commands read the extension host's environment, as they would a login node's.
      previousConf = process.env.SLURM_CONF;
      process.env.SLURM_CONF = cluster.env.SLURM_CONF;
      await set('executor', 'slurm');
      await set('slurm.cpusPerTask', 1);
    });

    after(async () => {
      const api = await labApi();
      for (const id of api.trainingRunIds()) await api.stopRun(id).catch(() => undefined);
      await cluster?.cancelAllJobs();
      await Promise.race([api.whenIdle(), new Promise((resolve) => setTimeout(resolve, 30_000))]);
      for (const key of SETTINGS) await configuration().update(key, undefined, vscode.ConfigurationTarget.Global);
      await cluster?.stop();
      if (previousConf === undefined) delete process.env.SLURM_CONF;
      else process.env.SLURM_CONF = previousConf;
    });

    test('a workspace cannot give jobs a setup script: VS Code ignores the machine-scoped setting there', async () => {
      const dir = join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode');
      const file = join(dir, 'settings.json');
      const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      mkdirSync(dir, { recursive: true });
      // The file is JSON with comments: the settings go in first, the rest stays as it was. A window-scoped
      // setting beside them shows when VS Code has read the file.
      const settings = '"classifierLab.slurm.setupScript": "touch /tmp/owned", "classifierLab.slurm.extraArgs": ["--uid=0"], "classifierLab.defaults.epochs": 7';
      writeFileSync(file, before === undefined ? `{ ${settings} }` : before.replace('{', `{\n  ${settings},`));
      try {
        await waitFor('VS Code to read the workspace settings', () => configuration().inspect('defaults.epochs')?.workspaceValue === 7 || undefined, 15_000);
        assert.equal(configuration().get('defaults.epochs'), 7);
        assert.equal(configuration().get('slurm.setupScript'), '', 'the workspace\'s setup script is not used');
        assert.deepEqual(configuration().get('slurm.extraArgs'), [], 'nor its sbatch arguments');
      } finally {
        if (before === undefined) rmSync(file);
        else writeFileSync(file, before);
        await waitFor('the workspace settings to be back', () => configuration().inspect('defaults.epochs')?.workspaceValue === undefined || undefined, 15_000);
      }
    });

    test('what stops a submission is told in Slurm\'s own words, and leaves no run behind: sbatch missing, a partition Slurm lacks, a runs folder that cannot take the run', async () => {
      const api = await labApi();
      const runsDir = api.runsDir()!;
      const runFolders = () => (existsSync(runsDir) ? readdirSync(runsDir).length : 0);
      const before = runFolders();
      const spec = sampleSpec('colour-shapes', { epochs: 1 }, 100);
      const path = process.env.PATH;
      process.env.PATH = '/nonexistent';
      try {
        await assert.rejects(api.startRun(spec), /^Error: sbatch was not found on PATH here \(\/nonexistent\): runs go to Slurm with sbatch/);
      } finally {
        process.env.PATH = path;
      }
      await set('slurm.partition', 'nosuchpartition');
      try {
        await assert.rejects(api.startRun(spec), /^Error: Slurm refused the job: sbatch: error: .*invalid partition/i);
      } finally {
        await set('slurm.partition', '');
      }
      const aFile = join(runsDir, '..', 'a-file');
      writeFileSync(aFile, 'not a folder');
      await set('runsFolder', join(aFile, 'runs'));
      try {
        await assert.rejects(api.startRun(spec), /cannot take the run: .*on a file system this machine and the compute nodes share \(choose another with the setting classifierLab\.runsFolder\)/);
      } finally {
        await configuration().update('runsFolder', undefined, vscode.ConfigurationTarget.Global);
        rmSync(aFile);
      }
      await waitFor('the runs folder to be back', () => api.runsDir() === runsDir || undefined, 10_000);
      assert.equal(runFolders(), before, 'no run folder was left behind');
      await api.whenIdle();
    });

    test('a run trains to completion as a Slurm job and shows in the view from the moment it is submitted', { timeout: 240_000 }, async () => {
      const api = await labApi();
      const started = Date.now();
      const runId = await api.startRun(sampleSpec('mnist-digits', { epochs: 1 }, 1000), 'slurm-complete');
      const submitted = await readRun(api, runId);
      const jobId = submitted.slurm?.jobId;
      assert.match(jobId ?? '', /^\d+$/, 'run.json names the job');
      const runDir = join(api.runsDir()!, runId);
      assert.match(readFileSync(join(runDir, 'slurm-job.sh'), 'utf8'), /^#SBATCH --cpus-per-task=1$/m, 'the job script is kept in the run folder');
      assert.deepEqual(api.trainingRunIds(), [runId]);
      await waitFor('the submitted run in the view', () => row(api, runId), 10_000);
      await api.whenIdle();
      const record = await readRun(api, runId);
      assert.equal(record.status, 'completed', record.error);
      assert.equal(record.slurm?.state, 'COMPLETED');
      assert.ok((record.summary.bestValAcc ?? 0) > 0.5, `val acc ${record.summary.bestValAcc}`);
      assert.ok(record.summary.testAcc !== undefined, 'the test split was evaluated');
      assert.match(readFileSync(join(runDir, `slurm-${jobId}.out`), 'utf8'), /Classifier Lab: Slurm job \d+ on /);
      const done = await waitFor('the completed row', () => row(api, runId, (r) => r.icon === 'pass'));
      assert.match(done.description, /^val acc \d+\.\d%$/);
      report(`mnist-digits (1,000 images, 1 epoch) as Slurm job ${jobId}: requested -> settled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    test('a job waiting for CPUs reads "queued on Slurm: Resources"; Stop Run cancels it', { timeout: 120_000 }, async () => {
      const api = await labApi();
      const c = cluster!;
      // Every CPU of the one node goes to another job first.
      const blocker = c.run('sbatch', ['--parsable', `--cpus-per-task=${c.cpus}`, '--output=/dev/null', '--wrap', 'sleep 600']).trim();
      try {
        await waitFor('the blocking job to run', () => c.run('squeue', ['--noheader', `--jobs=${blocker}`, '--format=%T']).trim() === 'RUNNING' || undefined, 30_000, 250);
        const runId = await api.startRun(sampleSpec('colour-shapes', { epochs: 5 }, 300), 'slurm-pending');
        const pending = await waitFor('the queued row with Slurm\'s reason', () => row(api, runId, (r) => r.description === 'queued on Slurm: Resources'), 30_000);
        assert.equal(pending.icon, 'clock');
        assert.equal(pending.contextValue, 'run.queued', 'Stop Run is offered');
        assert.equal((await readRun(api, runId)).status, 'queued');
        assert.equal(await api.stopRun(runId), true);
        const record = await readRun(api, runId);
        assert.equal(record.status, 'cancelled');
        assert.equal(record.slurm?.state, 'CANCELLED');
        assert.equal(record.startedAt, undefined, 'it never trained');
        await waitFor('the cancelled row', () => row(api, runId, (r) => r.icon === 'circle-slash'));
      } finally {
        c.run('scancel', [blocker]);
      }
    });

    test('a job the command line submitted shows in the view with its state, and the window records its end when Slurm ends it', { timeout: 120_000 }, async () => {
      const api = await labApi();
      const c = cluster!;
      const blocker = c.run('sbatch', ['--parsable', `--cpus-per-task=${c.cpus}`, '--output=/dev/null', '--wrap', 'sleep 600']).trim();
      try {
        const submitted = spawnSync(process.execPath, [
          join(extensionPath(), 'dist', 'cli.js'), 'train', '--data', sampleDataset('colour-shapes'), '--epochs', '1', '--limit', '100',
          '--runs-dir', api.runsDir()!, '--name', 'slurm-from-cli', '--executor', 'slurm', '--detach', '--json',
        ], { encoding: 'utf8', env: { ...c.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60_000 });
        assert.equal(submitted.status, 0, submitted.stderr);
        const { runDir, jobId } = JSON.parse(submitted.stdout.trim().split('\n')[0]) as { runDir: string; jobId: string };
        const runId = basename(runDir);
        assert.deepEqual(api.trainingRunIds(), [], 'this window does not follow it');
        await waitFor('the command line\'s job in the view, waiting for CPUs', () => row(api, runId, (r) => r.description === 'queued on Slurm: Resources'), 30_000);
        c.run('scancel', [jobId]);
        const record = await settled(api, runId, 60_000);
        assert.equal(record.status, 'cancelled');
        assert.equal(record.slurm?.state, 'CANCELLED');
        await waitFor('the cancelled row', () => row(api, runId, (r) => r.icon === 'circle-slash'));
      } finally {
        c.run('scancel', [blocker]);
      }
    });

    test('Stop Run on a training job cancels it with scancel: the run ends cancelled after its last batch', { timeout: 180_000 }, async () => {
      const api = await labApi();
      const runId = await api.startRun(sampleSpec('colour-shapes', { epochs: 50 }, 300), 'slurm-stop');
      await waitForBatches(api, runId, 2, 120_000);
      await waitFor('the running row', () => row(api, runId, (r) => r.icon === 'loading~spin' && r.contextValue === 'run.running'), 30_000);
      const jobId = (await readRun(api, runId)).slurm!.jobId;
      const stopped = Date.now();
      assert.equal(await api.stopRun(runId), true);
      const record = await readRun(api, runId);
      assert.equal(record.status, 'cancelled', record.error);
      assert.equal(record.slurm?.state, 'CANCELLED');
      assert.ok((record.summary.lastEpoch ?? 0) < 50);
      assert.match(readFileSync(join(api.runsDir()!, runId, `slurm-${jobId}.out`), 'utf8'), /CANCELLED/);
      await waitFor('the cancelled row', () => row(api, runId, (r) => r.icon === 'circle-slash'));
      report(`Stop Run -> scancel -> run settled cancelled in ${((Date.now() - stopped) / 1000).toFixed(1)} s`);
    });

    test('a job its time limit killed is marked with that reason, and Resume Run submits a new job from the checkpoint', { timeout: 300_000 }, async () => {
      const api = await labApi();
      await set('slurm.timeLimit', '1');
      let runId: string;
      try {
        runId = await api.startRun(sampleSpec('colour-shapes', { epochs: 300 }, 300), 'slurm-time-limit');
      } finally {
        await set('slurm.timeLimit', '');
      }
      const firstJob = (await readRun(api, runId)).slurm!.jobId;
      // Slurm looks at time limits every 30 s: the job is killed 60-90 s after it started.
      const killed = await settled(api, runId, 180_000);
      assert.equal(killed.status, 'interrupted', killed.error);
      assert.equal(killed.slurm?.state, 'TIMEOUT');
      const epochs = killed.summary.lastEpoch ?? 0;
      assert.ok(epochs >= 1, 'it finished an epoch, so it has a checkpoint');
      assert.match(killed.error ?? '', new RegExp(`^Slurm job ${firstJob} reached its time limit after epoch \\d+; resume the run to continue from there\\.$`));
      // The row follows the settled run.json within the view's next read of the folder.
      const interrupted = await waitFor('the timed-out row', () => row(api, runId, (r) => r.icon === 'debug-pause' && r.description.endsWith('timed out')), 30_000);
      assert.match(interrupted.description, /^val acc \d+\.\d% · timed out$/);
      assert.equal(interrupted.contextValue, 'run.interrupted.model', 'Resume Run is offered');
      await api.whenIdle();

      assert.equal(await api.resumeRun(runId), runId);
      const resumed = await readRun(api, runId);
      assert.notEqual(resumed.slurm?.jobId, firstJob, 'a new job');
      assert.deepEqual(resumed.slurm?.previousJobIds, [firstJob]);
      assert.doesNotMatch(readFileSync(join(api.runsDir()!, runId, 'slurm-job.sh'), 'utf8'), /--time=/, 'the new job has the settings of now');
      await waitFor('an epoch trained by the new job', async () => ((await readRun(api, runId)).summary.lastEpoch ?? 0) > epochs, 120_000, 250);
      const continued = await readRun(api, runId);
      assert.ok((continued.resumedFrom ?? 0) >= 1, 'it continued from its checkpoint');
      assert.equal(continued.status, 'running');
      await api.stopRun(runId);
      assert.equal((await readRun(api, runId)).status, 'cancelled');
    });

    test('a sweep started with the executor set to slurm dispatches its trials as jobs, as many at once as it allows', { timeout: 240_000 }, async () => {
      const api = await labApi();
      const runner = api.clusterTrialRunner(3);
      assert.ok(runner, 'with the executor set to slurm, trials are jobs');
      assert.equal(runner.capacity, 3);
      const runsDir = api.runsDir()!;
      // New Sweep's path: the window's sweep runner, which sends trials to Slurm, as many at once as runs may train at once.
      const config = vscode.workspace.getConfiguration('classifierLab');
      const concurrentBefore = config.inspect<number>('concurrentRuns')?.workspaceValue;
      await config.update('concurrentRuns', 3, vscode.ConfigurationTarget.Workspace);
      let record;
      const started = Date.now();
      try {
        const sweepId = await api.startSweep({
          name: 'slurm-sweep', method: 'random', trials: 3, metric: 'valAcc', seed: 7,
          base: { data: sampleDataset('colour-shapes'), limit: 200, epochs: 2, batchSize: 32 },
          space: { learningRate: { min: 0.0005, max: 0.005, log: true } },
        });
        await api.whenSweepsIdle();
        record = await api.readSweep(sweepId);
      } finally {
        await config.update('concurrentRuns', concurrentBefore, vscode.ConfigurationTarget.Workspace);
      }
      report(`3-trial sweep as Slurm jobs (3 at once allowed, 2 CPUs): ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.ok(record, 'the sweep was recorded');
      const outcome = { record };
      assert.equal(outcome.record.status, 'completed');
      assert.deepEqual(outcome.record.trials.map((t) => t.status), ['completed', 'completed', 'completed']);
      const runs = await Promise.all(outcome.record.trials.map((t) => new RunStore(runsDir).read(t.runId!)));
      const jobs = runs.map((r) => r.slurm?.jobId);
      assert.equal(new Set(jobs).size, 3, `each trial was its own job: ${jobs.join(', ')}`);
      assert.ok(runs.every((r) => r.slurm?.state === 'COMPLETED'));
      // Two one-CPU jobs train side by side on the two-CPU node.
      const spans = runs.map((r) => [Date.parse(r.startedAt!), Date.parse(r.endedAt!)] as const).sort((a, b) => a[0] - b[0]);
      assert.ok(spans[1][0] < spans[0][1], 'the first two trials trained at the same time');
      await waitFor('the trials in the view', () => runs.every((r) => row(api, r.id, (x) => x.icon === 'pass')) || undefined, 30_000);
    });
  });
}
