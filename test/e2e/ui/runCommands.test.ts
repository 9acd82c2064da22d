// A user manages finished runs from the Experiments view in a real VS Code: Rename Run, Group Runs By...,
// Export Model, Reveal Run Folder, the dashboard's CSV/PNG/SVG exports, Rerun with Same Settings (status bar and progress notification while it trains), Delete
// Run; crafted runs naming / or /etc/passwd show and open nothing; then the runs folder is deleted while a
// dashboard is open, and the view and dashboard say so.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { Workbench } from '../harness/workbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import type { Locator } from 'playwright-core';
import { dashboardFrame, openDashboardFromPalette, pickFromQuickPick, showTab, trainWithCli } from './dashboardRuns';
import { contextMenuAction, experimentRows, showExperiments, waitForRow } from './experimentsView';

const ORIGINAL = 'shapes-original';
const RENAMED = 'shapes renamed by the user';

describe('run commands in the Experiments view', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let workspace: string;
  let runDir: string;
  const runsDir = () => join(workspace, '.classifier-lab', 'runs');
  const runJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { name: string; status: string; spec: unknown };

  before(() => {
    tempDir = makeTempDir('classifier-lab-run-commands-ui-');
    workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    runDir = trainWithCli(workspace, ['--data', 'data/colour-shapes', '--epochs', '1', '--limit', '200', '--name', ORIGINAL]);
    options.workspace = workspace;
  }, { timeout: 300_000 });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);

  test('Rename Run from the context menu: the row and run.json take the new name; the folder keeps its id', async () => {
    await showExperiments(workbench());
    await waitForRow(workbench(), 'the CLI run', (row) => row.label === ORIGINAL && row.icon === 'pass');
    await contextMenuAction(workbench(), ORIGINAL, 'Rename Run');
    const input = workbench().quickInput.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(RENAMED);
    await workbench().page.keyboard.press('Enter');
    await waitForRow(workbench(), 'the renamed row', (row) => row.label === RENAMED);
    assert.equal(runJson(runDir).name, RENAMED);
    assert.ok(existsSync(runDir), 'the run folder keeps its id');
  });

  test('Group Runs By... Status shows a Completed group holding the run; None lists it flat again', async () => {
    await workbench().runCommand('Classifier Lab: Group Runs By...');
    await pickFromQuickPick(workbench(), 'Status');
    await waitForRow(workbench(), 'a Completed group', (row) => /^Completed/.test(row.label));
    await waitForRow(workbench(), 'the run inside it', (row) => row.label === RENAMED);
    await workbench().runCommand('Classifier Lab: Group Runs By...');
    await pickFromQuickPick(workbench(), 'None (newest first)');
    // The run's row is there in both layouts: the flat list is the run's row with no group row left.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await experimentRows(workbench());
      if (rows.some((row) => row.label === RENAMED) && !rows.some((row) => /^Completed/.test(row.label))) break;
      assert.ok(Date.now() < deadline, `no flat list after 30 s: ${rows.map((row) => row.label).join(', ')}`);
      await workbench().page.waitForTimeout(100);
    }
  });

  test('Export Model copies model.json and weights.bin into the folder picked in the dialog', async () => {
    const destination = join(workspace, 'exported-models');
    mkdirSync(destination, { recursive: true });
    await answerPathDialog(workbench(), () => contextMenuAction(workbench(), RENAMED, 'Export Model'), `${destination}/`, /^Export Here$/,
      () => readdirSync(destination).length > 0);
    const message = await workbench().waitForNotification('Exported the model of', 30_000);
    const [exported] = readdirSync(destination);
    assert.ok(exported, `a model folder in ${destination} (${message})`);
    assert.ok(message.includes(join(destination, exported)), message);
    const files = readdirSync(join(destination, exported)).sort();
    assert.ok(files.includes('model.json') && files.some((f) => f.endsWith('.bin')), files.join(', '));
    assert.deepEqual(readFileSync(join(destination, exported, 'model.json')), readFileSync(join(runDir, 'model', 'model.json')));
  });

  test('Reveal Run Folder shows the run\'s folder in the Explorer, selected', async () => {
    const runId = runDir.split('/').pop()!;
    await contextMenuAction(workbench(), RENAMED, 'Reveal Run Folder');
    const selected = workbench().page.locator('.explorer-folders-view .monaco-list-row.selected .label-name', { hasText: runId });
    await selected.first().waitFor({ state: 'visible', timeout: 20_000 });
    await showExperiments(workbench());
  });

  test('the dashboard\'s exports are saved where the dialog says: epochs CSV, a chart as PNG, the architecture as SVG', { timeout: 120_000 }, async () => {
    const runId = runDir.split('/').pop()!;
    await openDashboardFromPalette(workbench(), RENAMED);
    const frame = await dashboardFrame(workbench().page, [runId]);
    await frame.locator('h1', { hasText: RENAMED }).waitFor({ timeout: 30_000 });
    // One after the other, each 'Exported' notification left unanswered: an export never holds up the next.
    const exportTo = async (button: Locator, fileName: string): Promise<Buffer> => {
      const file = join(workspace, fileName);
      // The simple save dialog labels its button OK.
      await answerPathDialog(workbench(), () => button.click(), file, /^(OK|Export)$/, () => existsSync(file));
      await workbench().waitForNotification(`Exported ${fileName}.`, 30_000);
      return readFileSync(file);
    };
    await showTab(frame, 'Metrics');
    const csv = (await exportTo(frame.locator('vscode-button', { hasText: 'Export epochs CSV' }), 'ui-epochs.csv')).toString('utf8').trim().split('\n');
    assert.match(csv[0], /^epoch,time,loss,accuracy,val_loss,val_accuracy/);
    assert.equal(csv.length, 1 + 1, 'a header and the one epoch trained');
    const png = await exportTo(frame.locator('vscode-button[aria-label$=" as PNG"]').first(), 'ui-chart.png');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG data');
    assert.ok(png.length > 1000, `a drawn chart (${png.length} bytes)`);
    await showTab(frame, 'Architecture');
    await frame.locator('.diagram svg g.layer').first().waitFor({ timeout: 30_000 });
    const svgText = (await exportTo(frame.locator('vscode-button', { hasText: 'Export SVG' }), 'ui-architecture.svg')).toString('utf8');
    assert.match(svgText, /^<\?xml[^>]*>\s*<svg/);
    assert.ok((svgText.match(/class="layer/g) ?? []).length >= 5, 'the layers are in the SVG');
    await workbench().runCommand('View: Close All Editors');
  });

  test('Rerun with Same Settings trains a new run: status bar and progress notification while it trains, then completed', { timeout: 240_000 }, async () => {
    const before = new Set(readdirSync(runsDir()));
    await contextMenuAction(workbench(), RENAMED, 'Rerun with Same Settings');
    await workbench().waitForNotification('Training', 60_000);
    const status = workbench().page.locator('.statusbar-item', { hasText: /: (starting…|loading|epoch \d)/ }).first();
    await status.waitFor({ state: 'visible', timeout: 60_000 });
    const newId = await waitFor(() => readdirSync(runsDir()).find((id) => !before.has(id) && existsSync(join(runsDir(), id, 'run.json'))), 60_000);
    const rerun = runJson(join(runsDir(), newId));
    assert.deepEqual(rerun.spec, runJson(runDir).spec, 'the same settings');
    await waitForRow(workbench(), 'the rerun completed', (row) => row.label === rerun.name && row.icon === 'pass', 180_000);
    await status.waitFor({ state: 'hidden', timeout: 30_000 });
  });

  test('Delete Run asks first, then removes the run\'s folder and its row', async () => {
    const ids = readdirSync(runsDir()).filter((id) => id !== runDir.split('/').pop());
    assert.equal(ids.length, 1, 'the rerun');
    const victim = runJson(join(runsDir(), ids[0]));
    await contextMenuAction(workbench(), victim.name, 'Delete Run');
    const dialog = workbench().page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), /cannot be undone/);
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).click();
    await waitFor(() => !existsSync(join(runsDir(), ids[0])), 30_000);
    await waitFor(async () => !(await experimentRows(workbench())).some((row) => row.label === victim.name), 30_000);
    assert.ok(existsSync(runDir), 'the other run is untouched');
  });

  test('crafted runs naming / as their dataset or /etc/passwd as samples: the dashboard shows and opens neither', { timeout: 120_000 }, async () => {
    const craft = (id: string, name: string, root: string, source: string): void => {
      const dir = join(runsDir(), id);
      cpSync(runDir, dir, { recursive: true });
      const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown> & { dataset: Record<string, unknown> };
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...record, id, name, dataset: { ...record.dataset, root } }, null, 2));
      const predictions = JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8')) as { items: { source: string }[] };
      writeFileSync(join(dir, 'predictions.json'), JSON.stringify({ ...predictions, items: predictions.items.map((item) => ({ ...item, source })) }));
    };
    craft('20200101-000000-cnn-c0de', 'crafted-root', '/', '/etc/passwd');
    craft('20200101-000001-cnn-c0df', 'crafted-samples', join(workspace, 'data', 'colour-shapes'), '/etc/passwd');
    await showExperiments(workbench());
    await waitForRow(workbench(), 'the crafted runs', (row) => row.label === 'crafted-samples');

    await openDashboardFromPalette(workbench(), 'crafted-root');
    const rootPage = await dashboardFrame(workbench().page, ['20200101-000000-cnn-c0de']);
    await showTab(rootPage, 'Samples');
    await rootPage.locator('.dataset-images', { hasText: /Images are not shown\. .*never shown from the file system root or a home folder/ }).waitFor({ timeout: 20_000 });
    assert.equal(await rootPage.locator('.samples img').count(), 0, 'no image from /');

    await openDashboardFromPalette(workbench(), 'crafted-samples');
    const samplesPage = await dashboardFrame(workbench().page, ['20200101-000001-cnn-c0df']);
    await showTab(samplesPage, 'Samples');
    const missing = samplesPage.locator('.samples .thumb-missing').first();
    await missing.waitFor({ timeout: 20_000 });
    assert.match((await missing.getAttribute('title')) ?? '', /passwd is not a file inside the run's dataset folder/);
    assert.equal(await samplesPage.locator('.samples img').count(), 0, 'no pixels of /etc/passwd');
    // The page asks to open only samples the host gave it a URI for; the host also refuses any other (datasetImages.test.ts).
    await samplesPage.locator('.samples button.thumb').first().click();
    await workbench().page.waitForTimeout(3_000);
    assert.equal(await workbench().page.locator('.tabs-container .tab', { hasText: 'passwd' }).count(), 0, '/etc/passwd is not opened');
    await workbench().runCommand('View: Close All Editors');
  });

  test('the runs folder deleted while a dashboard is open: the dashboard says the run cannot be read, the view empties, a new run appears', { timeout: 240_000 }, async () => {
    await openDashboardFromPalette(workbench(), RENAMED);
    const frame = await dashboardFrame(workbench().page, [runDir.split('/').pop()!]);
    await frame.locator('h1', { hasText: RENAMED }).waitFor({ timeout: 30_000 });
    rmSync(runsDir(), { recursive: true, force: true });
    await frame.locator('.problem:not([hidden])', { hasText: /cannot be read/ }).first().waitFor({ timeout: 60_000 });
    await showExperiments(workbench());
    await waitFor(async () => !(await experimentRows(workbench())).some((row) => row.label === RENAMED), 60_000);
    const again = trainWithCli(workspace, ['--data', 'data/colour-shapes', '--epochs', '1', '--limit', '100', '--name', 'after-the-folder-was-deleted']);
    assert.ok(existsSync(again));
    await waitForRow(workbench(), 'the new run in the recreated folder', (row) => row.label === 'after-the-folder-was-deleted' && row.icon === 'pass', 60_000);
  });
});

/**
 * Opens a simple file dialog with `open`, types `path` into it and presses `button`, until `done` holds. The dialog
 * completes what is typed against its listing, which does not always follow a path that arrives all at once: the
 * typed value is checked before pressing, and a dialog that ignored it is closed and opened again.
 */
async function answerPathDialog(workbench: Workbench, open: () => Promise<void>, path: string, button: RegExp, done: () => boolean): Promise<void> {
  const input = workbench.quickInput.locator('input.input');
  for (let attempt = 1; ; attempt++) {
    try {
      await open();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      for (let typed = 0; typed < 5 && (await input.inputValue()) !== path; typed++) {
        await input.fill(path);
        await workbench.page.waitForTimeout(500);
      }
      await workbench.quickInput.locator('.monaco-button', { hasText: button }).first().click();
      await waitFor(() => done(), 15_000);
      return;
    } catch (error) {
      const shown = await input.inputValue({ timeout: 1_000 }).catch(() => '(no dialog)');
      await workbench.page.keyboard.press('Escape');
      if (attempt === 3) throw new Error(`the dialog did not take ${path} (it showed "${shown}")`, { cause: error });
    }
  }
}

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
