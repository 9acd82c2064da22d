// Reading job states from Slurm's own output: squeue and sacct lines, and slurmstepd's closing messages
// in a job's output file (the lines below were printed by Slurm 22.05 on the test cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeJobState, isJobEnded, parseSacctOutput, parseSqueueOutput, phaseOfSlurmState, stateFromJobOutput,
} from '../../../../src/core/cluster/slurmJobState';

test('squeue lines give each job its phase, reason and nodes; "None" means no reason', () => {
  const states = parseSqueueOutput('2|PENDING|Resources|\n1|RUNNING|None|vm\n3|TIMEOUT|TimeLimit|vm\n4|COMPLETING|None|vm\n');
  assert.deepEqual(states.map((s) => [s.jobId, s.phase, s.reason, s.nodes]), [
    ['2', 'pending', 'Resources', undefined],
    ['1', 'running', undefined, 'vm'],
    ['3', 'timeout', 'TimeLimit', 'vm'],
    ['4', 'ending', undefined, 'vm'],
  ]);
  assert.ok(states.every((s) => s.source === 'squeue'));
});

test('sacct lines: states such as "CANCELLED by 1000" read as their first word, job steps are left out', () => {
  const states = parseSacctOutput('12|CANCELLED by 1000|0:15|None|node3\n12.batch|CANCELLED|0:15||node3\n13|OUT_OF_MEMORY|0:125|None|node4\n14|NODE_FAIL|0:0|None|node5\n');
  assert.deepEqual(states.map((s) => [s.jobId, s.phase, s.slurmState, s.exitCode]), [
    ['12', 'cancelled', 'CANCELLED', '0:15'],
    ['13', 'outOfMemory', 'OUT_OF_MEMORY', '0:125'],
    ['14', 'nodeFail', 'NODE_FAIL', '0:0'],
  ]);
});

test('every way a job ends is final; queued, running, suspended, ending and unknown states are not', () => {
  for (const state of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']) {
    assert.ok(isJobEnded(phaseOfSlurmState(state)), state);
  }
  for (const state of ['PENDING', 'CONFIGURING', 'REQUEUED', 'RUNNING', 'SUSPENDED', 'COMPLETING', 'SOMETHING_NEW']) {
    assert.ok(!isJobEnded(phaseOfSlurmState(state)), state);
  }
});

test('a job output file tells a time limit, a plain cancel, a node failure and an out-of-memory kill', () => {
  const start = 'Classifier Lab: Slurm job 3 on vm trains run cnn-shapes-1\nepoch 1: loss 1.2\n';
  assert.deepEqual(stateFromJobOutput('3', `${start}slurmstepd-vm: error: *** JOB 3 ON vm CANCELLED AT 2026-11-30T09:44:15 DUE TO TIME LIMIT ***\n`),
    { jobId: '3', phase: 'timeout', slurmState: 'TIMEOUT', reason: 'TimeLimit', nodes: 'vm', source: 'jobOutput' });
  assert.equal(stateFromJobOutput('1', 'slurmstepd-vm: error: *** JOB 1 ON vm CANCELLED AT 2026-11-30T09:42:51 ***\n')?.phase, 'cancelled');
  assert.equal(stateFromJobOutput('7', 'slurmstepd: error: *** JOB 7 ON n2 CANCELLED AT 2026-11-30T10:00:00 DUE TO NODE FAILURE ***')?.phase, 'nodeFail');
  assert.equal(stateFromJobOutput('8', 'slurmstepd: error: Detected 1 oom-kill event(s) in StepId=8.batch. Some of your processes may have been killed by the cgroup out-of-memory handler.')?.phase, 'outOfMemory');
  assert.equal(stateFromJobOutput('9', 'slurmstepd-vm: error: *** JOB 3 ON vm CANCELLED AT 2026-11-30T09:44:15 ***'), undefined, 'another job\'s message');
  assert.equal(stateFromJobOutput('3', start), undefined, 'no closing message');
  // A requeued job's output holds every attempt: the last message counts.
  const attempts = 'slurmstepd: error: Detected 1 oom-kill event(s) in StepId=5.batch.\n'
    + 'slurmstepd: error: *** JOB 5 ON n1 CANCELLED AT 2026-11-30T10:00:00 DUE TO NODE FAILURE ***\n'
    + 'slurmstepd: error: *** JOB 5 ON n2 CANCELLED AT 2026-11-30T11:00:00 DUE TO TIME LIMIT ***\n';
  assert.deepEqual([stateFromJobOutput('5', attempts)?.phase, stateFromJobOutput('5', attempts)?.nodes], ['timeout', 'n2']);
});

test('a pending job reads "queued on Slurm: <reason>"', () => {
  const [pending, running] = parseSqueueOutput('5|PENDING|Resources|\n6|RUNNING|None|node1\n');
  assert.equal(describeJobState(pending), 'queued on Slurm: Resources (Slurm job 5)');
  assert.equal(describeJobState(running), 'running on node1 (Slurm job 6)');
});
