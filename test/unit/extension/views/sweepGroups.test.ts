// Sweeps in the Experiments view: each sweep holds its trials' runs (best first), shows its progress,
// and sits among the runs by when it was created.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SweepRecord, TrialRecord } from '../../../../src/core/sweeps/sweepRecord';
import { sweepView } from '../../../../src/extension/webviews/sweep/sweepViewData';
import { groupBySweep, topLevelItems } from '../../../../src/extension/views/sweepGroups';
import { sweepContextValue, sweepDescription, sweepTooltip } from '../../../../src/extension/views/sweepPresentation';
import type { RunEntry } from '../../../../src/extension/views/runEntries';
import { queuedEntry, recordedEntry, testRecord } from './runTestRecords';

const trial = (n: number, status: TrialRecord['status'], runId?: string, value?: number): TrialRecord => ({
  trial: n, params: { learningRate: 0.001 * n, optimizer: n % 2 ? 'adam' : 'sgd' }, epochs: 2, status,
  ...(runId ? { runId } : {}), ...(value !== undefined ? { value, valAcc: value } : {}),
});

function sweep(overrides: Partial<SweepRecord> = {}): SweepRecord {
  const trials = [trial(1, 'completed', 'r1', 0.8), trial(2, 'completed', 'r2', 0.931), trial(3, 'running', 'r3'), trial(4, 'failed', 'r4'), trial(5, 'pending')];
  return {
    schemaVersion: 1, id: '20260101-100000-sweep-ab12', name: 'lr search', status: 'running',
    createdAt: '2026-01-01T10:00:00.000Z', updatedAt: '2026-01-01T10:10:00.000Z', elapsedMs: 600_000, runsDir: '../../runs',
    spec: {
      name: 'lr search', method: 'random', trials: 12, metric: 'valAcc', seed: 1, base: { data: '/data/digits', epochs: 2 },
      space: { learningRate: { min: 0.0001, max: 0.01, log: true, integer: false }, optimizer: ['adam', 'sgd'] },
    },
    trials, best: { trial: 2, runId: 'r2', params: trials[1].params, value: 0.931, valAcc: 0.931 },
    importance: [{ param: 'learningRate', importance: 0.8, correlation: 0.7 }, { param: 'optimizer', importance: 0.2 }],
    ...overrides,
  };
}

const at = (id: string, minute: number) => recordedEntry(testRecord(id, { createdAt: `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z` }));

describe('sweeps in the Experiments view', () => {
  test('a sweep holds its trials\' runs, best trial first, then by value, then running, then stopped; other runs stay outside', () => {
    const entries: RunEntry[] = [at('r1', 1), at('r2', 2), at('r3', 3), at('r4', 4), at('solo', 20), queuedEntry({ ticket: 9, name: 'lr search #5' })];
    const { groups, others } = groupBySweep(entries, [sweep()], (ticket) => (ticket === 9 ? { sweepId: '20260101-100000-sweep-ab12', trial: 5 } : undefined));
    assert.deepEqual(groups[0].entries.map((e) => (e.kind === 'run' ? e.record.id : `queued #${e.training.ticket}`)), ['r2', 'r1', 'r3', 'queued #9', 'r4']);
    assert.deepEqual(others.map((e) => (e.kind === 'run' ? e.record.id : 'queued')), ['solo']);
  });

  test('its row says how far it got and the best value so far', () => {
    assert.equal(sweepDescription(sweep()), '3/12 trials, best 93.1%');
    assert.equal(sweepDescription(sweep({ status: 'interrupted' })), 'interrupted · 3/12 trials, best 93.1%');
    assert.equal(sweepDescription(sweep({ best: undefined, trials: [], spec: { ...sweep().spec, trials: undefined, budgetMinutes: 20 } })), '0 trials');
    assert.equal(sweepContextValue(sweep(), true), 'sweep.running.here');
    assert.match(sweepTooltip(sweep()), /Mattered most \| learningRate \(80%\), optimizer \(20%\)/);
  });

  test('ungrouped, sweeps sit among the runs newest first, after runs still waiting in the queue', () => {
    const { groups, others } = groupBySweep([at('old', 1), at('new', 30), queuedEntry({ ticket: 1 })], [sweep({ createdAt: '2026-01-01T10:05:00.000Z' })]);
    const order = topLevelItems(groups, others).map((item) => (item.kind === 'sweep' ? 'sweep' : item.entry.kind === 'run' ? item.entry.record.id : 'queued'));
    assert.deepEqual(order, ['queued', 'new', 'sweep', 'old']);
  });

  test('the sweep tab gets each trial with its run\'s name and each parameter on an axis', () => {
    const records = new Map([['r2', testRecord('r2', { name: 'renamed best', summary: { epochs: 2, testAcc: 0.9, durationMs: 5000 } })]]);
    const view = sweepView(sweep(), (id) => records.get(id), true);
    assert.deepEqual(view.params, [
      { name: 'learningRate', kind: 'number', log: true, min: 0.0001, max: 0.01 },
      { name: 'optimizer', kind: 'category', log: false, categories: ['adam', 'sgd'] },
    ]);
    const best = view.trials.find((t) => t.trial === 2);
    assert.deepEqual([best?.runName, best?.testAcc, best?.value, best?.params.optimizer], ['renamed best', 0.9, 0.931, 'sgd']);
    assert.equal(view.plannedTrials, 12);
    assert.equal(view.importanceTrials, 2);
    assert.equal(view.runningHere, true);
    assert.equal(view.resumable, false);
    assert.equal(sweepView(sweep({ status: 'interrupted' }), () => undefined, false).resumable, true);
  });
});
