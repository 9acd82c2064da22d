import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCompareTable, COMPARE_COLUMNS, sortCompareRows } from '../../../../webview/dashboard/compareTable';
import { compareRun, runRecord } from './runFixtures';

const base = runRecord({ id: 'a', name: 'baseline' });
const faster = runRecord({ id: 'b', name: 'higher-lr', spec: { ...base.spec, training: { ...base.spec.training, learningRate: 0.01 } }, summary: { ...base.summary, bestValAcc: 0.95 } });
const missing = runRecord({ id: 'c', name: 'queued-run', status: 'queued', summary: { epochs: 10 } });

describe('the comparison table', () => {
  test('flags exactly the columns whose values differ between runs', () => {
    const table = buildCompareTable([compareRun(base, [0.8, 0.93]), compareRun(faster, [0.85, 0.95])]);
    const differing = table.columns.filter((c) => c.differs).map((c) => c.key);
    assert.deepEqual(differing, ['learningRate', 'bestValAcc', 'finalTrainAcc']);
    const lr = table.columns.findIndex((c) => c.key === 'learningRate');
    assert.deepEqual(table.rows.map((r) => r.values[lr]), [0.001, 0.01]);
    assert.equal(table.columns[lr].format(0.01), '0.01');
  });

  test('a run without a validation split shows its training accuracy in a column of its own, not as validation accuracy', () => {
    const trainOnly = runRecord({ id: 'd', name: 'no-val', summary: { epochs: 10, bestEpoch: 9, bestTrainAcc: 0.97, bestTrainLoss: 0.1 } });
    const table = buildCompareTable([compareRun(base, [0.9]), { run: trainOnly, epochs: [{ epoch: 1, time: '', loss: 0.1, acc: 0.97, learningRate: 0.001, imagesPerSecond: 1, durationMs: 1, isBest: true, perClass: [] }] }]);
    const column = (key: string) => table.columns.findIndex((c) => c.key === key);
    assert.deepEqual(table.rows.map((r) => r.values[column('bestValAcc')]), [0.93, undefined]);
    assert.deepEqual(table.rows.map((r) => r.values[column('bestTrainAcc')]), [undefined, 0.97]);
    assert.match(table.columns[column('bestTrainAcc')].label, /train.*no val/);
    assert.equal(buildCompareTable([compareRun(base, [0.9])]).columns.some((c) => c.key === 'bestTrainAcc'), false, 'no such column when every run has validation numbers');
  });

  test('has a column for every hyperparameter of the training spec', () => {
    const keys = new Set(COMPARE_COLUMNS.map((c) => c.key));
    for (const field of ['epochs', 'batchSize', 'learningRate', 'optimizer', 'momentum', 'loss', 'labelSmoothing', 'seed']) assert.ok(keys.has(field), field);
  });

  test('sorts numbers numerically and text alphabetically, either way, missing values last', () => {
    const table = buildCompareTable([compareRun(base, [0.9]), compareRun(faster, [0.9]), compareRun(missing, [])]);
    const acc = table.columns.findIndex((c) => c.key === 'bestValAcc');
    assert.deepEqual(sortCompareRows(table.rows, acc, 'descending').map((r) => r.name), ['higher-lr', 'baseline', 'queued-run']);
    assert.deepEqual(sortCompareRows(table.rows, acc, 'ascending').map((r) => r.name), ['baseline', 'higher-lr', 'queued-run']);
    assert.deepEqual(sortCompareRows(table.rows, 'name', 'ascending').map((r) => r.name), ['baseline', 'higher-lr', 'queued-run']);
    assert.equal(table.columns[acc].format(undefined), '–');
  });
});
