// What a sweep tab's page may ask: its messages are untrusted, so only well-formed ones pass.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromSweepView } from '../../../../../src/extension/webviews/sweep/sweepMessages';

describe('sweep page -> panel', () => {
  test('the sweep buttons, opening a trial, comparing trials (repeats dropped) and the common messages', () => {
    assert.deepEqual(parseFromSweepView({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromSweepView({ type: 'stopSweep' }), { type: 'stopSweep' });
    assert.deepEqual(parseFromSweepView({ type: 'resumeSweep', extra: 1 }), { type: 'resumeSweep' });
    assert.deepEqual(parseFromSweepView({ type: 'rerunBest', epochs: 20 }), { type: 'rerunBest', epochs: 20 });
    assert.deepEqual(parseFromSweepView({ type: 'openRun', runId: 'r1' }), { type: 'openRun', runId: 'r1' });
    assert.deepEqual(parseFromSweepView({ type: 'compareRuns', runIds: ['a', 'b', 'a'] }), { type: 'compareRuns', runIds: ['a', 'b'] });
    assert.deepEqual(parseFromSweepView({ type: 'export', format: 'csv', fileName: 'trials.csv', content: 'a,b\n' }),
      { type: 'export', format: 'csv', fileName: 'trials.csv', content: 'a,b\n' });
  });

  test('refuses bad epochs, too few runs to compare, unknown types and names every object has', () => {
    for (const bad of [
      { type: 'rerunBest', epochs: 0 }, { type: 'rerunBest', epochs: 1.5 }, { type: 'rerunBest', epochs: 10_001 }, { type: 'rerunBest', epochs: '5' },
      { type: 'compareRuns', runIds: ['a'] }, { type: 'compareRuns', runIds: ['a', 2] }, { type: 'openRun' },
      { type: 'export', format: 'exe', fileName: 'x.exe', content: '' }, { type: 'export', format: 'csv', fileName: '../x.csv', content: '' },
      { type: 'toString' }, { type: 'constructor' }, { type: '__proto__' }, { type: 'hasOwnProperty' },
      { type: 'saveLayout', layout: { order: [], hidden: [] } }, { type: 7 }, {}, null, [], 'ready',
    ]) assert.equal(parseFromSweepView(bad), undefined, JSON.stringify(bad));
  });
});
