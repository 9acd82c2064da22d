// Background training through the extension's API, checked in the run folder and the Experiments view.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { after, describe, test } from './harness/inHostTests';
import { extensionPath, labApi, readRun, report, sampleDataset, sampleSpec, waitFor, waitForBatches } from './helpers/labApi';

describe('training in the background', () => {
  after(async () => {
    // Leave no trainer running for the UI tests that use the same workspace.
    const api = await labApi();
    for (const id of api.trainingRunIds()) await api.stopRun(id);
    await api.whenIdle();
  });

  test('activates quickly, with the runs folder in the workspace', async () => {
    const api = await labApi();
    report(`activation took ${api.activationMs.toFixed(1)} ms`);
    assert.equal(api.runsDir(), join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.classifier-lab', 'runs'));
  });

  test('trains a run on the sample digits to completion and shows its accuracy', { timeout: 180_000 }, async () => {
    const api = await labApi();
    // The extension host's own event loop while the trainer process trains on every core: logged, not asserted.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const runId = await api.startRun(sampleSpec('mnist-digits', { epochs: 1 }));
    await api.whenIdle();
    delay.disable();
    const record = await readRun(api, runId);
    assert.equal(record.status, 'completed', record.error);
    assert.equal(record.summary.lastEpoch, 1);
    assert.ok((record.summary.bestValAcc ?? 0) > 0.5, `val acc ${record.summary.bestValAcc}`);
    assert.ok(record.summary.testAcc !== undefined, 'the test split was evaluated');
    const row = await waitFor('the completed row', () => api.experimentRows().find((r) => r.id === runId && r.icon === 'pass'));
    assert.match(row.description, /^val acc \d+\.\d%$/);
    assert.equal(row.label, record.name);
    const timings = api.timings(runId);
    assert.ok(timings?.firstEpochAt, 'the first epoch was timed');
    report(`mnist-digits, 1 epoch: run requested -> first epoch event ${((timings.firstEpochAt - timings.requestedAt) / 1000).toFixed(1)} s `
      + `(trainer started +${(((timings.trainerStartedAt ?? 0) - timings.requestedAt) / 1000).toFixed(2)} s, run folder +${(((timings.runCreatedAt ?? 0) - timings.requestedAt) / 1000).toFixed(1)} s, `
      + `training started +${(((timings.trainingStartedAt ?? 0) - timings.requestedAt) / 1000).toFixed(1)} s)`);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    report(`extension host event-loop delay while training on ${record.threads ?? 1} trainer thread(s): `
      + `p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms (${delay.count} samples, 10 ms resolution)`);
  });

  test('a run stopped mid-way ends cancelled, after finishing its batch', { timeout: 180_000 }, async () => {
    const api = await labApi();
    const runId = await api.startRun(sampleSpec('mnist-digits', { epochs: 50 }));
    await waitForBatches(api, runId, 2);
    const row = await waitFor('the running row', () => api.experimentRows().find((r) => r.id === runId && r.icon === 'loading~spin'));
    assert.equal(row.contextValue, 'run.running');
    assert.equal(await api.stopRun(runId), true);
    const record = await readRun(api, runId);
    assert.equal(record.status, 'cancelled');
    assert.ok((record.summary.lastEpoch ?? 0) < 50);
    assert.equal(api.trainerPid(runId), undefined);
    await waitFor('the cancelled row', () => api.experimentRows().find((r) => r.id === runId && r.icon === 'circle-slash'));
  });

  test('a killed trainer leaves its run failed with the reason, and training still works', { timeout: 240_000 }, async () => {
    const api = await labApi();
    const runId = await api.startRun(sampleSpec('mnist-digits', { epochs: 50 }));
    await waitForBatches(api, runId, 1);
    const pid = api.trainerPid(runId);
    assert.ok(pid, 'the trainer runs in its own process');
    assert.notEqual(pid, process.pid);
    process.kill(pid, 'SIGKILL');
    await api.whenIdle();
    const record = await readRun(api, runId);
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /trainer process was killed \(SIGKILL\)/);
    await waitFor('the failed row', () => api.experimentRows().find((r) => r.id === runId && r.icon === 'error'));

    const next = await api.startRun(sampleSpec('colour-shapes', { epochs: 1 }, 200));
    await api.whenIdle();
    assert.equal((await readRun(api, next)).status, 'completed');
  });

  test('runs beyond classifierLab.concurrentRuns (1) wait in the queue and start one after another', { timeout: 240_000 }, async () => {
    const api = await labApi();
    assert.equal(vscode.workspace.getConfiguration('classifierLab').get('concurrentRuns'), 1);
    const first = api.startRun(sampleSpec('colour-shapes', { epochs: 2 }, 300), 'queue-first');
    const second = api.startRun(sampleSpec('colour-shapes', { epochs: 1 }, 200), 'queue-second');
    const firstId = await first;
    assert.equal(api.queuedCount(), 1);
    assert.deepEqual(api.trainingRunIds(), [firstId]);
    await waitFor('the queued row', () => api.experimentRows().find((r) => r.label === 'queue-second' && r.description === 'queued' && r.contextValue === 'run.queued'));
    const secondId = await second;
    const firstRecord = await readRun(api, firstId);
    assert.equal(firstRecord.status, 'completed', 'the second run started only after the first had finished');
    await api.whenIdle();
    const secondRecord = await readRun(api, secondId);
    assert.equal(secondRecord.status, 'completed');
    assert.ok(Date.parse(secondRecord.createdAt) >= Date.parse(firstRecord.endedAt!));
  });

  test('a cancelled run resumes from its checkpoint and completes every epoch', { timeout: 240_000 }, async () => {
    const api = await labApi();
    const runId = await api.startRun(sampleSpec('colour-shapes', { epochs: 6 }, 300));
    await waitFor('the first checkpoint', async () => ((await readRun(api, runId)).summary.lastEpoch ?? 0) >= 1, 120_000, 100);
    await api.stopRun(runId);
    const stopped = await readRun(api, runId);
    assert.equal(stopped.status, 'cancelled');
    assert.ok((stopped.summary.lastEpoch ?? 0) < 6);
    assert.equal(await api.resumeRun(runId), runId);
    await api.whenIdle();
    const resumed = await readRun(api, runId);
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(resumed.summary.lastEpoch, 6);
    assert.ok((resumed.resumedFrom ?? 0) >= 1);
  });

  test('a run the command line writes into the runs folder appears in the view by itself', { timeout: 180_000 }, async () => {
    const api = await labApi();
    const name = `from-the-cli-${process.pid}`;
    const cli = spawn(process.execPath, [
      join(extensionPath(), 'dist', 'cli.js'), 'train', '--data', sampleDataset('colour-shapes'), '--epochs', '1', '--limit', '200',
      '--runs-dir', api.runsDir()!, '--name', name, '--json',
    ], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    let exitCode: number | null | undefined;
    void exited.then((code) => { exitCode = code; });
    // No refresh call: the view follows the folder on its own.
    await waitFor(`"${name}" in the Experiments view`, () => {
      if (exitCode !== undefined && exitCode !== 0) throw new Error(`the command line failed (exit ${exitCode}): ${stderr}`);
      return api.experimentRows().find((r) => r.label === name);
    }, 120_000);
    assert.equal(await exited, 0, stderr);
    const row = await waitFor(`"${name}" completed in the view`, () => api.experimentRows().find((r) => r.label === name && r.icon === 'pass'), 30_000);
    assert.match(row.description, /val acc/);
  });
});
