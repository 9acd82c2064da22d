// What the Classify Image page and the comparison page may send: everything else is refused, whatever the page is made to post.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromClassifyView } from '../../../../../src/extension/webviews/classify/classifyMessages';
import { MAX_EXPORT_CHARS, MAX_NAME_CHARS, parseCommonViewMessage } from '../../../../../src/extension/webviews/viewMessages';

describe('parseFromClassifyView (untrusted input from a Classify Image tab)', () => {
  test('accepts the messages the page sends, and only their known fields', () => {
    assert.deepEqual(parseFromClassifyView({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromClassifyView({ type: 'openImage', index: 2 }), { type: 'openImage', index: 2 });
    assert.deepEqual(parseFromClassifyView({ type: 'revealImage', index: 0, path: '/etc/passwd' }), { type: 'revealImage', index: 0 });
    assert.deepEqual(parseFromClassifyView({ type: 'closeImage', index: 9 }), { type: 'closeImage' });
    assert.deepEqual(parseFromClassifyView({ type: 'chooseModel', runDir: '/tmp/x' }), { type: 'chooseModel' });
    assert.deepEqual(parseFromClassifyView({ type: 'openRun', runId: '20261130-120000-cnn-ab12' }), { type: 'openRun', runId: '20261130-120000-cnn-ab12' });
    assert.deepEqual(parseFromClassifyView({ type: 'export', format: 'csv', fileName: 'classified.csv', content: 'a,b\n' }),
      { type: 'export', format: 'csv', fileName: 'classified.csv', content: 'a,b\n' });
  });

  test('refuses unknown types, images named by path instead of index, and malformed fields', () => {
    for (const bad of [
      undefined, null, 0, 'openImage', [{ type: 'ready' }], {}, { type: 'classify', path: '/etc/shadow' }, { type: 'openFile', path: '/etc/passwd' },
      { type: 'openImage' }, { type: 'openImage', index: -1 }, { type: 'openImage', index: 1.5 }, { type: 'openImage', index: '1' },
      { type: 'openImage', index: Number.POSITIVE_INFINITY }, { type: 'revealImage', index: null }, { type: 'openRun', runId: 7 },
      { type: 'openRun', runId: 'x'.repeat(MAX_NAME_CHARS + 1) }, { type: 'export', format: 'csv', fileName: '../x.csv', content: '' },
      { type: 'export', format: 'csv', fileName: '/tmp/x.csv', content: '' }, { type: 'export', format: 'csv', fileName: '..', content: '' },
      { type: 'export', format: 'html', fileName: 'x.html', content: '<script>' }, { type: 'export', format: 'csv', fileName: 'x.csv', content: 5 },
    ]) {
      assert.equal(parseFromClassifyView(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('parseCommonViewMessage (the comparison page: ready, export, openRun)', () => {
  test('accepts its three messages', () => {
    assert.deepEqual(parseCommonViewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseCommonViewMessage({ type: 'openRun', runId: 'r1' }), { type: 'openRun', runId: 'r1' });
    assert.deepEqual(parseCommonViewMessage({ type: 'export', format: 'svg', fileName: 'curves.svg', content: '<svg/>' }),
      { type: 'export', format: 'svg', fileName: 'curves.svg', content: '<svg/>' });
  });

  test('refuses the other pages\' messages, oversized exports and PNGs that are not PNG data', () => {
    for (const bad of [
      { type: 'openImage', index: 0 }, { type: 'setNotes', notes: '', tags: [] }, { type: 'openSample', index: 0 },
      { type: 'export', format: 'csv', fileName: 'big.csv', content: 'x'.repeat(MAX_EXPORT_CHARS + 1) },
      { type: 'export', format: 'png', fileName: 'a.png', content: 'data:image/svg+xml;base64,PHN2Zz4=' },
      { type: 'export', format: 'svg', fileName: 'dir/a.svg', content: '<svg/>' },
    ]) {
      assert.equal(parseCommonViewMessage(bad), undefined, JSON.stringify(bad).slice(0, 120));
    }
  });
});
