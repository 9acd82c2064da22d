// A user opens the dashboards of finished runs (CNN, RNN, attention, trained by the CLI in a fresh
// copy of the sample workspace) and sees each run's real numbers in every section; clicks a
// confusion cell and sees its samples; compares runs; and looks at it all in light, dark and
// high-contrast themes (screenshots in .test-artifacts/).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import {
  dashboardFrame, openDashboardFromPalette, pickFromQuickPick, readRunOnDisk, setColourTheme, showTab, summaryValue, trainWithCli, type RunOnDisk,
} from './dashboardRuns';

const percent = (fraction: number | undefined): string => `${((fraction ?? NaN) * 100).toFixed(2)}%`;
const count = (n: number): string => n.toLocaleString('en-US');

describe('run dashboard (finished runs)', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let cnn: RunOnDisk;
  let rnn: RunOnDisk;
  let attention: RunOnDisk;
  let partialDir: string;

  before(() => {
    tempDir = makeTempDir('classifier-lab-dashboard-ui-');
    const workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    cnn = readRunOnDisk(trainWithCli(workspace, ['--data', 'data/colour-shapes', '--epochs', '2', '--limit', '300']));
    rnn = readRunOnDisk(trainWithCli(workspace, ['--data', 'data/colour-shapes', '--model', 'rnn', '--epochs', '2', '--limit', '300']));
    // mnist-digits has a test split: the attention run gets a test accuracy and matrix.
    attention = readRunOnDisk(trainWithCli(workspace, ['--data', 'data/mnist-digits', '--model', 'attention', '--epochs', '2', '--limit', '300']));
    // A run whose files are partial: run.json, three batches and a line cut mid-write, a damaged model.
    partialDir = join(workspace, '.classifier-lab', 'runs', '20261127-000000-cnn-beef');
    mkdirSync(join(partialDir, 'model'), { recursive: true });
    writeFileSync(join(partialDir, 'run.json'), JSON.stringify({ ...cnn.record, id: basename(partialDir), name: 'partial-run', status: 'interrupted', summary: { epochs: 2 } }));
    const lines = readFileSync(join(cnn.runDir, 'metrics.jsonl'), 'utf8').split('\n').slice(0, 4);
    writeFileSync(join(partialDir, 'metrics.jsonl'), `${lines.join('\n')}\n{"type":"batchEnd","epo`);
    writeFileSync(join(partialDir, 'model', 'model.json'), '{"modelTopology":');
    options.workspace = workspace;
  }, { timeout: 300_000 });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);
  let frame: Frame;
  /** Anything the dashboard's strict content security policy blocked (a library loading a worker, an inline style...). */
  const cspViolations: string[] = [];

  test('opens a finished run\'s dashboard in an editor tab titled with the run name', async () => {
    workbench().page.on('console', (message) => {
      if (/Content Security Policy|Refused to (load|apply|execute|create)/.test(message.text())) cspViolations.push(message.text());
    });
    await openDashboardFromPalette(workbench(), cnn.record.name);
    frame = await dashboardFrame(workbench().page, [cnn.record.id]);
    await workbench().page.locator('.tabs-container .tab', { hasText: cnn.record.name }).first().waitFor({ timeout: 10_000 });
    assert.equal((await frame.locator('h1').innerText()).trim(), cnn.record.name);
    assert.equal((await frame.locator('.status-badge').innerText()).trim(), 'Completed');
    const progress = await frame.locator('.progress-line').innerText();
    assert.match(progress, new RegExp(`best validation accuracy ${percent(cnn.record.summary.bestValAcc).replace('.', '\\.')} \\(epoch ${cnn.record.summary.bestEpoch}\\)`));
  });

  test('the summary shows the run\'s status, dataset, model, hyperparameters and results', async () => {
    await showTab(frame, 'Summary');
    const { record } = cnn;
    assert.equal(await summaryValue(frame, 'bestValAcc'), percent(record.summary.bestValAcc));
    assert.equal(await summaryValue(frame, 'bestEpoch'), String(record.summary.bestEpoch));
    assert.equal(await summaryValue(frame, 'parameters'), count(record.model?.parameterCount ?? NaN));
    assert.equal(await summaryValue(frame, 'splits'), `${count(record.dataset?.trainCount ?? NaN)} / ${count(record.dataset?.valCount ?? NaN)} / ${count(record.dataset?.testCount ?? NaN)}`);
    assert.equal(await summaryValue(frame, 'training.batchSize'), String(record.spec.training.batchSize));
    assert.equal(await summaryValue(frame, 'training.optimizer'), record.spec.training.optimizer);
    assert.equal(await summaryValue(frame, 'limit'), '300');
    assert.equal(await summaryValue(frame, 'backend'), record.backend);
    const classRows = await frame.locator('.class-counts tbody tr').allInnerTexts();
    assert.deepEqual(classRows.map((row) => row.split('\t')[0].trim()), record.dataset?.classes);
  });

  test('notes and tags typed in the summary are saved to run.json', async () => {
    await frame.locator('#run-notes').click();
    await workbench().page.keyboard.type('first look at shapes');
    await frame.locator('#run-tags').click();
    await workbench().page.keyboard.type('baseline, ui-test');
    await frame.locator('vscode-button', { hasText: 'Save notes' }).click();
    await frame.locator('.notes', { hasText: 'Saved.' }).waitFor({ timeout: 10_000 });
    const saved = readRunOnDisk(cnn.runDir).record;
    assert.equal(saved.notes, 'first look at shapes');
    assert.deepEqual(saved.tags, ['baseline', 'ui-test']);
  });

  test('the metrics charts hold every batch and epoch the run recorded', async () => {
    await showTab(frame, 'Metrics');
    const batches = cnn.events.filter((e) => e.type === 'batchEnd').length;
    const epochs = cnn.events.filter((e) => e.type === 'epochEnd');
    await frame.locator('.metrics p[aria-live]', { hasText: `${epochs.length} epochs, ${count(batches)} batches.` }).waitFor({ timeout: 10_000 });
    const last = epochs[epochs.length - 1];
    assert.ok(last?.type === 'epochEnd');
    const accuracyLabel = await frame.locator('[data-chart="accuracy"] canvas').getAttribute('aria-label');
    assert.match(accuracyLabel ?? '', new RegExp(`Epoch ${last.epoch}: training ${percent(last.acc).replace('.', '\\.')}, validation ${percent(last.valAcc).replace('.', '\\.')}`));
    // A legend entry hides its series.
    const validation = frame.locator('[data-chart="loss"] .legend-item', { hasText: 'Validation loss' });
    await validation.click();
    assert.equal(await validation.getAttribute('aria-pressed'), 'false');
    await validation.click();
  });

  test('the confusion matrix shows the best epoch; a cell shows exactly its validation samples', async () => {
    await showTab(frame, 'Confusion matrix');
    const best = cnn.confusion(cnn.record.summary.bestEpoch ?? 1);
    const total = best.matrix.flat().reduce((a, b) => a + b, 0);
    const correct = best.matrix.reduce((sum, row, i) => sum + row[i], 0);
    await frame.locator('.matrix-heading', { hasText: `Accuracy ${percent(correct / total)} on ${count(total)} images of validation, epoch ${best.epoch}` }).waitFor({ timeout: 10_000 });
    const cells = await frame.locator('td.cell').allInnerTexts();
    assert.deepEqual(cells.map((text) => text.trim()), best.matrix.flat().map((n) => (n === 0 ? '' : String(n))));
    // The most confused pair, as a user would pick it.
    let [r, c] = [0, 1];
    best.matrix.forEach((row, i) => row.forEach((n, j) => { if (i !== j && n > best.matrix[r][c]) [r, c] = [i, j]; }));
    await frame.locator(`td.cell[data-row="${r}"][data-col="${c}"]`).click();
    const expected = best.matrix[r][c];
    await frame.locator('.gallery-caption', { hasText: `True ${best.classes[r]}, predicted ${best.classes[c]}: ${expected} validation sample` }).waitFor({ timeout: 10_000 });
    const thumbs = frame.locator('.confusion ul.gallery button.thumb');
    assert.equal(await thumbs.count(), Math.min(expected, 60));
    await frame.locator('.confusion ul.gallery img').first().waitFor({ timeout: 15_000 });
    const label = await thumbs.first().getAttribute('aria-label');
    assert.match(label ?? '', new RegExp(`true ${best.classes[r]}, predicted ${best.classes[c]}`));
    // Keyboard: the selected cell has focus; arrows move it, Enter shows that cell.
    await workbench().page.keyboard.press(r > 0 ? 'ArrowUp' : 'ArrowDown');
    await workbench().page.keyboard.press('Enter');
    const r2 = r > 0 ? r - 1 : r + 1;
    await frame.locator('.gallery-caption', { hasText: `True ${best.classes[r2]}, predicted ${best.classes[c]}:` }).waitFor({ timeout: 10_000 });
    await workbench().screenshot('dashboard-confusion-cell-samples');
  });

  test('clicking a sample opens its image file in the editor', async () => {
    const best = cnn.confusion(cnn.record.summary.bestEpoch ?? 1);
    let [r, c] = [0, 1];
    best.matrix.forEach((row, i) => row.forEach((n, j) => { if (i !== j && n > best.matrix[r][c]) [r, c] = [i, j]; }));
    await frame.locator(`td.cell[data-row="${r}"][data-col="${c}"]`).click();
    const first = frame.locator('.confusion ul.gallery button.thumb').first();
    await frame.locator('.confusion ul.gallery img').first().waitFor({ timeout: 15_000 });
    const label = (await first.getAttribute('aria-label')) ?? '';
    const fileName = label.split(':')[0];
    const item = cnn.predictions.items.find((candidate) => basename(candidate.source) === fileName && candidate.label === r && candidate.predicted === c);
    assert.ok(item, `${fileName} is one of the cell's predictions`);
    await first.click();
    await workbench().page.locator('.tabs-container .tab', { hasText: fileName }).first().waitFor({ timeout: 15_000 });
    frame = await dashboardFrame(workbench().page, [cnn.record.id]);
  });

  test('the architecture diagram shows every layer, the parameter total, and a layer\'s weights on click', async () => {
    await showTab(frame, 'Architecture');
    const layers = cnn.modelJson.modelTopology.config.layers.length;
    await frame.locator('.diagram svg g.layer').first().waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.diagram svg g.layer').count(), layers);
    assert.match(await frame.locator('.architecture .totals').innerText(), new RegExp(`${layers} layers, ${count(cnn.record.model?.parameterCount ?? NaN)} parameters`));
    assert.match((await frame.locator('g.layer[data-layer="conv1"]').getAttribute('aria-label')) ?? '', /Conv2D \(Convolution\), output 30×30×32, 896 parameters/);
    await frame.locator('g.layer[data-layer="conv1"]').click();
    await frame.locator('.layer-details h5', { hasText: 'conv1/kernel [3 × 3 × 3 × 32]' }).waitFor({ timeout: 10_000 });
    const facts = await frame.locator('.layer-details .weight').first().innerText();
    assert.match(facts, /NaN \/ Inf\s+0 \/ 0/);
    assert.match(facts, /Zeros\s+\d+ of 864/);
  });

  test('the samples gallery counts the best model\'s mistakes', async () => {
    await showTab(frame, 'Samples');
    const items = cnn.predictions.items;
    const wrong = items.filter((item) => item.label !== item.predicted).length;
    await frame.locator('.samples p', { hasText: `${count(items.length)} validation samples predicted by the model of epoch ${cnn.predictions.epoch}: ${count(wrong)} wrong` }).waitFor({ timeout: 10_000 });
    // Most confidently wrong first.
    const first = await frame.locator('.samples button.thumb').first().getAttribute('class');
    assert.match(first ?? '', wrong > 0 ? /wrong/ : /correct/);
  });

  test('an attention run with a test split shows its test accuracy and test matrix', async () => {
    await openDashboardFromPalette(workbench(), attention.record.name);
    const page = await dashboardFrame(workbench().page, [attention.record.id]);
    await showTab(page, 'Summary');
    assert.equal(await summaryValue(page, 'testAcc'), percent(attention.record.summary.testAcc));
    await showTab(page, 'Confusion matrix');
    await page.locator('button.toggle', { hasText: 'Test split' }).click();
    const test = attention.confusion('test');
    const total = test.matrix.flat().reduce((a, b) => a + b, 0);
    const correct = test.matrix.reduce((sum, row, i) => sum + row[i], 0);
    await page.locator('.matrix-heading', { hasText: `Accuracy ${percent(correct / total)} on ${count(total)} images of the test split` }).waitFor({ timeout: 10_000 });
    await showTab(page, 'Architecture');
    // The two transformer blocks read as one collapsed "x 2" group until it is clicked open.
    const blocks = page.locator('g.group[data-repeat="2"]');
    await blocks.waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('g.layer[data-layer="block1_attention"]').count(), 0, 'collapsed at first');
    await blocks.click();
    await page.locator('g.layer[data-layer="block1_attention"]').waitFor({ timeout: 30_000 });
    assert.match((await page.locator('g.layer[data-layer="block1_attention"]').getAttribute('aria-label')) ?? '', /MultiHeadSelfAttention \(Attention\)/);
  });

  test('an RNN run shows its recurrent layer', async () => {
    await openDashboardFromPalette(workbench(), rnn.record.name);
    const page = await dashboardFrame(workbench().page, [rnn.record.id]);
    await showTab(page, 'Architecture');
    await page.locator('g.layer[data-layer="lstm1"]').waitFor({ timeout: 30_000 });
    assert.match((await page.locator('g.layer[data-layer="lstm1"]').getAttribute('aria-label')) ?? '', /LSTM \(Recurrent\), output 128/);
  });

  test('a run whose files are partial or damaged still opens, each section saying what is missing', async () => {
    await openDashboardFromPalette(workbench(), 'partial-run');
    const page = await dashboardFrame(workbench().page, [basename(partialDir)]);
    assert.equal((await page.locator('.status-badge').innerText()).trim(), 'Interrupted');
    await showTab(page, 'Metrics');
    await page.locator('.metrics p[aria-live]', { hasText: '0 epochs, 3 batches.' }).waitFor({ timeout: 10_000 });
    await showTab(page, 'Confusion matrix');
    await page.locator('.matrix-heading', { hasText: 'No confusion matrix yet' }).waitFor({ timeout: 10_000 });
    await showTab(page, 'Architecture');
    await page.locator('.architecture .totals', { hasText: 'The model cannot be shown' }).waitFor({ timeout: 10_000 });
    await showTab(page, 'Samples');
    await page.locator('.samples p', { hasText: 'No predictions yet' }).waitFor({ timeout: 10_000 });
  });

  test('comparing runs overlays their curves and highlights the settings that differ', async () => {
    await workbench().runCommand('Classifier Lab: Compare Runs', 60_000);
    const quickInput = workbench().quickInput;
    for (const run of [cnn, rnn]) {
      await quickInput.locator('input.input').fill(run.record.name);
      const row = quickInput.locator('.monaco-list-row', { hasText: run.record.name }).first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      await row.locator('input[type="checkbox"], .quick-input-list-checkbox, .monaco-custom-toggle').first().click();
    }
    await quickInput.locator('input.input').fill('');
    await workbench().page.keyboard.press('Enter');
    const page = await dashboardFrame(workbench().page, [cnn.record.id, rnn.record.id]);
    await page.locator('.compare-table tbody tr').nth(1).waitFor({ timeout: 15_000 });
    const rows = await page.locator('.compare-table tbody th').allInnerTexts();
    assert.deepEqual(rows.map((r) => r.trim()).sort(), [cnn.record.name, rnn.record.name].sort());
    const differing = await page.locator('.compare-table thead th.differs').allInnerTexts();
    assert.ok(differing.some((h) => h.includes('Model')), `differing columns: ${differing.join(', ')}`);
    assert.ok(!differing.some((h) => h.includes('Batch size')), 'equal settings are not highlighted');
    assert.equal(await page.locator('.runs-legend .legend-item').count(), 2);
    await workbench().screenshot('dashboard-compare');
  });

  test('every section reads in light, dark and high-contrast themes (screenshots)', async () => {
    // One tab, no side bar: the screenshots show the dashboard as a user working on it would.
    await workbench().runCommand('View: Close All Editors');
    await workbench().runCommand('View: Close Primary Side Bar');
    await openDashboardFromPalette(workbench(), cnn.record.name);
    await dashboardFrame(workbench().page, [cnn.record.id]);
    for (const [theme, bodyClass] of [['Light Modern', 'vscode-light'], ['Dark High Contrast', 'vscode-high-contrast'], ['Dark Modern', 'vscode-dark']] as const) {
      await setColourTheme(workbench(), theme);
      const page = await dashboardFrame(workbench().page, [cnn.record.id]);
      await page.locator(`body.${bodyClass}`).waitFor({ timeout: 10_000 });
      for (const section of ['Summary', 'Metrics', 'Confusion matrix', 'Architecture', 'Samples']) {
        await showTab(page, section);
        if (section === 'Architecture') await page.locator('.diagram svg g.layer').first().waitFor({ timeout: 30_000 });
        if (section === 'Confusion matrix') await page.locator('td.cell').first().click();
        await workbench().page.waitForTimeout(600);
        await workbench().screenshot(`dashboard-${section.toLowerCase().replace(/ /g, '-')}-${theme.toLowerCase().replace(/ /g, '-')}`);
      }
    }
    assert.deepEqual(cspViolations, [], 'every section works under the page\'s content security policy');
  });

  test('opening a run\'s run.json with "Reopen Editor With" shows its dashboard', async () => {
    const tab = workbench().page.locator('.tabs-container .tab', { hasText: 'run.json' }).first();
    // The simple file dialog accepts a full path typed into it. Its listing does not always follow a
    // path that arrives all at once, so OK is pressed on the typed path; a dialog that ignored it is retried.
    for (let attempt = 1; ; attempt++) {
      await workbench().runCommand('File: Open File...');
      const input = workbench().quickInput.locator('input.input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(join(attention.runDir, 'run.json'));
      await workbench().page.waitForTimeout(500);
      await workbench().quickInput.locator('.monaco-button', { hasText: 'OK' }).click();
      try {
        await tab.waitFor({ timeout: 15_000 });
        break;
      } catch (error) {
        await workbench().page.keyboard.press('Escape');
        if (attempt === 3) throw error;
      }
    }
    await workbench().runCommand('View: Reopen Editor With...');
    await pickFromQuickPick(workbench(), 'Classifier Lab Run Dashboard');
    const page = await dashboardFrame(workbench().page, [attention.record.id]);
    await page.locator('h1', { hasText: attention.record.name }).waitFor({ timeout: 15_000 });
    await workbench().runCommand('View: Close Editor');
  });

  test('an open dashboard comes back after a window reload, on the same section, re-read from the run folder', async () => {
    await openDashboardFromPalette(workbench(), cnn.record.name);
    const before = await dashboardFrame(workbench().page, [cnn.record.id]);
    await showTab(before, 'Architecture');
    await workbench().runCommand('Developer: Reload Window');
    await workbench().page.waitForTimeout(1000);
    await workbench().ready();
    const page = await dashboardFrame(workbench().page, [cnn.record.id], 120_000);
    await page.locator('h1', { hasText: cnn.record.name }).waitFor({ timeout: 30_000 });
    await page.locator('vscode-tab-header[aria-selected="true"]', { hasText: 'Architecture' }).waitFor({ timeout: 10_000 });
    await page.locator('.diagram svg g.layer').first().waitFor({ timeout: 30_000 });
    // The notes saved earlier come from run.json, not from the page's memory.
    await showTab(page, 'Summary');
    assert.equal(await page.locator('#run-tags').evaluate((el) => (el as unknown as { value: string }).value), 'baseline, ui-test');
  });
});
