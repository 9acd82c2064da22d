// What a dataset tab's page may send (untrusted input), and the progress notification's share and text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PIXELS_PER_REQUEST, parseFromDatasetView } from '../../../../../src/extension/webviews/dataset/datasetMessages';
import { progressPercent, progressText } from '../../../../../src/extension/webviews/dataset/inspectionProgress';

describe('parseFromDatasetView', () => {
  test('accepts the messages the page sends, without extra fields', () => {
    for (const type of ['ready', 'refresh', 'cancel', 'chooseRun', 'clearRun'] as const) assert.deepEqual(parseFromDatasetView({ type, extra: 1 }), { type });
    assert.deepEqual(parseFromDatasetView({ type: 'open', source: '/d/train/a.png' }), { type: 'open', source: '/d/train/a.png' });
    assert.deepEqual(parseFromDatasetView({ type: 'moveToClass', source: '/d/train/a.png' }), { type: 'moveToClass', source: '/d/train/a.png' });
    assert.deepEqual(parseFromDatasetView({ type: 'requestPixels', sources: ['/d/b.bin#1', '/d/b.bin#1', '/d/b.bin#2'] }), { type: 'requestPixels', sources: ['/d/b.bin#1', '/d/b.bin#2'] });
    assert.deepEqual(parseFromDatasetView({ type: 'openRun', runId: 'r1' }), { type: 'openRun', runId: 'r1' });
  });

  test('rejects unknown types, missing or malformed sources and oversized requests', () => {
    for (const bad of [
      null, [], 'refresh', { type: 'delete', source: '/d/a.png' }, { type: 'open' }, { type: 'open', source: '' }, { type: 'open', source: 'a\0b' },
      { type: 'moveToClass', source: 3 }, { type: 'requestPixels', sources: [] }, { type: 'requestPixels', sources: ['/d/a', 5] },
      { type: 'requestPixels', sources: Array.from({ length: MAX_PIXELS_PER_REQUEST + 1 }, (_, i) => `/d/b.bin#${i}`) },
      { type: 'open', source: 'x'.repeat(5000) }, { type: 'openRun', runId: '' }, { type: 'export', format: 'csv', fileName: 'a.csv', content: '' },
    ]) {
      assert.equal(parseFromDatasetView(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });
});

describe('inspection progress', () => {
  test('reading fills the first 90%, comparing the rest', () => {
    assert.equal(progressPercent({ phase: 'reading', done: 0, total: 100 }), 0);
    assert.equal(progressPercent({ phase: 'reading', done: 50, total: 100 }), 45);
    assert.equal(progressPercent({ phase: 'reading', done: 100, total: 100 }), 90);
    assert.equal(progressPercent({ phase: 'comparing', done: 1, total: 2 }), 95);
    assert.equal(progressPercent({ phase: 'comparing', done: 0, total: 0 }), 100);
    assert.equal(progressText({ phase: 'reading', done: 1200, total: 60000 }), 'reading images: 1,200 of 60,000');
  });
});
