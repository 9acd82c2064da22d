import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromTrainer, parseToTrainer } from '../../../../src/processes/trainer/trainerMessages';

const batchEnd = { type: 'batchEnd', epoch: 1, batch: 2, batchesPerEpoch: 10, loss: 0.5, acc: 0.8, learningRate: 0.001, imagesPerSecond: 300 };

describe('parseFromTrainer', () => {
  test('accepts the messages a trainer sends', () => {
    assert.deepEqual(parseFromTrainer({ type: 'runCreated', runId: 'r1', runDir: '/runs/r1', name: 'cnn-shapes-1' }), { type: 'runCreated', runId: 'r1', runDir: '/runs/r1', name: 'cnn-shapes-1' });
    assert.deepEqual(parseFromTrainer({ type: 'event', runId: 'r1', event: batchEnd }), { type: 'event', runId: 'r1', event: batchEnd });
    assert.deepEqual(parseFromTrainer({ type: 'finished', status: 'failed', error: 'no data' }), { type: 'finished', status: 'failed', error: 'no data' });
    assert.deepEqual(parseFromTrainer({ type: 'finished', runId: 'r1', status: 'interrupted' }), { type: 'finished', runId: 'r1', status: 'interrupted' });
    const runEnd = { type: 'runEnd', time: '2026-11-27T07:20:00.000Z', status: 'completed', best: { epoch: 2, valAcc: 0.9 }, testAcc: 0.88 };
    assert.deepEqual(parseFromTrainer({ type: 'event', runId: 'r1', event: runEnd }), { type: 'event', runId: 'r1', event: runEnd });
  });

  test('rejects unknown types, wrong field types and unknown statuses', () => {
    for (const raw of [
      null, 'runCreated', [], { type: 'hello' },
      { type: 'runCreated', runId: 7, runDir: '/x', name: 'n' }, { type: 'runCreated', runId: 'r1', runDir: '/x' },
      { type: 'event', runId: 'r1', event: { ...batchEnd, loss: '0.5' } },
      { type: 'event', runId: 'r1', event: { type: 'shellCommand', command: 'rm -rf /' } },
      { type: 'event', runId: 'r1', event: { type: 'log', level: 'debug', message: 'x' } },
      { type: 'event', runId: 'r1', event: { type: 'runEnd', time: 't', status: 'completed', best: null } },
      { type: 'finished', status: 'exploded' },
      { type: 'finished', status: 'failed', error: { stack: 'x' } },
    ]) {
      assert.equal(parseFromTrainer(raw), undefined, JSON.stringify(raw));
    }
  });
});

describe('parseToTrainer', () => {
  const spec = { data: {}, model: {}, training: {}, augment: {} };
  test('a start message carries the threads the extension resolved, 1 to 32', () => {
    const start = { type: 'start', runsDir: '/runs', spec, backend: 'wasm' };
    assert.deepEqual(parseToTrainer({ ...start, threads: 2 }), { ...start, threads: 2 });
    assert.deepEqual(parseToTrainer(start), start);
    for (const threads of [0, 33, 1.5, '2', 'auto', null]) {
      assert.equal(parseToTrainer({ ...start, threads }), undefined, JSON.stringify(threads));
    }
  });
});
