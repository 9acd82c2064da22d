import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StderrTail } from '../../../src/processes/stderrTail';

describe('StderrTail', () => {
  test('keeps the last lines across chunk boundaries, dropping blank ones', () => {
    const tail = new StderrTail(3);
    tail.push('line 1\nline');
    tail.push(' 2\n\n\nline 3\r\nline 4\nhalf');
    assert.equal(tail.text(), 'line 3\nline 4\nhalf');
  });

  test('cuts very long lines so an error message stays readable', () => {
    const tail = new StderrTail(2, 10);
    tail.push(`${'x'.repeat(50)}\n`);
    assert.equal(tail.text(), `${'x'.repeat(10)}…`);
  });

  test('is empty when nothing was written', () => {
    assert.equal(new StderrTail().text(), '');
  });
});
