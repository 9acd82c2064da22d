// The runs table's rows from run.json records, and the checks on what its page sends.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRunsTableLayout, runsTableData } from '../../../../../src/extension/webviews/runsTable/runsTableData';
import { parseFromRunsTableView } from '../../../../../src/extension/webviews/runsTable/runsTableMessages';
import { makeRunRecords } from '../../../../fixtures/manyRuns';

describe('runs table rows', () => {
  const records = makeRunRecords(6, '/data/mnist-digits');

  test('one row per run with its results, and one column per setting any run has', () => {
    const { columns, rows } = runsTableData(records);
    assert.deepEqual(rows.map((r) => r.id), records.map((r) => r.id));
    const first = records[0];
    assert.equal(rows[0].cells.name, first.name);
    assert.equal(rows[0].cells.status, first.status);
    assert.equal(rows[0].cells.dataset, 'mnist-digits');
    assert.equal(rows[0].cells.createdAt, Date.parse(first.createdAt));
    assert.equal(rows[0].cells['training.learningRate'], first.spec.training.learningRate);
    assert.equal(rows[0].cells['data.limit'], 100);
    assert.equal(rows[0].cells.tags, 'baseline');
    assert.equal(rows[0].cells['data.path'], undefined, 'the dataset column stands for the path');
    const keys = columns.map((c) => c.key);
    // Model options of every kind present: the CNN's filters, the RNN's units, the transformer's heads.
    for (const key of ['model.filters', 'model.units', 'model.heads', 'augment.flip', 'training.optimizer']) assert.ok(keys.includes(key), key);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(rows[0].cells['model.filters'], (first.spec.model.options as { filters: number[] }).filters.join(','));
    assert.equal(rows[1].cells['model.filters'], undefined, 'an RNN has no filters');
    assert.equal(columns.find((c) => c.key === 'training.learningRate')?.kind, 'number');
  });

  test('a learning-rate schedule shows as columns of its own', () => {
    const scheduled = { ...records[0], spec: { ...records[0].spec, training: { ...records[0].spec.training, weightDecay: 0.0005, schedule: { kind: 'cosine' as const, warmup: 0.1, initialFactor: 0.1, finalFactor: 0, milestones: [], gamma: 0.1 } } } };
    const { rows } = runsTableData([scheduled]);
    assert.equal(rows[0].cells['training.schedule.kind'], 'cosine');
    assert.equal(rows[0].cells['training.schedule.warmup'], 0.1);
    assert.equal(rows[0].cells['training.weightDecay'], 0.0005);
  });

  test('a failed run has no accuracy; a NaN loss stays readable as text', () => {
    const broken = { ...records[0], status: 'failed' as const, summary: { epochs: 3, bestValLoss: Number.NaN } };
    const { rows } = runsTableData([broken]);
    assert.equal(rows[0].cells.bestValAcc, undefined);
    assert.equal(rows[0].cells.bestValLoss, 'NaN');
  });

  test('by default the common settings show, the rest are hidden, newest first', () => {
    const layout = defaultRunsTableLayout(runsTableData(records).columns);
    assert.ok(!layout.hidden.includes('training.learningRate') && !layout.hidden.includes('bestValAcc'));
    assert.ok(layout.hidden.includes('model.filters'));
    assert.deepEqual(layout.sort, { key: 'createdAt', direction: 'desc' });
  });
});

describe('runs table messages', () => {
  test('accepts well-formed layouts and comparisons, and nothing else', () => {
    assert.deepEqual(parseFromRunsTableView({ type: 'saveLayout', layout: { order: ['a', 'b', 'a'], hidden: [], sort: { key: 'a', direction: 'asc' } } }),
      { type: 'saveLayout', layout: { order: ['a', 'b'], hidden: [], sort: { key: 'a', direction: 'asc' } } });
    assert.equal(parseFromRunsTableView({ type: 'saveLayout', layout: { order: 'a', hidden: [] } }), undefined);
    assert.equal(parseFromRunsTableView({ type: 'saveLayout', layout: { order: [], hidden: [], sort: { key: 'a', direction: 'up' } } }), undefined);
    assert.deepEqual(parseFromRunsTableView({ type: 'compareRuns', runIds: ['x', 'y'] }), { type: 'compareRuns', runIds: ['x', 'y'] });
    assert.equal(parseFromRunsTableView({ type: 'compareRuns', runIds: ['x'] }), undefined);
    assert.equal(parseFromRunsTableView({ type: 'compareRuns', runIds: ['x', 3] }), undefined);
    assert.equal(parseFromRunsTableView({ type: 'deleteEverything' }), undefined);
    assert.deepEqual(parseFromRunsTableView({ type: 'openRun', runId: 'r1' }), { type: 'openRun', runId: 'r1' });
  });
});
