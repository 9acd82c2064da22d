// The end recorded for a run whose Slurm job ended without the run writing its own: status and reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slurmRunEnd } from '../../../../src/core/cluster/slurmRunEnd';
import { phaseOfSlurmState, type SlurmJobState } from '../../../../src/core/cluster/slurmJobState';
import type { RunRecord } from '../../../../src/core/runs/runRecord';
import type { RunStatus } from '../../../../src/core/train/trainingEvents';
import { sampleSpec } from '../runs/runTestHelpers';

function record(status: RunStatus): RunRecord {
  return {
    schemaVersion: 1, id: '20261130-095446-cnn-4929', name: 'r', status, createdAt: '2026-11-30T09:54:46.000Z',
    updatedAt: '2026-11-30T09:54:46.000Z', spec: sampleSpec(), summary: { epochs: 3 },
    slurm: { jobId: '12', submittedAt: '2026-11-30T09:54:46.000Z', script: 'slurm-job.sh' },
  };
}

function job(slurmState: string, extra: Partial<SlurmJobState> = {}): SlurmJobState {
  return { jobId: '12', phase: phaseOfSlurmState(slurmState), slurmState, source: 'squeue', ...extra };
}

test('a run that recorded its own end keeps it, whatever Slurm says', () => {
  for (const status of ['completed', 'failed', 'cancelled'] as const) assert.equal(slurmRunEnd(record(status), job('TIMEOUT')), undefined);
});

test('a time limit, node failure or preemption interrupts a run that has a checkpoint, with the reason and what to do', () => {
  assert.deepEqual(slurmRunEnd(record('interrupted'), job('TIMEOUT'), { checkpointEpoch: 4 }),
    { status: 'interrupted', error: 'Slurm job 12 reached its time limit after epoch 4; resume the run to continue from there.' });
  assert.deepEqual(slurmRunEnd(record('running'), job('NODE_FAIL', { nodes: 'node7' }), { checkpointEpoch: 2 }),
    { status: 'interrupted', error: "Slurm job 12's node node7 failed after epoch 2; resume the run to continue from there." });
  assert.equal(slurmRunEnd(record('running'), job('PREEMPTED'), { checkpointEpoch: 1 })?.status, 'interrupted');
});

test('without a checkpoint there is nothing to resume: the run fails with a way forward', () => {
  assert.deepEqual(slurmRunEnd(record('running'), job('TIMEOUT')),
    { status: 'failed', error: 'Slurm job 12 reached its time limit before its first epoch finished; submit it again with a longer time limit (--time).' });
});

test('out of memory fails the run and says to ask for more memory', () => {
  assert.match(slurmRunEnd(record('running'), job('OUT_OF_MEMORY'), { checkpointEpoch: 3 })?.error ?? '', /^Slurm job 12 ran out of memory after epoch 3; resume it with more memory \(--mem\)/);
});

test('scancel ends a queued or running run as cancelled', () => {
  assert.deepEqual(slurmRunEnd(record('queued'), job('CANCELLED')), { status: 'cancelled' });
  assert.deepEqual(slurmRunEnd(record('interrupted'), job('CANCELLED'), { checkpointEpoch: 2 }), { status: 'cancelled' });
});

test('a job that failed before training shows the last lines of its output (a setup script gone wrong)', () => {
  const outputTail = 'Classifier Lab: Slurm job 12 on n1 trains run r\n/var/spool/slurmd/job00012/slurm_script: line 9: exec: node: not found\n';
  assert.deepEqual(slurmRunEnd(record('queued'), job('FAILED', { reason: 'NonZeroExitCode', exitCode: '127:0' }), { outputTail }), {
    status: 'failed',
    error: 'Slurm job 12 failed (exit code 127:0) before the run recorded its end: /var/spool/slurmd/job00012/slurm_script: line 9: exec: node: not found.',
  });
});

test('a job Slurm no longer knows: an interrupted run stays resumable, a run that never checkpointed fails', () => {
  assert.deepEqual(slurmRunEnd(record('interrupted'), undefined, { checkpointEpoch: 5 }),
    { status: 'interrupted', error: 'Slurm stopped job 12 (it keeps no record of why); resume the run to continue after epoch 5.' });
  assert.deepEqual(slurmRunEnd(record('running'), undefined),
    { status: 'failed', error: 'Slurm job 12 ended without the run recording its end, and Slurm keeps no record of why; see slurm-12.out in the run folder.' });
  assert.deepEqual(slurmRunEnd(record('running'), undefined, { checkpointEpoch: 2, outputTail: 'Killed\n' }), {
    status: 'interrupted',
    error: 'Slurm job 12 ended without the run recording its end, and Slurm keeps no record of why: Killed. Resume the run to continue after epoch 2.',
  });
});
