import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SAMPLE_IMAGES_PER_REQUEST, parseFromDashboardView } from '../../../../../src/extension/webviews/dashboard/dashboardMessages';

describe('parseFromDashboardView (untrusted input from the dashboard page)', () => {
  test('accepts the messages the dashboard sends', () => {
    assert.deepEqual(parseFromDashboardView({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromDashboardView({ type: 'requestConfusion', epoch: 4 }), { type: 'requestConfusion', epoch: 4 });
    assert.deepEqual(parseFromDashboardView({ type: 'requestConfusion', epoch: 'test' }), { type: 'requestConfusion', epoch: 'test' });
    assert.deepEqual(parseFromDashboardView({ type: 'requestSampleImages', indices: [3, 1, 3] }), { type: 'requestSampleImages', indices: [3, 1] });
    assert.deepEqual(parseFromDashboardView({ type: 'openSample', index: 0 }), { type: 'openSample', index: 0 });
    assert.deepEqual(parseFromDashboardView({ type: 'setNotes', notes: 'ok', tags: ['a'] }), { type: 'setNotes', notes: 'ok', tags: ['a'] });
    assert.deepEqual(parseFromDashboardView({ type: 'export', format: 'png', fileName: 'loss.png', content: 'data:image/png;base64,iVBORw0KGgo=' }),
      { type: 'export', format: 'png', fileName: 'loss.png', content: 'data:image/png;base64,iVBORw0KGgo=' });
  });

  test('drops extra fields instead of passing them on', () => {
    assert.deepEqual(parseFromDashboardView({ type: 'ready', command: 'rm -rf' }), { type: 'ready' });
  });

  test('rejects unknown types, wrong field types and out-of-range values', () => {
    for (const bad of [
      null, 'ready', [], { type: 'deleteRun' }, { type: 'requestConfusion', epoch: 0 }, { type: 'requestConfusion', epoch: 1.5 },
      { type: 'requestConfusion', epoch: '3' }, { type: 'openSample', index: -1 }, { type: 'openSample', index: '1' },
      { type: 'requestSampleImages', indices: Array.from({ length: MAX_SAMPLE_IMAGES_PER_REQUEST + 1 }, (_, i) => i) },
      { type: 'requestSampleImages', indices: [1, NaN] }, { type: 'setNotes', notes: 5, tags: [] }, { type: 'setNotes', notes: '', tags: [1] },
      { type: 'requestWeightStatistics', layer: '' }, { type: 'openRun', runId: 7 },
    ]) {
      assert.equal(parseFromDashboardView(bad), undefined, JSON.stringify(bad));
    }
  });

  test('refuses export names with folders in them and PNGs that are not PNG data URLs', () => {
    assert.equal(parseFromDashboardView({ type: 'export', format: 'csv', fileName: '../../.bashrc', content: 'x' }), undefined);
    assert.equal(parseFromDashboardView({ type: 'export', format: 'csv', fileName: 'a\\b.csv', content: 'x' }), undefined);
    assert.equal(parseFromDashboardView({ type: 'export', format: 'exe', fileName: 'a.exe', content: 'x' }), undefined);
    assert.equal(parseFromDashboardView({ type: 'export', format: 'png', fileName: 'a.png', content: 'data:text/html;base64,PGgxPg==' }), undefined);
    assert.equal(parseFromDashboardView({ type: 'export', format: 'png', fileName: 'a.png', content: 'data:image/png;base64,<script>' }), undefined);
  });
});
