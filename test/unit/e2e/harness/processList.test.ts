// The process list UI tests rely on to show that no trainer started: it sees a process that does run,
// and it fails, instead of answering "none", when it cannot look.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { CannotObserveProcesses, listProcesses } from '../../../e2e/harness/processList';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

describe('the process list', () => {
  test('shows a running process with its command line and working folder', async () => {
    const dir = realpathSync(makeTempDir());
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'dist/trainer.js'], { cwd: dir, stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const found = listProcesses().find((p) => p.pid === child.pid);
      assert.ok(found, 'the child is listed');
      assert.match(found.cmdline, /dist\/trainer\.js/);
      assert.equal(found.cwd, dir);
    } finally {
      child.kill();
      removeTempDir(dir);
    }
  });

  test('fails when it cannot look: no /proc, or one that does not show this process', () => {
    const dir = makeTempDir();
    try {
      assert.throws(() => listProcesses(join(dir, 'missing')), CannotObserveProcesses);
      mkdirSync(join(dir, 'empty-proc'));
      assert.throws(() => listProcesses(join(dir, 'empty-proc')), /does not show this process/);
    } finally {
      removeTempDir(dir);
    }
  });
});
