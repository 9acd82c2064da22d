// Runs scripts/run-tests.mjs on a throwaway project whose tests pass, skip, stay todo and hang, and
// checks that its closing line counts each kind and that a hung test fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

const repo = resolve(__dirname, '../../..');

function project(files: Record<string, string>): string {
  const root = makeTempDir('classifier-lab-run-tests-');
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'test', 'unit'), { recursive: true });
  copyFileSync(join(repo, 'scripts', 'run-tests.mjs'), join(root, 'scripts', 'run-tests.mjs'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'test', 'unit', name), text);
  return root;
}

function runScript(root: string, timeoutMs: number): { code: number | null; stdout: string } {
  // Without this, a test runner started from inside a test acts as that test's child and reports nothing.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'unit'], {
    cwd: root, encoding: 'utf8', timeout: 120_000,
    env: { ...env, CLASSIFIER_LAB_TEST_TIMEOUT_MS: String(timeoutMs) },
  });
  return { code: result.status, stdout: result.stdout };
}

test('a hung test times out, is counted as cancelled and fails the run; skipped and todo tests are counted', () => {
  const root = project({
    'fine.test.ts': [
      "import { test } from 'node:test';",
      "test('passes', () => {});",
      "test('not yet', { skip: 'waiting for a fixture' }, () => {});",
      "test('later', { todo: true }, () => {});",
    ].join('\n'),
    'hung.test.ts': [
      "import { test } from 'node:test';",
      "test('never settles', async () => { await new Promise(() => setInterval(() => undefined, 1000)); });",
    ].join('\n'),
  });
  try {
    const { code, stdout } = runScript(root, 4_000);
    const closing = stdout.trim().split('\n').at(-1) ?? '';
    assert.match(closing, /^\d+ passed, 0 failed, 1 cancelled \(timed out or cut short\), 1 skipped, 1 todo$/, stdout);
    assert.match(stdout, /timed out after 4 s: .*hung\.test\.ts/);
    assert.equal(code, 1, 'a cancelled test fails the run');
  } finally {
    removeTempDir(root);
  }
});

test('a clean run says only what passed and failed, and exits 0', () => {
  const root = project({ 'fine.test.ts': "import { test } from 'node:test';\ntest('passes', () => {});\n" });
  try {
    const { code, stdout } = runScript(root, 60_000);
    assert.equal(stdout.trim().split('\n').at(-1), '1 passed, 0 failed');
    assert.equal(code, 0);
  } finally {
    removeTempDir(root);
  }
});
