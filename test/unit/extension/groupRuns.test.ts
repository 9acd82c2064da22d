import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupRuns, sortRuns } from '../../../src/extension/groupRuns';
import type { RunEntry } from '../../../src/extension/runEntry';
import { recordedEntry, testRecord, testSpec } from './runTestRecords';

const older = recordedEntry(testRecord('a', { createdAt: '2026-01-01T09:00:00Z', status: 'completed' }));
const newer = recordedEntry(testRecord('b', { createdAt: '2026-01-02T09:00:00Z', status: 'failed', spec: testSpec('/data/colour-shapes') }));
const newest = recordedEntry(testRecord('c', { createdAt: '2026-01-03T09:00:00Z', status: 'running' }));
const queued: RunEntry = { kind: 'queued', ticket: 3, request: { spec: testSpec('/data/colour-shapes') }, queuedAt: new Date('2026-01-01T00:00:00Z'), name: 'cnn-colour-shapes', starting: false };
const label = (entry: RunEntry) => (entry.kind === 'queued' ? entry.name : entry.record.id);

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
    const resuming = recordedEntry(testRecord('d', { status: 'interrupted' }), { resumeTicket: 9 });
    const groups = groupRuns([older, newer, newest, queued, resuming], 'status');
    assert.deepEqual(groups.map((g) => [g.label, g.entries.map(label)]), [
      ['Running', ['c']], ['Queued', ['cnn-colour-shapes', 'd']], ['Completed', ['a']], ['Failed', ['b']],
    ]);
  });
});
