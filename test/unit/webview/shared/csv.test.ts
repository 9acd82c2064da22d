import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from '../../../../webview/shared/csv';

describe('toCsv', () => {
  test('quotes fields with commas, quotes, line breaks or edge spaces, and ends lines with CRLF', () => {
    assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', ' padded'], [1.5, undefined]]),
      'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak"," padded"\r\n1.5,\r\n');
  });
});
