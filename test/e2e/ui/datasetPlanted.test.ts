// A user inspects a folder seeded with planted problems (test/fixtures/plantedDataset.ts): the dataset
// tab, opened from the folder's context menu in the Explorer, shows every planted problem; inspected
// with a run trained on it (by the CLI), it ranks the ten swapped labels as likely mislabelled; "Move to
// Class…" moves one to its true class (and the findings refresh), and Edit > Undo moves it back. Inspect
// Dataset with Run on the run's context menu in the Experiments view opens the tab inspecting with it,
// and the tab comes back after a window reload, inspecting again with the same run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { writePlantedDataset, type PlantedDataset } from '../../fixtures/plantedDataset';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { repoRoot } from '../harness/e2ePaths';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import { datasetFrame, explorerAction, sectionCount, sectionSources, waitForReport } from './datasetView';
import { contextMenuAction, quickPickRow, showExperiments, waitForRow } from './experimentsView';

const RUN_NAME = 'planted-cnn';

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 200));
  }
}

describe('the dataset tab on a folder with planted problems', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let planted: PlantedDataset;

  before(() => {
    tempDir = makeTempDir('classifier-lab-dataset-ui-');
    const workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    planted = writePlantedDataset(join(workspace, 'data', 'planted'));
    // A small CNN learns the shapes despite the ten swapped labels (as the engine's own test trains it).
    const train = spawnSync(process.execPath, [
      join(repoRoot, 'dist', 'cli.js'), 'train', '--data', planted.root, '--name', RUN_NAME, '--runs-dir', join(workspace, '.classifier-lab', 'runs'),
      '--model-option', 'filters=16,32,32', '--model-option', 'denseUnits=32', '--epochs', '8', '--batch-size', '32', '--learning-rate', '0.003',
      '--seed', '3', '--val-split', '0.2', '--backend', 'wasm', '--json',
    ], { cwd: workspace, encoding: 'utf8', timeout: 300_000 });
    assert.equal(train.status, 0, train.stderr);
    options.workspace = workspace;
  }, { timeout: 360_000 });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);
  let frame: Frame;

  test('Inspect Dataset on the folder shows every planted problem', { timeout: 180_000 }, async () => {
    await explorerAction(workbench(), ['data', 'planted'], 'Inspect Dataset');
    frame = await waitForReport(workbench().page, 'planted');
    const sources = async (kind: string) => new Set(await sectionSources(frame, kind));
    const includes = async (kind: string, files: readonly string[]) => {
      const shown = await sources(kind);
      for (const file of files) assert.ok(shown.has(file), `${kind} shows ${basename(file)} (it shows ${[...shown].map((s) => basename(s)).join(', ')})`);
    };
    await includes('unreadable', [planted.truncated, planted.empty]);
    await includes('duplicate', planted.duplicate);
    await includes('nearDuplicate', planted.nearDuplicates.flat());
    await includes('crossClassDuplicate', [...planted.crossClass.exact, ...planted.crossClass.near]);
    await includes('trainTestLeak', [...planted.leak.exact, ...planted.leak.near]);
    await includes('odd', [planted.wrongExtension, planted.tiny, planted.huge, planted.outsideClass, planted.strayFolder]);
    assert.ok(await sectionCount(frame, 'imbalance') >= 1);
    assert.match(await frame.locator('section#finding-imbalance').innerText(), new RegExp(`${planted.imbalanced} · train`));
    assert.equal(await frame.locator(`.balance-row[data-class="${planted.imbalanced}"] .bar.train.flagged`).count(), 1, 'its training bar is marked');
    // The counts per class and split are the planted ones.
    for (const [name, counts] of Object.entries(planted.counts)) {
      assert.equal((await frame.locator(`.balance-row[data-class="${name}"] .counts`).innerText()).trim(), `${counts.train} / ${counts.test}`, name);
    }
    // Duplicates come as groups of thumbnails loaded from the dataset folder.
    assert.ok(await frame.locator('section#finding-duplicate .group img').count() >= 2);
    assert.equal(await frame.locator('section#finding-likelyMislabelled.hint').count(), 1, 'without a run: a hint to inspect with one');
    await workbench().screenshot('dataset-tab-planted');
  });

  test('Inspect with Run… ranks the ten swapped labels as likely mislabelled', { timeout: 240_000 }, async () => {
    await frame.locator('vscode-button.choose-run').click();
    const row = quickPickRow(workbench(), RUN_NAME);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await row.innerText(), /trained on this dataset/);
    await row.click();
    await workbench().waitForNotification(`Inspecting planted with run "${RUN_NAME}"`, 30_000);
    await waitUntil('the likely mislabelled images', async () => (await sectionCount(frame, 'likelyMislabelled')) > 0, 180_000);
    frame = await waitForReport(workbench().page, 'planted');
    const ranked = await frame.locator('tr.mislabelled-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source') ?? ''));
    for (const { file } of planted.swapped) assert.ok(ranked.includes(file), `${basename(file)} is ranked (rank ${ranked.indexOf(file) + 1})`);
    assert.match(await frame.locator('.run').innerText(), new RegExp(`${RUN_NAME}.*agrees with \\d+\\.\\d% of`));
    await workbench().screenshot('dataset-tab-mislabelled');
  });

  test('Move to Class… moves a swapped image to its true class; Edit > Undo moves it back', { timeout: 240_000 }, async () => {
    const ranked = await frame.locator('tr.mislabelled-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source') ?? ''));
    const swapped = planted.swapped.find(({ file }) => ranked.includes(file))!;
    const from = swapped.file;
    const to = join(planted.root, 'train', swapped.trueClass, basename(from));
    assert.ok(existsSync(from) && !existsSync(to));
    await frame.locator(`tr.mislabelled-row[data-source="${from}"] vscode-button.move`).click();
    const choice = quickPickRow(workbench(), new RegExp(`^${swapped.trueClass}$`));
    await choice.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await choice.innerText(), /the model's guess/, 'the model\'s guess is offered first');
    await choice.click();
    await waitUntil(`${basename(from)} moved to ${swapped.trueClass}/`, () => existsSync(to) && !existsSync(from));
    const oldClass = basename(join(from, '..'));
    await workbench().waitForNotification(`Moved train/${oldClass}/${basename(from)} to class '${swapped.trueClass}'`, 20_000);
    await workbench().page.locator('.notifications-toasts .notification-toast', { hasText: 'Moved' }).locator('.monaco-button', { hasText: 'Open Image' }).first().click();
    await workbench().page.locator('.tabs-container .tab', { hasText: basename(to) }).first().waitFor({ timeout: 20_000 });
    // The findings are refreshed: the moved file is no longer listed under its old path.
    await waitUntil('the refreshed findings', async () => {
      const current = await datasetFrame(workbench().page, 'planted');
      const rows = await current.locator('tr.mislabelled-row').evaluateAll((r) => r.map((row) => row.getAttribute('data-source') ?? ''));
      return rows.length > 0 && !rows.includes(from) && (await current.locator('.inspecting').count()) === 0;
    }, 180_000);
    // Undo, as a user does it: with the moved image open, Edit > Undo.
    await workbench().page.locator('.tabs-container .tab', { hasText: basename(to) }).first().click();
    await workbench().runCommand('Undo');
    await waitUntil(`${basename(from)} back in its old folder`, () => existsSync(from) && !existsSync(to), 30_000);
    // The tab says its findings are out of date, and offers to refresh them.
    const current = await datasetFrame(workbench().page, 'planted');
    await current.locator('.note.stale').waitFor({ timeout: 20_000 });
  });

  test('Inspect Dataset with Run on the run in the Experiments view opens the tab inspecting with its model', { timeout: 240_000 }, async () => {
    await workbench().runCommand('View: Close All Editors');
    await showExperiments(workbench());
    await waitForRow(workbench(), `the run ${RUN_NAME}`, (row) => row.label === RUN_NAME);
    await contextMenuAction(workbench(), RUN_NAME, 'Inspect Dataset with Run');
    await workbench().waitForNotification(`Inspecting planted with run "${RUN_NAME}"`, 30_000);
    await waitUntil('the likely mislabelled images', async () => (await sectionCount(await datasetFrame(workbench().page, 'planted'), 'likelyMislabelled')) > 0, 180_000);
    frame = await waitForReport(workbench().page, 'planted');
    const ranked = await frame.locator('tr.mislabelled-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source') ?? ''));
    for (const { file } of planted.swapped) assert.ok(ranked.includes(file), `${basename(file)} is ranked`);
    // The run is this window's: its name links to its dashboard.
    assert.equal((await frame.locator('.run a.run-link').innerText()).trim(), RUN_NAME);
  });

  test('the tab comes back after a window reload, inspected again with the same run', { timeout: 240_000 }, async () => {
    await workbench().runCommand('Developer: Reload Window');
    await workbench().page.waitForTimeout(1000);
    await workbench().ready();
    await waitUntil('the likely mislabelled images after the reload', async () => {
      const current = await datasetFrame(workbench().page, 'planted', 120_000);
      return (await sectionCount(current, 'likelyMislabelled')) > 0;
    }, 180_000);
    frame = await waitForReport(workbench().page, 'planted');
    assert.match(await frame.locator('.run').innerText(), new RegExp(RUN_NAME));
    assert.ok(await sectionCount(frame, 'unreadable') >= 2, 'the planted problems are found again');
  });
});
