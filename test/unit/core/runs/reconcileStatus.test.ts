import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileStatus, isProcessAlive } from '../../../../src/core/runs/reconcileStatus';
import type { RunRecord } from '../../../../src/core/runs/runRecord';
import type { RunStatus } from '../../../../src/core/train/trainingEvents';
import { sampleSpec } from './runTestHelpers';

const NOW = Date.parse('2026-11-27T08:00:00.000Z');

function record(status: RunStatus, heartbeatAgeMs: number, owner?: { pid: number; hostname: string }): RunRecord {
  return {
    schemaVersion: 1, id: 'r', name: 'r', status, createdAt: '2026-11-27T07:00:00.000Z',
    updatedAt: new Date(NOW - heartbeatAgeMs).toISOString(), spec: sampleSpec(), summary: { epochs: 3 },
    ...(owner ? { process: owner } : {}),
  };
}

const here = { hostname: 'here' };
const alive = () => true;
const dead = () => false;

describe('reconcileStatus', () => {
  test('a running run on this machine is believed while its process lives, whatever the heartbeat says', () => {
    assert.equal(reconcileStatus(record('running', 5 * 60_000, { pid: 42, hostname: 'here' }), NOW, alive, here).status, 'running');
  });

  test('a running or owned queued run on this machine whose process is gone reads as interrupted', () => {
    assert.equal(reconcileStatus(record('running', 1_000, { pid: 42, hostname: 'here' }), NOW, dead, here).status, 'interrupted');
    assert.equal(reconcileStatus(record('queued', 1_000, { pid: 42, hostname: 'here' }), NOW, dead, here).status, 'interrupted');
  });

  test('a live pid with an hour-old heartbeat is a reused pid: interrupted', () => {
    assert.equal(reconcileStatus(record('running', 60 * 60_000, { pid: 42, hostname: 'here' }), NOW, alive, here).status, 'interrupted');
  });

  test('a run owned by another machine goes by its heartbeat age', () => {
    const probe = () => assert.fail('a pid from another machine must not be probed here');
    assert.equal(reconcileStatus(record('running', 60_000, { pid: 42, hostname: 'there' }), NOW, probe, here).status, 'running');
    assert.equal(reconcileStatus(record('running', 3 * 60_000, { pid: 42, hostname: 'there' }), NOW, probe, here).status, 'interrupted');
    assert.equal(reconcileStatus(record('running', 30_000, { pid: 42, hostname: 'there' }), NOW, probe, { ...here, staleAfterMs: 10_000 }).status, 'interrupted');
  });

  test('finished runs and a queued run without an owner are left alone', () => {
    for (const status of ['completed', 'failed', 'cancelled', 'interrupted'] as const) {
      const finished = record(status, 10 * 60 * 60_000, { pid: 42, hostname: 'here' });
      assert.equal(reconcileStatus(finished, NOW, dead, here), finished);
    }
    const waiting = record('queued', 10 * 60 * 60_000);
    assert.equal(reconcileStatus(waiting, NOW, dead, here), waiting);
  });

  test('does not modify the record it is given', () => {
    const running = record('running', 0, { pid: 42, hostname: 'here' });
    const result = reconcileStatus(running, NOW, dead, here);
    assert.equal(running.status, 'running');
    assert.notEqual(result, running);
  });

  test('isProcessAlive finds this process and not an impossible pid', () => {
    assert.equal(isProcessAlive(process.pid), true);
    assert.equal(isProcessAlive(2 ** 30), false);
    assert.equal(isProcessAlive(-1), false);
  });
});
