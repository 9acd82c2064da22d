// The Experiments view's live rows: progress redraws the very row objects VS Code was handed (so a
// row's menu keeps its run), only those whose look changed, and asks for a whole refresh when runs
// came, went or moved.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveRows, type LiveRow } from '../../../../src/extension/views/liveRows';
import type { RunEntry } from '../../../../src/extension/views/runEntries';
import { runDescription } from '../../../../src/extension/views/runPresentation';
import { queuedEntry, recordedEntry, testRecord, trainingRun } from './runTestRecords';

interface Row extends LiveRow { place: string }

const running = (id: string, epoch: number): RunEntry => recordedEntry(testRecord(id, { status: 'running' }), {
  training: trainingRun({ phase: 'training', runId: id, progress: { runId: id, epoch, epochs: 30, batch: 10, batchesPerEpoch: 50, startEpoch: 1, testing: false } }),
});
/** What the view's row shows of a run, as the tree compares it. */
const look = (entry: RunEntry) => runDescription(entry);

/** The rows a view shows for `entries`, at the top level, as getChildren hands them out. */
function handOut(rows: LiveRows<Row>, entries: RunEntry[], place = ''): Row[] {
  return entries.map((entry) => rows.row(place, entry, () => ({ entry, place }), (row) => { row.place = place; }));
}

describe('live rows of the Experiments view', () => {
  test('a progress redraw updates the rows handed out before, in place, and names only those that changed', () => {
    const rows = new LiveRows<Row>();
    const before = [running('a', 1), recordedEntry(testRecord('b'))];
    rows.refreshedAll(before);
    const shown = handOut(rows, before);
    const redraw = rows.redraw([running('a', 2), recordedEntry(testRecord('b'))], look);
    assert.ok(redraw.kind === 'rows', 'no run came, went or moved');
    assert.equal(redraw.rows.length, 1, 'only the training run changed');
    assert.equal(redraw.rows[0], shown[0], 'the same object VS Code holds, so its menu still resolves to it');
    assert.equal(look(shown[0].entry), look(running('a', 2)), 'brought up to date');
    // Handed out again (VS Code asking for the children): still the same objects.
    const again = handOut(rows, [running('a', 2), recordedEntry(testRecord('b'))]);
    assert.equal(again[0], shown[0]);
    assert.equal(again[1], shown[1]);
  });

  test('nothing to redraw when nothing a row shows changed', () => {
    const rows = new LiveRows<Row>();
    const entries = [running('a', 3)];
    rows.refreshedAll(entries);
    handOut(rows, entries);
    assert.deepEqual(rows.redraw([running('a', 3)], look), { kind: 'rows', rows: [] });
  });

  test('a run that came, went or moved asks for the whole view, and rows are handed out anew after it', () => {
    const rows = new LiveRows<Row>();
    const entries = [running('a', 1), recordedEntry(testRecord('b'))];
    rows.refreshedAll(entries);
    const shown = handOut(rows, entries);
    assert.equal(rows.redraw([queuedEntry({ ticket: 9 }), ...entries], look).kind, 'all', 'a run queued');
    assert.equal(rows.redraw([running('a', 1)], look).kind, 'all', 'a run gone');
    assert.equal(rows.redraw([recordedEntry(testRecord('b')), running('a', 1)], look).kind, 'all', 'runs reordered');
    rows.refreshedAll(entries);
    const anew = handOut(rows, entries);
    assert.notEqual(anew[0], shown[0], 'after a whole refresh VS Code forgot the old rows: new ones');
  });

  test('the same run in two places (a group and the top level) is two rows', () => {
    const rows = new LiveRows<Row>();
    const entries = [running('a', 1)];
    rows.refreshedAll(entries);
    const [top] = handOut(rows, entries);
    const [grouped] = handOut(rows, entries, 'status:running');
    assert.notEqual(top, grouped);
    assert.equal(grouped.place, 'status:running');
  });
});
