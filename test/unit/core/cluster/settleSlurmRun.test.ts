// Settling a Slurm run on disk: the job's end read from its output file when Slurm no longer knows the
// job, the run's own end kept, a resubmitted run never overwritten, and the trainer keeping the job field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseRunFromEarlierAttempt } from '../../../../src/core/cluster/requeuedJob';
import { settleSlurmRun } from '../../../../src/core/cluster/settleSlurmRun';
import { phaseOfSlurmState } from '../../../../src/core/cluster/slurmJobState';
import { parseRunRecord } from '../../../../src/core/runs/parseRunRecord';
import { RunStore } from '../../../../src/core/runs/runStore';
import type { RunSlurmJob } from '../../../../src/core/runs/runRecord';
import { epochEndEvent, runStartEvent, sampleSpec, tempRunsDir } from '../runs/runTestHelpers';

const job: RunSlurmJob = { jobId: '31', submittedAt: '2026-11-30T10:00:00.000Z', script: 'slurm-job.sh' };

/** A run trained by a job that Slurm killed after its first epoch: run.json still says running. */
async function killedRun(store: RunStore): Promise<string> {
  const writer = await store.create({ spec: sampleSpec() });
  await store.editRecord(writer.id, (raw) => { raw.slurm = job; });
  await writer.start({ heartbeatIntervalMs: 0 });
  await writer.append(runStartEvent());
  await writer.append(epochEndEvent(1, 0.6, true));
  await writer.saveCheckpoint({ epoch: 1, best: { epoch: 1, valAcc: 0.6, valLoss: 1 }, epochsWithoutImprovement: 0 }, async () => undefined);
  await writer.close();
  return writer.id;
}

test('a job Slurm forgot (no squeue entry, no accounting) is settled from slurmstepd\'s message in its output file', async () => {
  const { runsDir, cleanup } = await tempRunsDir();
  try {
    const store = new RunStore(runsDir, { isProcessAlive: () => true });
    const id = await killedRun(store);
    await writeFile(join(store.runDir(id), 'slurm-31.out'), 'epoch 1: loss 1.0\nslurmstepd-n1: error: *** JOB 31 ON n1 CANCELLED AT 2026-11-30T10:01:00 DUE TO TIME LIMIT ***\n');
    const settled = await settleSlurmRun(store, id, undefined);
    assert.equal(settled.status, 'interrupted');
    assert.equal(settled.error, 'Slurm job 31 reached its time limit after epoch 1; resume the run to continue from there.');
    assert.equal(settled.slurm?.state, 'TIMEOUT');
    assert.ok(settled.endedAt);
    assert.equal(settled.summary.bestValAcc, 0.6, 'everything the trainer wrote stays');
  } finally {
    await cleanup();
  }
});

test('nothing changes while the job lives, and a run that recorded its end keeps it', async () => {
  const { runsDir, cleanup } = await tempRunsDir();
  try {
    const store = new RunStore(runsDir, { isProcessAlive: () => true });
    const id = await killedRun(store);
    const before = await readFile(join(store.runDir(id), 'run.json'), 'utf8');
    await settleSlurmRun(store, id, { jobId: '31', phase: 'running', slurmState: 'RUNNING', source: 'squeue' });
    assert.equal(await readFile(join(store.runDir(id), 'run.json'), 'utf8'), before);

    const writer = await store.openWriter(id);
    await writer.finish('completed');
    const settled = await settleSlurmRun(store, id, { jobId: '31', phase: phaseOfSlurmState('COMPLETED'), slurmState: 'COMPLETED', source: 'squeue' });
    assert.equal(settled.status, 'completed');
    assert.equal(settled.error, undefined);
    assert.equal(settled.slurm?.state, 'COMPLETED');
  } finally {
    await cleanup();
  }
});

test('a run resubmitted meanwhile (another job id) is left alone', async () => {
  const { runsDir, cleanup } = await tempRunsDir();
  try {
    const store = new RunStore(runsDir, { isProcessAlive: () => false });
    const id = await killedRun(store);
    const read = store.read.bind(store);
    // The resubmission lands between the settler's read and its write.
    store.read = async (runId) => {
      const record = await read(runId);
      await store.editRecord(runId, (raw) => { raw.status = 'queued'; delete raw.process; raw.slurm = { ...job, jobId: '32' }; });
      return record;
    };
    await settleSlurmRun(store, id, { jobId: '31', phase: 'timeout', slurmState: 'TIMEOUT', source: 'squeue' });
    const record = await read(id);
    assert.equal(record.status, 'queued');
    assert.deepEqual(record.slurm, { ...job, jobId: '32' });
  } finally {
    await cleanup();
  }
});

test('the trainer keeps the job its submitter recorded after it started; the reader drops a malformed one', async () => {
  const { runsDir, cleanup } = await tempRunsDir();
  try {
    const store = new RunStore(runsDir);
    const writer = await store.create({ spec: sampleSpec() });
    await writer.start({ heartbeatIntervalMs: 0 });
    await store.editRecord(writer.id, (raw) => { raw.slurm = job; });
    await writer.append(runStartEvent());
    await writer.append(epochEndEvent(1, 0.5, true));
    await writer.finish('completed');
    assert.deepEqual((await store.read(writer.id)).slurm, job);

    const raw = JSON.parse(await readFile(join(store.runDir(writer.id), 'run.json'), 'utf8')) as Record<string, unknown>;
    const parsed = parseRunRecord({ ...raw, slurm: { jobId: 31 } }, writer.id);
    assert.ok(parsed.ok && parsed.record.slurm === undefined);
  } finally {
    await cleanup();
  }
});

test('a requeued job takes over the run its earlier attempt left running on a dead node, and nothing else', async () => {
  const { runsDir, cleanup } = await tempRunsDir();
  try {
    // The earlier attempt ran on another node; its heartbeat is fresh, so the run reads as running.
    const store = new RunStore(runsDir, { hostname: 'login1' });
    const writer = await store.create({ spec: sampleSpec() });
    await store.editRecord(writer.id, (raw) => { raw.slurm = job; });
    await writer.start({ heartbeatIntervalMs: 0 });
    await writer.close();
    await store.editRecord(writer.id, (raw) => { raw.process = { pid: 4242, hostname: 'node9' }; });
    await assert.rejects(store.openWriter(writer.id), /being trained by process 4242 on node9/);

    assert.equal(await releaseRunFromEarlierAttempt(store, writer.id, { SLURM_JOB_ID: '31' }), false, 'not a requeued attempt');
    assert.equal(await releaseRunFromEarlierAttempt(store, writer.id, { SLURM_JOB_ID: '77', SLURM_RESTART_COUNT: '1' }), false, 'another job');
    assert.equal((await store.read(writer.id)).status, 'running');
    assert.equal(await releaseRunFromEarlierAttempt(store, writer.id, { SLURM_JOB_ID: '31', SLURM_RESTART_COUNT: '1' }), true);
    assert.equal((await store.read(writer.id)).status, 'interrupted');
    await (await store.openWriter(writer.id)).close();
  } finally {
    await cleanup();
  }
});
