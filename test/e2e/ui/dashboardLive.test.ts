// A user keeps a run's dashboard open while it trains: the CLI trains in the background and the
// dashboard follows it to the end. Then two measurements (logged, never asserted): the frame time
// while a run streams batch events fast, and how long a finished 50-epoch run takes to open.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import type { Frame } from 'playwright-core';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { artifactsDir } from '../harness/e2ePaths';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import {
  appendSyntheticEpoch, dashboardFrame, openDashboardFromPalette, readRunOnDisk, showTab, startCliTraining, trainWithCli, writeSyntheticRun,
} from './dashboardRuns';

const count = (n: number): string => n.toLocaleString('en-US');

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function runRecords(runsDir: string): RunRecord[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir).filter((name) => !name.startsWith('.')).flatMap((name) => {
    try {
      return [JSON.parse(readFileSync(join(runsDir, name, 'run.json'), 'utf8')) as RunRecord];
    } catch {
      return [];
    }
  });
}

/** The "N epochs, N batches." line of the metrics tab. */
async function metricsCounts(frame: Frame): Promise<{ epochs: number; batches: number }> {
  const text = await frame.locator('.metrics p[aria-live]').innerText();
  const match = /(\d+) epochs?, ([\d,]+) batches/.exec(text);
  return match ? { epochs: Number(match[1]), batches: Number(match[2].replace(/,/g, '')) } : { epochs: 0, batches: 0 };
}

/** Counts animation frames inside the webview, to measure how smooth it stays (string: it runs in the page). */
const START_FRAME_RECORDER = `(() => {
  const w = window;
  w.__frameTimes = [];
  w.__longTasks = [];
  w.__recording = true;
  let last = performance.now();
  const tick = (now) => { w.__frameTimes.push(now - last); last = now; if (w.__recording) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  try { new PerformanceObserver((list) => { for (const entry of list.getEntries()) w.__longTasks.push(entry.duration); }).observe({ type: 'longtask' }); } catch {}
})()`;
const STOP_FRAME_RECORDER = '(() => { window.__recording = false; return { frames: window.__frameTimes, longTasks: window.__longTasks }; })()';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

describe('run dashboard (live runs)', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let workspace: string;
  let runsDir: string;
  let modelDir: string;
  let bigRun: { id: string; name: string };
  const timings: Record<string, unknown> = {};
  const children: ChildProcess[] = [];

  before(async () => {
    tempDir = makeTempDir('classifier-lab-dashboard-live-');
    workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    runsDir = join(workspace, '.classifier-lab', 'runs');
    // A real saved CNN for the synthetic runs' architecture tab.
    modelDir = join(trainWithCli(workspace, ['--data', 'data/colour-shapes', '--epochs', '1', '--limit', '100', '--name', 'model-donor']), 'model');
    const big = await writeSyntheticRun({ runsDir, name: 'fifty-epochs', epochs: 50, batchesPerEpoch: 200, classes: 10, modelDir });
    bigRun = { id: big.id, name: 'fifty-epochs' };
    options.workspace = workspace;
  }, { timeout: 300_000 });
  after(() => {
    for (const child of children) child.kill();
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(join(artifactsDir, 'dashboard-timings.json'), JSON.stringify(timings, null, 2) + '\n');
    console.log('dashboard timings:', JSON.stringify(timings));
    removeTempDir(tempDir);
  });

  const workbench = useWorkbench(options);

  test('follows a run the CLI is training, batch by batch, to its end', async () => {
    const child = startCliTraining(workspace, ['--data', 'data/mnist-digits', '--epochs', '3', '--limit', '3000', '--name', 'live-digits']);
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const record = await waitFor('the run to start training', () => runRecords(runsDir).find((r) => r.name === 'live-digits' && r.status === 'running'), 120_000);
    await openDashboardFromPalette(workbench(), 'live-digits');
    const frame = await dashboardFrame(workbench().page, [record.id]);
    await showTab(frame, 'Metrics');
    await frame.locator('.status-badge', { hasText: 'Running' }).waitFor({ timeout: 30_000 });
    const first = await metricsCounts(frame);
    // New batches arrive while the tab stays open.
    const deadline = Date.now() + 60_000;
    let later = first;
    while (later.batches <= first.batches && Date.now() < deadline) {
      await workbench().page.waitForTimeout(500);
      later = await metricsCounts(frame);
    }
    assert.ok(later.batches > first.batches, `batches went from ${first.batches} to ${later.batches}`);
    assert.match(await frame.locator('.progress-line').innerText(), /Epoch \d of 3, batch \d+ of \d+/);
    await workbench().screenshot('dashboard-live-running');

    assert.equal(await exited, 0);
    await frame.locator('.status-badge', { hasText: 'Completed' }).waitFor({ timeout: 30_000 });
    const run = readRunOnDisk(join(runsDir, record.id));
    const batches = run.events.filter((e) => e.type === 'batchEnd').length;
    await frame.locator('.metrics p[aria-live]', { hasText: `3 epochs, ${count(batches)} batches.` }).waitFor({ timeout: 15_000 });
    await showTab(frame, 'Confusion matrix');
    assert.equal(await frame.locator('#confusion-epoch').getAttribute('max'), '2');
    await frame.locator('#confusion-epoch + output', { hasText: `epoch ${run.record.summary.bestEpoch} (best)` }).waitFor({ timeout: 10_000 });
    await showTab(frame, 'Summary');
    const testAcc = `${((run.record.summary.testAcc ?? NaN) * 100).toFixed(2)}%`;
    assert.equal((await frame.locator('dd[data-key="testAcc"]').innerText()).trim(), testAcc);
  });

  test('stays responsive while a run streams batch events (frame time, logged)', async () => {
    const planned = { epochs: 20, batchesPerEpoch: 200 };
    const live = await writeSyntheticRun({ runsDir, name: 'streaming', epochs: 2, batchesPerEpoch: planned.batchesPerEpoch, classes: 10, modelDir, keepRunning: true });
    try {
      await streamAndMeasure(live);
    } finally {
      await live.writer.close();
    }
  });

  async function streamAndMeasure(live: Awaited<ReturnType<typeof writeSyntheticRun>>): Promise<void> {
    const planned = { epochs: 20, batchesPerEpoch: 200 };
    await openDashboardFromPalette(workbench(), 'streaming');
    const frame = await dashboardFrame(workbench().page, [live.id]);
    await showTab(frame, 'Metrics');
    await frame.locator('.metrics p[aria-live]', { hasText: '2 epochs, 400 batches.' }).waitFor({ timeout: 15_000 });
    const classes = Array.from({ length: 10 }, (_, i) => `class-${i}`);
    await frame.evaluate(START_FRAME_RECORDER);
    const started = Date.now();
    // About 100 batch events a second (a batch every ~10 ms), four epochs.
    for (let epoch = 3; epoch <= 6; epoch++) {
      await appendSyntheticEpoch(live.writer, epoch, planned, classes, 20, () => false, 10);
    }
    const streamedMs = Date.now() - started;
    await frame.locator('.metrics p[aria-live]', { hasText: `6 epochs, ${count(6 * planned.batchesPerEpoch)} batches.` }).waitFor({ timeout: 30_000 });
    const { frames, longTasks } = await frame.evaluate(STOP_FRAME_RECORDER) as { frames: number[]; longTasks: number[] };
    const measured = frames.slice(1);
    timings.streaming = {
      batchEvents: 4 * planned.batchesPerEpoch,
      streamedMs,
      batchesPerSecond: Math.round((4 * planned.batchesPerEpoch) / (streamedMs / 1000)),
      frames: measured.length,
      frameMsMean: Number((measured.reduce((a, b) => a + b, 0) / measured.length).toFixed(1)),
      frameMsP50: Number(percentile(measured, 50).toFixed(1)),
      frameMsP95: Number(percentile(measured, 95).toFixed(1)),
      frameMsMax: Number(Math.max(...measured).toFixed(1)),
      longTasks: longTasks.length,
      longestTaskMs: longTasks.length > 0 ? Math.round(Math.max(...longTasks)) : 0,
    };
    console.log('streaming:', JSON.stringify(timings.streaming));
    assert.ok(measured.length > 0, 'the page kept drawing frames while batches streamed');
    await live.writer.append({ type: 'runEnd', time: new Date().toISOString(), status: 'completed', best: null });
    await frame.locator('.status-badge', { hasText: 'Completed' }).waitFor({ timeout: 15_000 });
  }

  test('opens a finished 50-epoch run of 10,000 batches (open time, logged)', async () => {
    await workbench().runCommand('View: Close All Editors');
    await workbench().runCommand('Classifier Lab: Open Dashboard', 60_000);
    const input = workbench().quickInput.locator('input.input');
    await input.fill(bigRun.name);
    await workbench().quickInput.locator('.monaco-list-row', { hasText: bigRun.name }).first().waitFor({ timeout: 20_000 });
    const started = Date.now();
    await workbench().page.keyboard.press('Enter');
    const frame = await dashboardFrame(workbench().page, [bigRun.id], 120_000);
    await frame.locator('h1', { hasText: bigRun.name }).waitFor({ timeout: 60_000 });
    const shownMs = Date.now() - started;
    const metricsStarted = Date.now();
    await showTab(frame, 'Metrics');
    await frame.locator('.metrics p[aria-live]', { hasText: '50 epochs, 10,000 batches.' }).waitFor({ timeout: 60_000 });
    const chartsMs = Date.now() - metricsStarted;
    await showTab(frame, 'Confusion matrix');
    assert.equal(await frame.locator('#confusion-epoch').getAttribute('max'), '49');
    timings.open50Epochs = { summaryShownMs: shownMs, metricsChartsDrawnMs: chartsMs, epochs: 50, batches: 10_000 };
    console.log('50-epoch open:', JSON.stringify(timings.open50Epochs));
    await showTab(frame, 'Metrics');
    await workbench().screenshot('dashboard-fifty-epochs-metrics');
  });
});
