// Kills the writer of a run at every step that changes the disk, in this process (a fault injected into
// the store's file operations: that step and all later ones fail, as after a kill) and, for real, in a
// child process SIGKILLed at each step; then checks that nothing saved was lost (see checkAfterCrash).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { FaultyFileOps, SimulatedCrash } from '../../../fixtures/faultyFileOps';
import { checkAfterCrash, runWriteSequence } from '../../../fixtures/storeWriteSequence';

async function countSteps(): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'classifier-lab-crash-'));
  try {
    const ops = new FaultyFileOps(undefined);
    await runWriteSequence(join(root, 'runs'), ops, () => undefined);
    return ops.steps;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('a run survives its writer dying at any step', () => {
  test('in process: every step of create, start, events, best model, checkpoint, predictions and end', async () => {
    const steps = await countSteps();
    assert.ok(steps.length > 80, `the sequence has ${steps.length} steps`);
    for (let failAt = 0; failAt <= steps.length; failAt++) {
      const root = await mkdtemp(join(tmpdir(), 'classifier-lab-crash-'));
      try {
        const reached = new Set<string>();
        const ops = new FaultyFileOps(failAt);
        await runWriteSequence(join(root, 'runs'), ops, (m) => reached.add(m)).catch((error: unknown) => {
          // The crash surfaces as itself or wrapped in a RunStoreError naming the file.
          if (!(error instanceof SimulatedCrash) && !((error as Error).cause instanceof SimulatedCrash)) throw error;
        });
        assert.equal(ops.crashed, failAt < steps.length);
        await checkAfterCrash(join(root, 'runs'), reached, `crash before step ${failAt} (${steps[failAt] ?? 'none'})`);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
  });

  // The child is bundled once, so each of the ~100 processes starts in milliseconds rather than through tsx.
  let bundleDir = '';
  let child = '';
  before(async () => {
    bundleDir = await mkdtemp(join(tmpdir(), 'classifier-lab-child-'));
    child = join(bundleDir, 'storeWriterChild.js');
    buildSync({
      entryPoints: [resolve(__dirname, '../../../fixtures/storeWriterChild.ts')], bundle: true, platform: 'node',
      format: 'cjs', outfile: child, logLevel: 'error',
    });
  });
  after(() => rm(bundleDir, { recursive: true, force: true }));

  test('in a child process SIGKILLed before each step', async () => {
    const steps = await countSteps();
    for (let killAt = 0; killAt < steps.length; killAt++) {
      const root = await mkdtemp(join(tmpdir(), 'classifier-lab-kill-'));
      try {
        const reachedFile = join(root, 'reached.txt');
        const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
          const proc = spawn(process.execPath, [child, join(root, 'runs'), String(killAt), reachedFile], { stdio: 'inherit' });
          proc.on('error', fail);
          proc.on('exit', (exitCode, exitSignal) => done({ code: exitCode, signal: exitSignal }));
        });
        assert.equal(signal, 'SIGKILL', `the child was killed (exit ${code})`);
        const reached = new Set(existsSync(reachedFile) ? readFileSync(reachedFile, 'utf8').split('\n').filter(Boolean) : []);
        await checkAfterCrash(join(root, 'runs'), reached, `SIGKILL before step ${killAt} (${steps[killAt]})`);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
  });
});
