// A user fine-tunes from the workbench: "Fine-tune from This Run..." on a finished run starts a run from
// its weights with head-only epochs, and that run's dashboard links back to the run it started from.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { useWorkbenchSession } from '../harness/useWorkbench';
import type { Workbench } from '../harness/workbench';
import { dashboardFrame, readRunOnDisk, showTab, trainWithCli } from './dashboardRuns';
import { contextMenuAction, experimentRows, showExperiments, waitForRow } from './experimentsView';

function runRecords(workspace: string): RunRecord[] {
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

async function waitForRecord(workspace: string, what: string, accept: (record: RunRecord) => boolean, timeoutMs = 90_000): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = runRecords(workspace).find(accept);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

/** The quick input's current step: its title counter and its prompt or placeholder. */
async function waitForQuestion(workbench: Workbench, step: string, text: RegExp): Promise<void> {
  const widget = workbench.quickInput;
  await widget.locator('.quick-input-title', { hasText: step }).waitFor({ state: 'visible', timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const placeholder = await widget.locator('input.input').getAttribute('placeholder') ?? '';
    const message = await widget.locator('.quick-input-message').innerText().catch(() => '');
    if (text.test(placeholder) || text.test(message)) return;
    if (Date.now() > deadline) throw new Error(`step ${step} never asked ${text}; it showed "${placeholder}" / "${message}"`);
    await workbench.page.waitForTimeout(100);
  }
}

function pickRow(workbench: Workbench, label: string | RegExp) {
  return workbench.quickInput.locator('.quick-input-list .monaco-list-row', { has: workbench.page.locator('.label-name', { hasText: label }) }).first();
}

async function chooseDataset(workbench: Workbench, total: number): Promise<void> {
  await waitForQuestion(workbench, `(1/${total})`, /Dataset to train on/);
  await workbench.quickInput.locator('input.input').fill('mnist-digits');
  const dataset = pickRow(workbench, 'mnist-digits');
  await dataset.locator('.quick-input-list-label-meta', { hasText: 'classes' }).waitFor({ state: 'visible', timeout: 30_000 });
  await dataset.click();
}

describe('fine-tuning from a run', () => {
  const session = useWorkbenchSession();
  let source: RunRecord;

  before(() => {
    source = readRunOnDisk(trainWithCli(session().workspace, ['--data', 'data/mnist-digits', '--epochs', '1', '--limit', '300'])).record;
  }, { timeout: 120_000 });

  test('Fine-tune from This Run starts from its weights with head-only epochs; the new dashboard links back', { timeout: 240_000 }, async () => {
    const workbench = session().workbench;
    await showExperiments(workbench);
    await waitForRow(workbench, source.name, (row) => row.label === source.name && row.icon === 'pass', 60_000);
    const before = new Set((await experimentRows(workbench)).map((row) => row.label));
    await contextMenuAction(workbench, source.name, 'Fine-tune from This Run...');
    await chooseDataset(workbench, 10);
    const input = workbench.quickInput.locator('input.input');
    await waitForQuestion(workbench, '(4/10)', /Epochs: passes/);
    await input.fill('1');
    await workbench.page.keyboard.press('Enter');
    await waitForQuestion(workbench, '(4/10)', /Epochs that train only the classifier head/);
    await input.fill('2');
    await workbench.quickInput.locator('.quick-input-message', { hasText: /from 0 to 1/ }).waitFor({ timeout: 10_000 });
    await input.fill('1');
    await workbench.page.keyboard.press('Enter');
    // Batch size, learning rate, optimiser, loss, augmentation; the recipe step's first item starts.
    for (const step of [5, 6, 7, 8, 9, 10]) {
      await workbench.quickInput.locator('.quick-input-title', { hasText: `(${step}/10)` }).waitFor({ state: 'visible', timeout: 30_000 });
      await workbench.page.keyboard.press('Enter');
    }
    await workbench.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });

    const tuned = await waitForRecord(session().workspace, 'the fine-tuned run', (r) => r.spec.training.initFrom !== undefined && !before.has(r.name));
    assert.equal(tuned.spec.training.freezeEpochs, 1);
    assert.equal(tuned.spec.training.epochs, 1);
    assert.equal(tuned.spec.training.initFrom, join(session().workspace, '.classifier-lab', 'runs', source.id));
    await showExperiments(workbench);
    await waitForRow(workbench, `${tuned.name} completed`, (row) => row.label === tuned.name && row.icon === 'pass', 150_000);
    const done = runRecords(session().workspace).find((r) => r.id === tuned.id)!;
    assert.equal(done.initFrom?.runId, source.id);
    assert.equal(done.initFrom?.headReplaced, false, 'the same classes keep the head');

    await contextMenuAction(workbench, tuned.name, 'Open Dashboard');
    const frame = await dashboardFrame(workbench.page, [tuned.id]);
    await showTab(frame, 'Summary');
    const link = frame.locator('[data-key="initFrom"] button.link');
    await link.waitFor({ timeout: 20_000 });
    assert.match(await link.innerText(), new RegExp(`^${source.name} \\(\\d+\\.\\d+% val\\), its classifier head kept$`));
    await link.click();
    const sourceFrame = await dashboardFrame(workbench.page, [source.id]);
    assert.equal((await sourceFrame.locator('h1').innerText()).trim(), source.name);
  });
});
