// A real training process SIGKILLed before each step that changes its run folder (fault injection on
// the store's file operations, so every step is hit, not random moments). After each kill: the run
// reads, as completed exactly when its log holds runEnd; its metrics lines are whole; its checkpoint
// and best model load; and (for every 8th step, and the last ones) it resumes to completion (a run
// killed before it started trains from its first epoch; one killed before its first checkpoint is
// refused with the reason).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { initBackend } from '../../src/core/backend/selectBackend';
import { loadModelFromDir } from '../../src/core/models/modelFiles';
import { readableDir } from '../../src/core/runs/atomicFile';
import { RunStore } from '../../src/core/runs/runStore';
import { runTraining } from '../../src/core/runTraining';
import { killTestSpec } from '../fixtures/killTestSpec';
import { makeShapesDataset, writeFolderDataset } from '../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../fixtures/tempDir';

const repo = resolve(__dirname, '../..');
// Inside the repository, so the bundle finds @tensorflow/* in node_modules as dist/ does.
const bundleDir = join(repo, '.test-artifacts');
const child = join(bundleDir, 'trainingChild.js');
let root = '';
let data = '';

before(async () => {
  mkdirSync(bundleDir, { recursive: true });
  buildSync({
    entryPoints: [join(repo, 'test', 'fixtures', 'trainingChild.ts')], bundle: true, platform: 'node', format: 'cjs',
    outfile: child, external: ['@tensorflow/*'], logLevel: 'error',
  });
  await initBackend('wasm');
  root = makeTempDir();
  data = join(root, 'shapes');
  writeFolderDataset(data, makeShapesDataset(64, 8, 3), { testFraction: 0.25 });
});

after(() => {
  removeTempDir(root);
  rmSync(child, { force: true });
});

function runChild(runsDir: string, killAt: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [child, data, runsDir, String(killAt)]);
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    proc.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    proc.on('error', fail);
    proc.on('exit', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

test('a training process killed before any write step loses nothing it saved, and resumes', async (t) => {
  const counted = await runChild(join(root, 'count'), -1);
  assert.equal(counted.code, 0, counted.stderr);
  const steps = counted.stdout.trim().split('\n');
  assert.ok(steps.length > 60, `${steps.length} steps`);
  let resumes = 0;
  for (let killAt = 0; killAt < steps.length; killAt++) {
    const context = `killed before step ${killAt} (${steps[killAt].replace(root, '')})`;
    const runsDir = join(root, `kill-${killAt}`);
    const killed = await runChild(runsDir, killAt);
    assert.equal(killed.signal, 'SIGKILL', `${context}: ${killed.stderr}`);

    const store = new RunStore(runsDir);
    const { runs, unreadable } = await store.scan();
    if (runs.length === 0) {
      // Killed while the run was being created: at most its empty folder, listed as unreadable.
      for (const bad of unreadable) {
        assert.match(bad.reason, /no run\.json/, context);
        assert.deepEqual(readdirSync(bad.runDir).filter((name) => !name.startsWith('.')), [], context);
      }
      continue;
    }
    assert.equal(runs.length, 1, context);
    assert.deepEqual(unreadable, [], context);
    const run = runs[0];
    const runDir = store.runDir(run.id);
    const metrics = existsSync(join(runDir, 'metrics.jsonl')) ? readFileSync(join(runDir, 'metrics.jsonl'), 'utf8') : '';
    const ended = metrics.slice(0, metrics.lastIndexOf('\n') + 1).includes('"type":"runEnd"');
    assert.equal(run.status, ended ? 'completed' : 'interrupted', context);
    assert.equal((await store.readMetricsFrom(run.id, 0)).skippedLines, 0, `${context}: metrics lines are whole`);

    const state = await store.readCheckpointState(run.id);
    const checkpointDir = await readableDir(join(runDir, 'checkpoint'));
    assert.equal(state !== undefined, checkpointDir !== undefined, context);
    if (checkpointDir) (await loadModelFromDir(join(runDir, 'checkpoint'))).dispose();
    if (await readableDir(join(runDir, 'model'))) (await loadModelFromDir(join(runDir, 'model'))).dispose();
    if (state) assert.ok(existsSync(join(runDir, 'confusion', `epoch-${String(state.epoch).padStart(4, '0')}.json`)), `${context}: the checkpointed epoch's matrix`);

    if (killAt % 8 === 0 || killAt >= steps.length - 4) {
      resumes++;
      const resume = runTraining({ spec: killTestSpec(data), runsDir, backend: 'wasm', resumeRunId: run.id });
      if (ended) {
        await assert.rejects(resume, /already completed/, context);
      } else if (!state && run.startedAt === undefined) {
        // Killed before training began: nothing was trained, so resuming trains it from its first epoch.
        const outcome = await resume;
        assert.equal(outcome.status, 'completed', `${context}: ${outcome.error}`);
        assert.equal((await store.read(run.id)).status, 'completed', context);
      } else if (!state) {
        await assert.rejects(resume, /no checkpoint to resume from/, context);
      } else if (state.epoch >= 2) {
        await assert.rejects(resume, /already finished all 2 epochs/, context);
      } else {
        const outcome = await resume;
        assert.equal(outcome.status, 'completed', `${context}: ${outcome.error}`);
        assert.equal((await store.read(run.id)).status, 'completed', context);
      }
    }
    rmSync(runsDir, { recursive: true, force: true });
  }
  t.diagnostic(`killed at each of ${steps.length} write steps; resumed ${resumes} of them`);
});
