// A user opens a folder they have not trusted (Restricted Mode). The folder holds a finished run and a
// .vscode/settings.json that points classifierLab.runsFolder elsewhere, at a decoy run. Classifier Lab
// lists the real run from the default runs folder (the workspace's setting does not count), offers no
// way to train, starts no trainer process and writes no run folder, and still opens the run's dashboard.
// In a second untrusted folder without runs, Classify Image explains that training needs a trusted
// workspace and offers no way to start one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { listProcesses } from '../harness/processList';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import { dashboardFrame, openDashboardFromPalette, trainWithCli } from './dashboardRuns';
import { experimentRows, showExperiments, waitForRow } from './experimentsView';

const DECOY_FOLDER = 'elsewhere-runs';
const DECOY_NAME = 'decoy-from-workspace-setting';

/** Run folders (names) under each folder, to compare before and after. */
function runFolders(...dirs: string[]): Record<string, string[]> {
  return Object.fromEntries(dirs.map((dir) => [dir, existsSync(dir) ? readdirSync(dir).sort() : []]));
}

/**
 * Trainer processes started for this workspace (the extension forks dist/trainer.js with the workspace
 * as cwd). Throws when the process list cannot be read: "none" must mean none, not "could not look".
 */
function trainersIn(workspace: string): string[] {
  const root = realpathSync(workspace);
  return listProcesses()
    .filter((p) => /trainer\.js/.test(p.cmdline) && p.cwd !== undefined && !relative(root, p.cwd).startsWith('..'))
    .map((p) => `${p.pid}: ${p.cmdline}`);
}

describe('Restricted Mode (a workspace nobody trusted)', () => {
  const options: WorkbenchSessionOptions = { trust: 'untrusted' };
  let tempDir: string;
  let workspace: string;
  let runsDir: string;
  let decoyDir: string;
  let run: RunRecord;
  let before_: Record<string, string[]>;

  before(() => {
    tempDir = makeTempDir('classifier-lab-restricted-ui-');
    workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    runsDir = join(workspace, '.classifier-lab', 'runs');
    const runDir = trainWithCli(workspace, ['--data', join(workspace, 'data', 'colour-shapes'), '--epochs', '1', '--limit', '200']);
    run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    // The injection attempt: the workspace's own settings point the runs folder at a folder holding
    // a decoy run. Were the setting honoured, the view would list the decoy instead of the real run.
    decoyDir = join(workspace, DECOY_FOLDER);
    const decoyRun = join(decoyDir, run.id);
    cpSync(runDir, decoyRun, { recursive: true });
    writeFileSync(join(decoyRun, 'run.json'), JSON.stringify({ ...run, name: DECOY_NAME }, null, 2));
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'classifierLab.runsFolder': DECOY_FOLDER }, null, 2));
    before_ = runFolders(runsDir, decoyDir, workspace);
    options.workspace = workspace;
  }, { timeout: 300_000 });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);

  test('the workbench shows Restricted Mode in the status bar', async () => {
    await workbench().page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  test('the Experiments view lists the finished run from the default runs folder, not the workspace setting\'s', async () => {
    await showExperiments(workbench());
    const row = await waitForRow(workbench(), `the CLI's run "${run.name}"`, (r) => r.label === run.name, 60_000);
    assert.equal(row.icon, 'pass', 'the run shows completed');
    const labels = (await experimentRows(workbench())).map((r) => r.label);
    assert.ok(!labels.includes(DECOY_NAME), `the view lists the decoy run from the workspace's runs folder setting: ${labels.join(', ')}`);
  });

  test('New Training Run, Resume Run and Rerun are not in the command palette', async () => {
    const wb = workbench();
    const input = await wb.openPalette();
    const rowTitled = (title: string) => wb.quickInput.locator('.monaco-list-row', {
      has: wb.page.locator('.quick-input-list-label .label-name', { hasText: new RegExp(`^${title}$`) }),
    });
    try {
      // The extension's other commands are there, so an absent command is hidden, not just late.
      await input.fill('>Classifier Lab: Open Dashboard');
      await rowTitled('Classifier Lab: Open Dashboard').first().waitFor({ state: 'visible', timeout: 20_000 });
      for (const title of ['Classifier Lab: New Training Run', 'Classifier Lab: Resume Run', 'Classifier Lab: Rerun with Same Settings']) {
        await input.fill(`>${title}`);
        await wb.page.waitForTimeout(1_000);
        assert.equal(await rowTitled(title).count(), 0, `"${title}" is offered in Restricted Mode`);
      }
    } finally {
      await wb.page.keyboard.press('Escape');
    }
  });

  test('the view\'s New Training Run button is disabled and clicking it starts nothing', async () => {
    const wb = workbench();
    await showExperiments(wb);
    const button = wb.page.locator('.part.sidebar .actions-container .action-label[aria-label^="New Training Run"]').first();
    await button.waitFor({ state: 'attached', timeout: 20_000 });
    const disabled = await button.evaluate((element) => element.classList.contains('disabled') || element.getAttribute('aria-disabled') === 'true');
    assert.ok(disabled, 'the New Training Run button is enabled in Restricted Mode');
    await button.click({ force: true });
    // Were a wizard to open, its first step would be showing by now.
    await wb.page.waitForTimeout(2_000);
    assert.equal(await wb.quickInput.isVisible(), false, 'a quick pick opened from the disabled button');
  });

  test('the trainer check sees a trainer when there is one (so "none" below means none)', async () => {
    const decoy = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'dist/trainer.js'], { cwd: workspace, stdio: 'ignore' });
    try {
      await new Promise((resolve, reject) => { decoy.once('spawn', resolve); decoy.once('error', reject); });
      assert.ok(trainersIn(workspace).some((line) => line.startsWith(`${decoy.pid}:`)), 'a process running dist/trainer.js in the workspace is seen');
    } finally {
      decoy.kill();
      await new Promise((resolve) => decoy.once('exit', resolve));
    }
  });

  test('no trainer process started and no run folder appeared', () => {
    assert.deepEqual(trainersIn(workspace), [], 'a trainer process runs for this workspace');
    assert.deepEqual(runFolders(runsDir, decoyDir, workspace), before_, 'folders changed on disk');
  });

  test('Classify Image does not use the best run unseen: it asks which run, and classifies with the one picked', { timeout: 120_000 }, async () => {
    const wb = workbench();
    await wb.explorerContextAction(['data', 'colour-shapes', 'circle', '0000.png'], 'Classify Image');
    await wb.quickInput.locator('.quick-input-title', { hasText: 'Classify With Which Model?' }).waitFor({ state: 'visible', timeout: 30_000 });
    const row = wb.quickInput.locator('.monaco-list-row', { hasText: run.name }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await row.innerText(), /best/);
    await row.click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'Classify: 0000.png' }).first().waitFor({ timeout: 30_000 });
    assert.deepEqual(trainersIn(workspace), [], 'a trainer process runs for this workspace');
  });

  test('Open Dashboard still shows the finished run', async () => {
    await openDashboardFromPalette(workbench(), run.name);
    const frame = await dashboardFrame(workbench().page, [run.id]);
    assert.equal((await frame.locator('h1').innerText()).trim(), run.name);
    assert.equal((await frame.locator('.status-badge').innerText()).trim(), 'Completed');
    assert.deepEqual(trainersIn(workspace), [], 'a trainer process runs for this workspace');
    assert.deepEqual(runFolders(runsDir, decoyDir, workspace), before_, 'folders changed on disk');
  });
});

describe('Restricted Mode without runs', () => {
  const options: WorkbenchSessionOptions = { trust: 'untrusted' };
  let tempDir: string;
  let workspace: string;

  before(() => {
    tempDir = makeTempDir('classifier-lab-restricted-empty-ui-');
    workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    options.workspace = workspace;
  });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);

  test('the Experiments view says it lists runs but does not train here', async () => {
    await showExperiments(workbench());
    await workbench().page.locator('.part.sidebar .welcome-view-content', { hasText: 'This workspace is in Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  test('Classify Image with no trained model explains that training needs a trusted workspace, and offers no New Run', { timeout: 120_000 }, async () => {
    const wb = workbench();
    await wb.explorerContextAction(['data', 'colour-shapes', 'circle', '0000.png'], 'Classify Image');
    const noModel = await wb.waitForNotification('No trained model yet');
    assert.ok(noModel.includes(join(workspace, '.classifier-lab', 'runs')), `the message names the default runs folder: ${noModel}`);
    assert.match(noModel, /does not train in Restricted Mode/);
    assert.match(noModel, /trust this workspace to train/);
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'No trained model yet' }).first();
    assert.equal(await toast.locator('.monaco-button', { hasText: 'New Run' }).count(), 0, 'the notification offers to train');
    // No wizard, no trainer, no runs folder.
    await wb.page.waitForTimeout(2_000);
    assert.equal(await wb.quickInput.isVisible(), false, 'the New Training Run wizard opened');
    assert.deepEqual(trainersIn(workspace), [], 'a trainer process runs for this workspace');
    assert.equal(existsSync(join(workspace, '.classifier-lab')), false, 'a runs folder appeared');
  });
});
