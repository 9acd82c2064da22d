import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupRuns, sortRuns } from '../../../../src/extension/views/groupRuns';
import type { RunEntry } from '../../../../src/extension/views/runEntries';
import { queuedEntry, recordedEntry, testRecord, testSpec, trainingRun } from './runTestRecords';

const older = recordedEntry(testRecord('a', { createdAt: '2026-01-01T09:00:00Z', status: 'completed' }));
const newer = recordedEntry(testRecord('b', { createdAt: '2026-01-02T09:00:00Z', status: 'failed', spec: testSpec('/data/colour-shapes') }));
const newest = recordedEntry(testRecord('c', { createdAt: '2026-01-03T09:00:00Z', status: 'running' }));
const queued = queuedEntry({ ticket: 3, request: { spec: testSpec('/data/colour-shapes'), runsDir: '/work/runs' }, name: 'cnn-colour-shapes' });
const label = (entry: RunEntry) => (entry.kind === 'queued' ? entry.training.name : entry.record.id);

describe('sortRuns', () => {
  test('puts queued runs first, then runs newest first', () => {
    assert.deepEqual(sortRuns([older, queued, newest, newer]).map(label), ['cnn-colour-shapes', 'c', 'b', 'a']);
  });
});

describe('groupRuns', () => {
  test('none: one group with every run in view order', () => {
    const groups = groupRuns([older, newest, newer], 'none');
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0].entries.map(label), ['c', 'b', 'a']);
  });

  test('dataset: one group per dataset path, named after the dataset, the latest worked-on first', () => {
    const groups = groupRuns([older, newer, newest, queued], 'dataset');
    assert.deepEqual(groups.map((g) => [g.label, g.description, g.entries.map(label)]), [
      ['colour-shapes', '/data/colour-shapes', ['cnn-colour-shapes', 'b']],
      ['mnist-digits', '/work/data/mnist-digits', ['c', 'a']],
    ]);
  });

  test('status: running and queued first, empty statuses left out; a run queued to resume counts as queued', () => {
    const resuming = recordedEntry(testRecord('d', { status: 'interrupted' }), { training: trainingRun({ ticket: 9, runId: 'd', request: { spec: testSpec(), runsDir: '/work/runs', resumeRunId: 'd' } }) });
    const groups = groupRuns([older, newer, newest, queued, resuming], 'status');
    assert.deepEqual(groups.map((g) => [g.label, g.entries.map(label)]), [
      ['Running', ['c']], ['Queued', ['cnn-colour-shapes', 'd']], ['Completed', ['a']], ['Failed', ['b']],
    ]);
  });
});
