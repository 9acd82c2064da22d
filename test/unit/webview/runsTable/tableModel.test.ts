// The runs table's sorting, filtering, column layout and row window, on rows as the panel sends them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunsTableColumn, RunsTableLayout, RunsTableRow } from '../../../../src/protocol/runsTableView';
import { runsTableCsv } from '../../../../webview/runsTable/runsTableCsv';
import { columnTest, compareCells, moveColumn, orderedColumns, queryRows, rowWindow, visibleColumns } from '../../../../webview/runsTable/tableModel';

const columns: RunsTableColumn[] = [
  { key: 'name', label: 'name', kind: 'text', group: 'run' },
  { key: 'bestValAcc', label: 'best val acc', kind: 'percent', group: 'result' },
  { key: 'bestValLoss', label: 'best val loss', kind: 'number', group: 'result' },
  { key: 'training.optimizer', label: 'optimizer', kind: 'text', group: 'setting' },
  { key: 'training.learningRate', label: 'learningRate', kind: 'number', group: 'setting' },
];
const row = (id: string, name: string, acc: number | undefined, loss: number | string, optimizer: string, lr: number): RunsTableRow => ({
  id, cells: { name, ...(acc !== undefined ? { bestValAcc: acc } : {}), bestValLoss: loss, 'training.optimizer': optimizer, 'training.learningRate': lr },
});
const rows = [
  row('r1', 'cnn-run-1', 0.91, 0.3, 'adam', 0.001),
  row('r2', 'rnn-run-2', 0.55, 'NaN', 'sgd', 0.5),
  row('r3', 'cnn-run-10', undefined, 1.2, 'adam', 0.0001),
  row('r4', 'attention-run-3', 0.97, 0.1, 'rmsprop', 0.003),
];
const ids = (list: readonly RunsTableRow[]) => list.map((r) => r.id);

describe('runs table: sorting and filtering', () => {
  test('sorts numbers by value either way, with empty cells last and text (a NaN loss) after numbers', () => {
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: {}, sort: { key: 'bestValAcc', direction: 'desc' } })), ['r4', 'r1', 'r2', 'r3']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: {}, sort: { key: 'bestValAcc', direction: 'asc' } })), ['r2', 'r1', 'r4', 'r3']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: {}, sort: { key: 'bestValLoss', direction: 'asc' } })), ['r4', 'r1', 'r3', 'r2']);
    // Names with numbers sort as people read them: run-2 before run-10.
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: {}, sort: { key: 'name', direction: 'asc' } })), ['r4', 'r1', 'r3', 'r2']);
    assert.ok(compareCells(undefined, 1, 'asc') > 0 && compareCells(undefined, 1, 'desc') > 0);
  });

  test('the text filter keeps rows with every word in some shown column', () => {
    assert.deepEqual(ids(queryRows(rows, columns, { text: 'adam cnn', columnFilters: {} })), ['r1', 'r3']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: 'RMSprop', columnFilters: {} })), ['r4']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: 'nothing-like-this', columnFilters: {} })), []);
  });

  test('column filters compare numbers (percent columns take percents), take ranges, or find words', () => {
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: { bestValAcc: '>90' } })), ['r1', 'r4']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: { bestValAcc: '>=0.91' } })), ['r1', 'r4']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: { 'training.learningRate': '0.0005..0.005' } })), ['r1', 'r4']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: { 'training.learningRate': '<1e-3' } })), ['r3']);
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: { 'training.optimizer': 'adam', bestValAcc: '>50%' } })), ['r1']);
    assert.equal(columnTest(columns[0], '  '), undefined);
    // A comparison typed above a text column is words, not a number.
    assert.deepEqual(ids(queryRows(rows, columns, { text: '', columnFilters: { name: '>5' } })), []);
  });
});

describe('runs table: columns and the row window', () => {
  const layout: RunsTableLayout = { order: ['bestValAcc', 'name', 'gone'], hidden: ['bestValLoss'] };

  test('the saved order first (unknown keys dropped), new columns after it; hidden ones left out of view', () => {
    assert.deepEqual(orderedColumns(columns, layout).map((c) => c.key), ['bestValAcc', 'name', 'bestValLoss', 'training.optimizer', 'training.learningRate']);
    assert.deepEqual(visibleColumns(columns, layout).map((c) => c.key), ['bestValAcc', 'name', 'training.optimizer', 'training.learningRate']);
  });

  test('moving a column shifts it and clamps at the ends', () => {
    assert.deepEqual(moveColumn(columns, layout, 'name', -1), ['name', 'bestValAcc', 'bestValLoss', 'training.optimizer', 'training.learningRate']);
    assert.deepEqual(moveColumn(columns, layout, 'training.learningRate', 5).at(-1), 'training.learningRate');
  });

  test('only the rows in view (and a few either side) are drawn, whatever the number of runs', () => {
    assert.deepEqual(rowWindow(1000, 0, 520, 26, 8), { start: 0, end: 29 });
    assert.deepEqual(rowWindow(1000, 26 * 500, 520, 26, 8), { start: 492, end: 529 });
    assert.deepEqual(rowWindow(1000, 26 * 995, 520, 26, 8), { start: 987, end: 1000 });
    assert.deepEqual(rowWindow(0, 0, 520, 26), { start: 0, end: 0 });
  });

  test('CSV export: the run id, then the shown columns as stored', () => {
    const csv = runsTableCsv(visibleColumns(columns, layout), [rows[0], rows[2]]);
    assert.equal(csv, 'runId,bestValAcc,name,training.optimizer,training.learningRate\r\nr1,0.91,cnn-run-1,adam,0.001\r\nr3,,cnn-run-10,adam,0.0001\r\n');
  });
});
