// `classifier-lab train|resume --executor slurm` and `follow` against a real single-node Slurm cluster
// (munged, slurmctld, slurmd started by the harness): a run trains to completion as a job; a second job
// waits while the first holds every CPU; scancel ends a run as cancelled; a time limit interrupts a run,
// which resumes from its checkpoint; Ctrl+C cancels the job; clear errors when Slurm cannot take the run.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { runCli, startCli } from '../../fixtures/cliProcess';
import { slurmUnavailableReason, startSlurmCluster, type SlurmCluster } from '../../fixtures/slurmCluster';

const repo = resolve(__dirname, '../../..');
const unavailable = slurmUnavailableReason();
if (unavailable) console.log(`Skipping the Slurm tests: ${unavailable}.`);

interface RunJson {
  status: string;
  error?: string;
  threads?: number;
  startedAt?: string;
  slurm?: { jobId: string; script: string; state?: string; previousJobIds?: string[] };
}

function readRun(runDir: string): RunJson {
  return JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunJson;
}

function metricsEvents(runDir: string): Record<string, unknown>[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('classifier-lab on a real Slurm cluster', { skip: unavailable ? `Slurm tests skipped: ${unavailable}` : false }, () => {
  let cluster: SlurmCluster;
  let root: string;
  let data: string;
  let runsDir: string;
  // A shapes dataset small enough for a few quick epochs, learnable to > 60% in three.
  const trainFlags = () => ['--data', data, '--batch-size', '16', '--learning-rate', '0.003', '--runs-dir', runsDir];
  const cli = (args: string[], env: NodeJS.ProcessEnv = cluster.env, timeoutMs?: number) => runCli(args, { cwd: root, env, timeoutMs });

  before(async () => {
    const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    root = makeTempDir('classifier-lab-slurm-test-');
    data = join(root, 'shapes');
    writeFolderDataset(data, makeShapesDataset(600, 16, 11, { channels: 1 }), { testFraction: 0.2 });
    runsDir = join(root, 'runs');
    const started = Date.now();
    cluster = await startSlurmCluster();
    console.log(`Slurm cluster up in ${Date.now() - started} ms: node ${cluster.nodeName}, ${cluster.cpus} CPUs`);
  });

  after(async () => {
    await cluster?.stop();
    if (root) removeTempDir(root);
  });

  test('errors: sbatch not on PATH, a refused submission (its message shown), a runs folder that cannot be written', async () => {
    const noSlurm = await cli(['train', ...trainFlags(), '--executor', 'slurm'], { ...cluster.env, PATH: '/nonexistent' });
    assert.equal(noSlurm.code, 1, noSlurm.stderr);
    assert.match(noSlurm.stderr, /sbatch was not found on PATH here \(\/nonexistent\): runs go to Slurm with sbatch/);

    const refused = await cli(['train', ...trainFlags(), '--executor', 'slurm', '--partition', 'nosuchpartition']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /Slurm refused the job: .*Invalid partition name specified/);

    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const unwritable = await cli(['train', ...trainFlags(), '--executor', 'slurm', '--runs-dir', join(file, 'runs')]);
    assert.equal(unwritable.code, 1, unwritable.stderr);
    assert.match(unwritable.stderr, /The runs folder .*a-file\/runs cannot take the run: .* it must be writable, on a file system this machine and the compute nodes share/);

    // Nothing is left behind: a refused run's folder is removed.
    assert.deepEqual(existsSync(runsDir) ? readdirSync(runsDir) : [], []);
  });

  test('a run submitted with --executor slurm trains to completion as a job and prints the events of a local run', async () => {
    const result = await cli(['train', ...trainFlags(), '--epochs', '3', '--name', 'on-slurm', '--executor', 'slurm', '--cpus-per-task', '1', '--json'], cluster.env, 300_000);
    assert.equal(result.code, 0, result.stderr);
    const [submitted] = result.lines;
    assert.equal(submitted.type, 'submitted');
    const runDir = submitted.runDir as string;
    const jobId = submitted.jobId as string;
    assert.match(jobId, /^\d+$/);
    const states = result.lines.filter((line) => line.type === 'jobState').map((line) => line.state);
    assert.ok(states.includes('running'), `job states seen: ${states.join(', ')}`);
    assert.equal(states.at(-1), 'completed');
    assert.deepEqual(result.lines.filter((line) => line.type === 'epochEnd').map((line) => line.epoch), [1, 2, 3]);
    const end = result.lines.at(-1)!;
    assert.equal(end.type, 'runEnd');
    assert.equal(end.status, 'completed');
    assert.equal(end.runDir, runDir);
    assert.ok((end.best as { valAcc: number }).valAcc > 0.6, `best validation accuracy ${JSON.stringify(end.best)}`);
    assert.ok((end.testAcc as number) > 0.6, `test accuracy ${String(end.testAcc)}`);

    const record = readRun(runDir);
    assert.equal(record.status, 'completed');
    assert.deepEqual(record.slurm && { jobId: record.slurm.jobId, script: record.slurm.script, state: record.slurm.state }, { jobId, script: 'slurm-job.sh', state: 'COMPLETED' });
    assert.equal(record.threads, 1, 'the trainer trains on --cpus-per-task threads');

    const script = readFileSync(join(runDir, 'slurm-job.sh'), 'utf8');
    assert.match(script, /^#SBATCH --cpus-per-task=1$/m);
    assert.match(script, new RegExp(`^#SBATCH --output=${runDir}/slurm-%j\\.out$`, 'm'));
    assert.match(script, new RegExp(`dist/cli\\.js resume --run ${runDir} --threads 1 --backend auto$`, 'm'));
    execFileSync('bash', ['-n', join(runDir, 'slurm-job.sh')]);
    assert.match(readFileSync(join(runDir, `slurm-${jobId}.out`), 'utf8'), /Run completed: best val acc/);
  });

  let limitedRun = '';
  let limitedJob = '';

  test('--detach returns after submission with the run folder and job id; the run exists at once', async () => {
    // 200 epochs cannot finish within the one-minute limit; the job holds every CPU of the node.
    const result = await cli(['train', ...trainFlags(), '--epochs', '200', '--name', 'time-limited', '--executor', 'slurm',
      '--cpus-per-task', String(cluster.cpus), '--time', '0:01', '--detach', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines.length, 1, result.stdout);
    const [submitted] = result.lines;
    assert.deepEqual(Object.keys(submitted).sort(), ['jobId', 'runDir', 'type']);
    assert.equal(submitted.type, 'submitted');
    limitedRun = submitted.runDir as string;
    limitedJob = submitted.jobId as string;
    const record = readRun(limitedRun);
    assert.ok(record.status === 'queued' || record.status === 'running', record.status);
    assert.equal(record.slurm?.jobId, limitedJob);
    assert.match(readFileSync(join(limitedRun, 'slurm-job.sh'), 'utf8'), /^#SBATCH --time=0:01$/m);
  });

  test('a second run waits in the queue while the first holds every CPU: queued, pending with its reason; scancel ends it as cancelled', async () => {
    for (let i = 0; i < 100 && cluster.run('squeue', ['--noheader', `--jobs=${limitedJob}`, '--format=%T']).trim() !== 'RUNNING'; i++) await sleep(200);
    const submitted = await cli(['train', ...trainFlags(), '--epochs', '1', '--name', 'waiting', '--executor', 'slurm', '--detach', '--json']);
    assert.equal(submitted.code, 0, submitted.stderr);
    const runDir = submitted.lines[0].runDir as string;
    const jobId = submitted.lines[0].jobId as string;
    assert.equal(readRun(runDir).status, 'queued');

    const follower = startCli(['follow', '--run', runDir, '--json'], { cwd: root, env: cluster.env });
    // Slurm says why a job waits once its scheduler has looked at it (until then the reason is None).
    const pending = await follower.waitForLine((line) => line.type === 'jobState' && line.reason !== undefined, 30_000);
    assert.deepEqual({ state: pending.state, slurmState: pending.slurmState, reason: pending.reason }, { state: 'pending', slurmState: 'PENDING', reason: 'Resources' });
    // People read the same state; Ctrl+C there only stops following.
    const human = startCli(['follow', '--run', runDir], { cwd: root, env: cluster.env });
    await human.waitForStderr(new RegExp(`queued on Slurm: Resources \\(Slurm job ${jobId}\\)`), 30_000);
    human.child.kill('SIGINT');
    const stopped = await human.exited(30_000);
    assert.equal(stopped.code, 130);
    assert.match(stopped.stderr, new RegExp(`Stopped following; Slurm job ${jobId} goes on`));
    assert.equal(readRun(runDir).status, 'queued');

    cluster.run('scancel', [jobId]);
    const ended = await follower.exited(60_000);
    assert.equal(ended.code, 130, ended.stderr);
    assert.equal(ended.lines.at(-1)?.type, 'runEnd');
    assert.equal(ended.lines.at(-1)?.status, 'cancelled');
    const record = readRun(runDir);
    assert.equal(record.status, 'cancelled');
    assert.equal(record.slurm?.state, 'CANCELLED');
    assert.equal(record.startedAt, undefined, 'the run never started');
  });

  let checkpointEpoch = 0;

  test('a job stopped by its time limit leaves the run interrupted with Slurm\'s reason; follow exits 75', async () => {
    const result = await runCli(['follow', '--run', limitedRun, '--json'], { cwd: root, env: cluster.env, timeoutMs: 240_000 });
    assert.equal(result.code, 75, result.stderr);
    assert.ok(result.lines.some((line) => line.type === 'epochEnd'), 'follow replays the job\'s epochs');
    assert.equal(result.lines.filter((line) => line.type === 'jobState').at(-1)?.slurmState, 'TIMEOUT');
    const end = result.lines.at(-1)!;
    assert.equal(end.type, 'runEnd');
    assert.equal(end.status, 'interrupted');
    const record = readRun(limitedRun);
    assert.equal(record.status, 'interrupted');
    assert.equal(record.slurm?.state, 'TIMEOUT');
    assert.match(record.error ?? '', new RegExp(`^Slurm job ${limitedJob} reached its time limit after epoch \\d+; resume the run to continue from there\\.$`));
    assert.match(readFileSync(join(limitedRun, `slurm-${limitedJob}.out`), 'utf8'), /CANCELLED AT .* DUE TO TIME LIMIT/);
    const state = JSON.parse(readFileSync(join(limitedRun, 'checkpoint', 'state.json'), 'utf8')) as { epoch: number };
    checkpointEpoch = state.epoch;
    assert.ok(checkpointEpoch >= 1);
  });

  test('resume --executor slurm continues from the checkpoint in a new job; Ctrl+C cancels the job and the run ends cancelled', async () => {
    // A refused resubmission leaves the run exactly as it was.
    const before = readRun(limitedRun);
    const script = readFileSync(join(limitedRun, 'slurm-job.sh'), 'utf8');
    const refused = await cli(['resume', '--run', limitedRun, '--executor', 'slurm', '--partition', 'nosuchpartition']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Slurm refused the job: .*Invalid partition name specified/);
    assert.deepEqual(readRun(limitedRun), before);
    assert.equal(readFileSync(join(limitedRun, 'slurm-job.sh'), 'utf8'), script);

    const resumed = startCli(['resume', '--run', limitedRun, '--executor', 'slurm', '--cpus-per-task', String(cluster.cpus), '--json'], { cwd: root, env: cluster.env });
    const submitted = await resumed.waitForLine((line) => line.type === 'submitted', 30_000);
    assert.notEqual(submitted.jobId, limitedJob);
    await resumed.waitForLine((line) => line.type === 'epochEnd' && (line.epoch as number) > checkpointEpoch, 180_000);
    const starts = metricsEvents(limitedRun).filter((event) => event.type === 'runStart');
    assert.equal(starts.length, 2);
    assert.equal(starts[1].startEpoch, checkpointEpoch + 1);
    assert.equal(resumed.lines.find((line) => line.type === 'epochEnd')?.epoch, checkpointEpoch + 1, 'the first epoch shown is the one after the checkpoint');

    resumed.child.kill('SIGINT');
    const result = await resumed.exited(90_000);
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, new RegExp(`Cancelling Slurm job ${String(submitted.jobId)}`));
    assert.equal(result.lines.at(-1)?.status, 'cancelled');
    const record = readRun(limitedRun);
    assert.equal(record.status, 'cancelled');
    assert.equal(record.slurm?.jobId, submitted.jobId);
    assert.equal(record.slurm?.state, 'CANCELLED');
    assert.deepEqual(record.slurm?.previousJobIds, [limitedJob]);
  });
});
