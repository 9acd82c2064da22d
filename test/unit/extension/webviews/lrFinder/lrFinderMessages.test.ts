// What a Find Learning Rate page may ask: its messages are untrusted, so only well-formed ones pass.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromLrFinderView } from '../../../../../src/extension/webviews/lrFinder/lrFinderMessages';

describe('Find Learning Rate page -> panel', () => {
  test('ready, stop, and starting a run with a positive rate up to 10', () => {
    assert.deepEqual(parseFromLrFinderView({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromLrFinderView({ type: 'stop' }), { type: 'stop' });
    assert.deepEqual(parseFromLrFinderView({ type: 'startRun', learningRate: 0.0032 }), { type: 'startRun', learningRate: 0.0032 });
    assert.deepEqual(parseFromLrFinderView({ type: 'startRun', learningRate: 10 }), { type: 'startRun', learningRate: 10 });
  });

  test('refuses rates that no run accepts, opening runs and unknown messages', () => {
    for (const bad of [
      { type: 'startRun', learningRate: 0 }, { type: 'startRun', learningRate: -0.1 }, { type: 'startRun', learningRate: 11 },
      { type: 'startRun', learningRate: '0.01' }, { type: 'startRun', learningRate: Number.POSITIVE_INFINITY }, { type: 'startRun' },
      { type: 'openRun', runId: 'x' }, { type: 'deleteRun' }, null, [],
    ]) assert.equal(parseFromLrFinderView(bad), undefined, JSON.stringify(bad));
  });
});
