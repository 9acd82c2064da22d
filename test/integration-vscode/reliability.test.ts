// Faults and load as the editor meets them, inside the real extension host: a dataset removed or changed
// during and between runs, 1,000 runs in the Experiments view, and three runs training at once while the
// extension host's event loop is measured (perf_hooks, in this very process). Times are reported, not asserted.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/core/runs/runRecord';
import { RunStore } from '../../src/core/runs/runStore';
import { after, describe, test } from './harness/inHostTests';
import { labApi, readRun, report, sampleDataset, sampleSpec, waitFor, waitForBatches } from './helpers/labApi';

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no folder is open');
  return folder.uri.fsPath;
}

/** A copy of the sample shapes the test may change or delete. */
function copyOfShapes(name: string): string {
  const copy = join(workspaceFolder(), 'data-copies', name);
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  cpSync(sampleDataset('colour-shapes'), copy, { recursive: true });
  return copy;
}

function runFolders(runsDir: string): string[] {
  return existsSync(runsDir) ? readdirSync(runsDir).filter((name) => !name.startsWith('.')).sort() : [];
}

/** Waits until the Classifier Lab log has a line matching `pattern`; returns it. */
async function logLine(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const file = (await labApi()).logFile();
  return waitFor(`a log line matching ${pattern} in ${file}`, () => {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    return text.split('\n').find((line) => pattern.test(line));
  }, timeoutMs, 200);
}

describe('the dataset removed or changed, seen from the editor', () => {
  after(() => rmSync(join(workspaceFolder(), 'data-copies'), { recursive: true, force: true }));

  test('removed during a run: the run trains on from memory and completes; a new run on it fails with the reason and leaves no run folder', { timeout: 240_000 }, async () => {
    const api = await labApi();
    const data = copyOfShapes('removed-during');
    const base = sampleSpec('colour-shapes', { epochs: 2 }, 300);
    const spec = { ...base, data: { ...base.data, path: data } };
    const runId = await api.startRun(spec, 'dataset-removed-mid-run');
    await waitForBatches(api, runId, 1);
    rmSync(data, { recursive: true, force: true });
    await api.whenIdle();
    const record = await readRun(api, runId);
    assert.equal(record.status, 'completed', record.error);
    await waitFor('the completed row', () => api.experimentRows().find((r) => r.id === runId && r.icon === 'pass'));

    const before = runFolders(api.runsDir()!);
    await assert.rejects(api.startRun(spec, 'dataset-gone'), (error: Error) => error.message.includes(data), 'the reason names the dataset');
    await api.whenIdle();
    assert.deepEqual(runFolders(api.runsDir()!), before, 'no run folder was left behind');
    await logLine(/Could not start training: .*removed-during/);
  });

  test('changed between runs: resuming is refused with the reason, and the run stays resumable', { timeout: 240_000 }, async () => {
    const api = await labApi();
    const data = copyOfShapes('changed-between');
    const base = sampleSpec('colour-shapes', { epochs: 6 }, 300);
    const spec = { ...base, data: { ...base.data, path: data } };
    const runId = await api.startRun(spec, 'dataset-changed-between-runs');
    await waitFor('the first checkpoint', async () => ((await readRun(api, runId)).summary.lastEpoch ?? 0) >= 1, 120_000, 200);
    await api.stopRun(runId);
    const stopped = await readRun(api, runId);
    assert.equal(stopped.status, 'cancelled');
    rmSync(join(data, 'triangle'), { recursive: true, force: true });
    await assert.rejects(api.resumeRun(runId), (error: Error) => /classes changed/.test(error.message), 'the reason says the classes changed');
    await api.whenIdle();
    const after = await readRun(api, runId);
    assert.equal(after.status, 'cancelled', 'still resumable');
    assert.equal(after.summary.lastEpoch, stopped.summary.lastEpoch);
    await logLine(/classes changed since this run started/);
  });
});

describe('load', () => {
  test('1,000 runs are listed in the Experiments view (time reported)', { timeout: 300_000 }, async () => {
    const api = await labApi();
    const runsDir = api.runsDir()!;
    const store = new RunStore(runsDir);
    // A real finished run is the template of the 1,000 (this test also runs on its own).
    if ((await store.list()).length === 0) {
      await api.startRun(sampleSpec('colour-shapes', { epochs: 1 }, 100), 'load-template');
      await api.whenIdle();
      await api.refresh();
    }
    const [template] = await store.list();
    assert.ok(template, 'a run to copy');
    const existing = api.experimentRows().length;
    const ids: string[] = [];
    try {
      for (let i = 0; i < 1000; i++) {
        const id = `20200101-${String(Math.floor(i / 60)).padStart(4, '0')}${String(i % 60).padStart(2, '0')}-cnn-l${String(i).padStart(3, '0')}`;
        ids.push(id);
        mkdirSync(join(runsDir, id));
        const record: RunRecord = { ...template, id, name: `load-${i}`, status: i % 10 === 0 ? 'failed' : 'completed', summary: { ...template.summary, bestValAcc: (i % 100) / 100 } };
        delete record.process;
        writeFileSync(join(runsDir, id, 'run.json'), JSON.stringify(record, null, 2));
      }
      const started = performance.now();
      await api.refresh();
      const read = performance.now();
      const rows = api.experimentRows();
      const shown = performance.now();
      assert.equal(rows.length, existing + 1000);
      assert.ok(ids.every((id) => rows.some((row) => row.id === id && /^(val acc|train acc|failed)/.test(row.description))));
      report(`1,000 runs in the Experiments view: runs folder read in ${Math.round(read - started)} ms, ${rows.length} rows built in ${Math.round(shown - read)} ms`);
    } finally {
      for (const id of ids) rmSync(join(runsDir, id), { recursive: true, force: true });
      await api.refresh();
    }
    assert.equal(api.experimentRows().length, existing);
  });

  test('3 runs train at once while the extension host stays responsive (event-loop delay reported)', { timeout: 600_000 }, async () => {
    const api = await labApi();
    const settings = vscode.workspace.getConfiguration('classifierLab');
    await settings.update('concurrentRuns', 3, vscode.ConfigurationTarget.Workspace);
    const idle = monitorEventLoopDelay({ resolution: 10 });
    const busy = monitorEventLoopDelay({ resolution: 10 });
    try {
      idle.enable();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      idle.disable();
      busy.enable();
      const started = Date.now();
      const ids = await Promise.all([0, 1, 2].map((i) => api.startRun(sampleSpec(i === 1 ? 'mnist-digits' : 'colour-shapes', { epochs: 2 }, 600), `concurrent-${i}`)));
      assert.equal(api.trainingRunIds().length, 3, 'all three train at once');
      // Their dashboards open, following each run live, as a user watching them would.
      for (const id of ids) await vscode.commands.executeCommand('classifierLab.openDashboard', id);
      await api.whenIdle();
      busy.disable();
      for (const id of ids) assert.equal((await readRun(api, id)).status, 'completed');
      const ms = (ns: number) => (ns / 1e6).toFixed(1);
      const line = (h: ReturnType<typeof monitorEventLoopDelay>) => `p50 ${ms(h.percentile(50))} ms, p99 ${ms(h.percentile(99))} ms, max ${ms(h.max)} ms`;
      report(`3 runs training at once (2 epochs each, dashboards open) for ${((Date.now() - started) / 1000).toFixed(0)} s: extension-host event-loop delay ${line(busy)}; idle before: ${line(idle)}`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      await settings.update('concurrentRuns', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
