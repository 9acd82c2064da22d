// The CSV export, built by the result page: the most doubtful images first, unreadable ones last with their reason, and
// file names with commas or quotes kept intact.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationCsv } from '../../../../webview/classify/classificationCsv';

describe('classificationCsv', () => {
  test('rows by rising confidence, errors last, quoting where needed', () => {
    const csv = classificationCsv([
      { index: 0, path: '/d/sure.png', label: 'sure.png', src: '', top: [{ label: 'cat', probability: 0.99 }, { label: 'dog', probability: 0.01 }] },
      { index: 1, path: '/d/broken.png', label: 'broken.png', src: '', error: '/d/broken.png is not a readable image: truncated PNG.' },
      { index: 2, path: '/d/a, "b".png', label: 'x', src: '', top: [{ label: 'dog', probability: 0.51 }, { label: 'cat', probability: 0.49 }] },
    ]);
    assert.equal(csv, [
      'file,top_class,confidence,other_classes,error',
      '"/d/a, ""b"".png",dog,0.510000,cat:0.490000,',
      '/d/sure.png,cat,0.990000,dog:0.010000,',
      '/d/broken.png,,,,/d/broken.png is not a readable image: truncated PNG.',
      '',
    ].join('\r\n'), 'RFC 4180 line ends, like every other export');
  });
});
