// Runs for the UI tests, and what a user does with the dashboard: train with the CLI, read the runs
// folder back, open the dashboard from the palette, find its page among the webview frames, switch tabs and themes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { parseMetricsLines, type RecordedEvent } from '../../../src/core/runs/recordedEvent';
import type { ConfusionFile, PredictionsFile } from '../../../src/core/runs/runFiles';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import type { RunWriter } from '../../../src/core/runs/runWriter';
import type { RunSpec } from '../../../src/core/runSpec';
import { repoRoot } from '../harness/e2ePaths';
import { Workbench } from '../harness/workbench';

export const cliPath = join(repoRoot, 'dist', 'cli.js');

/** A finished run as the files say it is, to compare with what the dashboard shows. */
export interface RunOnDisk {
  runDir: string;
  record: RunRecord;
  events: RecordedEvent[];
  confusion(epoch: number | 'test'): ConfusionFile;
  predictions: PredictionsFile;
  modelJson: { modelTopology: { config: { layers: unknown[] } } };
}

export function readRunOnDisk(runDir: string): RunOnDisk {
  const json = <T>(path: string): T => JSON.parse(readFileSync(join(runDir, path), 'utf8')) as T;
  return {
    runDir,
    record: json<RunRecord>('run.json'),
    events: parseMetricsLines(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n')).events,
    confusion: (epoch) => json<ConfusionFile>(join('confusion', epoch === 'test' ? 'test.json' : `epoch-${String(epoch).padStart(4, '0')}.json`)),
    predictions: json<PredictionsFile>('predictions.json'),
    modelJson: json('model/model.json'),
  };
}

/** Every readable run record in the workspace's runs folder. */
export function runRecords(workspace: string): RunRecord[] {
  const runsDir = join(workspace, '.classifier-lab', 'runs');
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((entry) => {
    try {
      return [JSON.parse(readFileSync(join(runsDir, entry.name, 'run.json'), 'utf8')) as RunRecord];
    } catch {
      return [];
    }
  });
}

/** Polls the runs folder until a record satisfies `accept`. */
export async function waitForRecord(workspace: string, what: string, accept: (record: RunRecord) => boolean, timeoutMs = 90_000): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = runRecords(workspace).find(accept);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

/** Trains with the CLI (as a user of the command line would) and returns the run folder. */
export function trainWithCli(workspace: string, args: readonly string[]): string {
  const result = spawnSync(process.execPath, [cliPath, 'train', ...args, '--runs-dir', join(workspace, '.classifier-lab', 'runs'), '--json'], {
    cwd: workspace, encoding: 'utf8', timeout: 240_000,
  });
  const end = result.stdout.split('\n').filter((line) => line.includes('"runEnd"')).map((line) => JSON.parse(line) as { status: string; runDir: string })[0];
  if (result.status !== 0 || !end || end.status !== 'completed') {
    throw new Error(`classifier-lab train ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return end.runDir;
}

/** Starts CLI training in the background; the returned process ends with the run. */
export function startCliTraining(workspace: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [cliPath, 'train', ...args, '--runs-dir', join(workspace, '.classifier-lab', 'runs'), '--json'], {
    cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The page of the dashboard showing these runs, in any order (webviews live in nested iframes). */
export async function dashboardFrame(page: Page, runIds: readonly string[], timeoutMs = 60_000): Promise<Frame> {
  const wanted = JSON.stringify([...runIds].sort());
  const idsOf = (text: string | null): string | undefined => {
    try {
      return text === null ? undefined : JSON.stringify((JSON.parse(text) as string[]).sort());
    } catch {
      return undefined;
    }
  };
  const deadline = Date.now() + timeoutMs;
  // In the browser workbench a webview's document is fetched through a service worker, which on a
  // loaded machine now and then never answers, leaving the frame empty. VS Code's own remedy is
  // "Developer: Reload Webviews" (it reloads the same HTML, so a page that cannot render stays broken).
  let nextReload = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (Date.now() >= nextReload) {
      nextReload = Date.now() + 20_000;
      await new Workbench(page).runCommand('Developer: Reload Webviews').catch(() => undefined);
    }
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const ids = idsOf(await frame.locator('body').getAttribute('data-run-ids', { timeout: 500 }).catch(() => null));
      if (ids === wanted) {
        const busy = await frame.locator('#app').getAttribute('aria-busy', { timeout: 500 }).catch(() => 'true');
        if (busy === null) return frame;
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no dashboard page for ${wanted}`);
}

/**
 * `Classifier Lab: Open Dashboard`, then the run picked by name from the quick pick. A run created a
 * moment ago may not be listed yet (the runs view learns of it from a file watcher): ask again.
 */
export async function openDashboardFromPalette(workbench: Workbench, runName: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await workbench.runCommand('Classifier Lab: Open Dashboard', 60_000);
    try {
      await pickFromQuickPick(workbench, runName, 5_000);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await workbench.page.keyboard.press('Escape');
      await workbench.page.waitForTimeout(1_000);
    }
  }
}

/** Types `label` into the open quick pick and accepts the row that shows it. */
export async function pickFromQuickPick(workbench: Workbench, label: string, timeoutMs = 20_000): Promise<void> {
  const input = workbench.quickInput.locator('input.input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(label);
  const row = workbench.quickInput.locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await workbench.page.keyboard.press('Enter');
  await workbench.quickInput.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** `Preferences: Color Theme`, then the theme by name. */
export async function setColourTheme(workbench: Workbench, theme: string): Promise<void> {
  // A webview that was just revealed can take the focus back and close the palette: try again once.
  for (let attempt = 0; ; attempt++) {
    try {
      await workbench.runCommand('Preferences: Color Theme');
      await pickFromQuickPick(workbench, theme);
      break;
    } catch (error) {
      if (attempt > 0) throw error;
      await workbench.page.keyboard.press('Escape');
      await workbench.page.waitForTimeout(500);
    }
  }
  await workbench.page.waitForTimeout(800);
}

export async function showTab(frame: Frame, name: string): Promise<void> {
  await frame.locator('vscode-tab-header', { hasText: name }).first().click();
  await frame.locator('vscode-tab-header[aria-selected="true"]', { hasText: name }).waitFor({ timeout: 10_000 });
}

/** The text of the summary row with this key (see webview/summaryRows.ts). */
export async function summaryValue(frame: Frame, key: string): Promise<string> {
  return (await frame.locator(`dd[data-key="${key}"]`).innerText()).trim();
}

const SPEC: RunSpec = {
  data: { path: '/synthetic/shapes', format: 'folder', valSplit: 0.1, cifar100Labels: 'fine' },
  model: { kind: 'cnn', options: { filters: [32, 64, 64], denseUnits: 64, dropout: 0 } },
  training: { epochs: 50, batchSize: 64, learningRate: 0.001, optimizer: 'adam', momentum: 0.9, loss: 'crossentropy', labelSmoothing: 0, earlyStoppingPatience: 0, seed: 7 },
  augment: { flip: false, rotateDegrees: 0, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 },
};

export interface SyntheticRunOptions {
  runsDir: string;
  name: string;
  epochs: number;
  batchesPerEpoch: number;
  classes: number;
  /** A real model folder to use as the run's best model. */
  modelDir: string;
  /** Leave the run running (owned by this process) after the last epoch. */
  keepRunning?: boolean;
}

/** A plausible learning curve: loss falls, accuracy rises, with batch noise. */
function curve(step: number, total: number, seed: number): { loss: number; acc: number } {
  const progress = step / total;
  const noise = Math.sin(step * 12.9898 + seed) * 43758.5453;
  const jitter = (noise - Math.floor(noise) - 0.5) * 0.15;
  return { loss: 2.3 * Math.exp(-3 * progress) + 0.05 + jitter, acc: Math.min(0.99, 0.1 + 0.85 * (1 - Math.exp(-4 * progress)) + jitter / 2) };
}

function confusionFor(classes: number, accuracy: number, perClass: number): number[][] {
  return Array.from({ length: classes }, (_, r) => Array.from({ length: classes }, (_, c) => {
    const correct = Math.round(perClass * accuracy);
    if (r === c) return correct;
    const wrong = perClass - correct;
    return c === (r + 1) % classes ? wrong - Math.floor(wrong / 2) : c === (r + 2) % classes ? Math.floor(wrong / 2) : 0;
  }));
}

/**
 * Writes a run through the run store's own writer, as a trainer would: epochs x batches of metrics,
 * a confusion matrix per epoch, predictions and a best model. Returns the writer (still owning the run when `keepRunning`).
 */
export async function writeSyntheticRun(options: SyntheticRunOptions): Promise<{ id: string; writer: RunWriter }> {
  const store = new RunStore(options.runsDir);
  const writer = await store.create({ spec: { ...SPEC, training: { ...SPEC.training, epochs: options.epochs } }, name: options.name });
  const classes = Array.from({ length: options.classes }, (_, i) => `class-${i}`);
  const perClass = 20;
  await writer.start({ heartbeatIntervalMs: 0 });
  await writer.append({
    type: 'runStart', time: new Date().toISOString(), backend: 'wasm', format: 'folder', classes, imageShape: [32, 32, 3],
    trainCount: options.batchesPerEpoch * 64, valCount: perClass * options.classes, testCount: 0, parameterCount: 122_570,
    epochs: options.epochs, batchesPerEpoch: options.batchesPerEpoch, startEpoch: 1,
  });
  let best = -1;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    await appendSyntheticEpoch(writer, epoch, options, classes, perClass, (acc) => {
      const isBest = acc > best;
      if (isBest) best = acc;
      return isBest;
    });
  }
  await writer.writePredictions({
    epoch: options.epochs, classes,
    items: Array.from({ length: perClass * options.classes }, (_, i) => ({ source: `/synthetic/shapes/${classes[i % options.classes]}/${i}.png`, label: i % options.classes, predicted: (i * 7) % options.classes, confidence: 0.5 + (i % 50) / 100 })),
  });
  await writer.saveBestModel(async (dir) => {
    for (const file of await fs.readdir(options.modelDir)) await fs.copyFile(join(options.modelDir, file), join(dir, file));
  });
  if (!options.keepRunning) {
    await writer.append({ type: 'runEnd', time: new Date().toISOString(), status: 'completed', best: { epoch: options.epochs, valAcc: best } });
    await writer.close();
  }
  return { id: writer.id, writer };
}

export async function appendSyntheticEpoch(
  writer: RunWriter, epoch: number, options: Pick<SyntheticRunOptions, 'epochs' | 'batchesPerEpoch'>, classes: string[], perClass: number,
  isBest: (acc: number) => boolean, batchDelayMs = 0,
): Promise<void> {
  const total = options.epochs * options.batchesPerEpoch;
  for (let batch = 1; batch <= options.batchesPerEpoch; batch++) {
    const step = (epoch - 1) * options.batchesPerEpoch + batch;
    const { loss, acc } = curve(step, total, 1);
    await writer.append({ type: 'batchEnd', epoch, batch, batchesPerEpoch: options.batchesPerEpoch, loss, acc, learningRate: 0.001, imagesPerSecond: 800 + (step % 17) * 3 });
    if (batchDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, batchDelayMs));
  }
  const { loss, acc } = curve(epoch * options.batchesPerEpoch, total, 2);
  const valAcc = Math.round(acc * perClass) / perClass;
  await writer.append({
    type: 'epochEnd', time: new Date().toISOString(), epoch, loss, acc, valLoss: loss * 1.1, valAcc, learningRate: 0.001, imagesPerSecond: 810, durationMs: 30_000,
    confusion: confusionFor(classes.length, valAcc, perClass),
    perClass: classes.map((label) => ({ label, precision: valAcc, recall: valAcc, f1: valAcc, support: perClass })),
    isBest: isBest(valAcc),
  });
}
