// A user classifies their own pictures: right-clicks a sample digit in the Explorer, picks
// "Classify Image", and sees the predicted class and the heat map in the result tab; then does the
// same with a whole folder and opens one image from the table. The run was trained with the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { rotatedJpeg, twoBands } from '../../fixtures/photoFixtures';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { repoRoot } from '../harness/e2ePaths';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import { classifyFromExplorer, classifyTabFrame } from './classifyTab';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';

const cli = join(repoRoot, 'dist', 'cli.js');

function runCli(workspace: string, args: string[]): Record<string, unknown>[] {
  const result = spawnSync(process.execPath, [cli, ...args, '--json'], { cwd: workspace, encoding: 'utf8', timeout: 240_000 });
  assert.equal(result.status, 0, `classifier-lab ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Classify Image', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let workspace: string;
  let runName: string;
  let expectedTop: string;
  let inputSize: number[];
  const digit = ['data', 'mnist-digits', 'test', '7', '0003.png'];

  before(() => {
    tempDir = makeTempDir('classifier-lab-classify-ui-');
    workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    const runsDir = join(workspace, '.classifier-lab', 'runs');
    const lines = runCli(workspace, ['train', '--data', join(workspace, 'data', 'mnist-digits'), '--epochs', '3', '--limit', '600', '--runs-dir', runsDir, '--name', 'digits-for-classify']);
    const end = lines.find((l) => l.type === 'runEnd');
    assert.equal(end?.status, 'completed');
    runName = 'digits-for-classify';
    const record = JSON.parse(readFileSync(join(end.runDir as string, 'run.json'), 'utf8')) as { dataset: { imageShape: number[] } };
    inputSize = record.dataset.imageShape.slice(0, 2);
    // What the model says about the image, from the command line: the tab must show the same.
    const [classified] = runCli(workspace, ['classify', '--run', end.runDir as string, join(workspace, ...digit)]);
    expectedTop = (classified.top as { label: string }[])[0].label;
    options.workspace = workspace;
  }, { timeout: 300_000 });

  // A portrait photo as a phone held upright stores it: 200x120 pixels turned a quarter, EXIF orientation 6.
  const portrait = 'portrait.jpg';
  before(async () => {
    const bytes = await rotatedJpeg(twoBands(120, 200, [200, 40, 40], [40, 40, 200]));
    const stored = await sharp(bytes).metadata();
    assert.deepEqual([stored.width, stored.height, stored.orientation], [200, 120, 6], 'the file is stored sideways');
    writeFileSync(join(workspace, portrait), bytes);
  });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);

  // First, while the Explorer shows the workspace's top level (the photo is there).
  test('a photo stored sideways (EXIF orientation) is shown upright, the heat map laid exactly over it', { timeout: 180_000 }, async () => {
    await classifyFromExplorer(workbench(), [portrait]);
    const frame = await classifyTabFrame(workbench().page, portrait);
    await frame.locator('ol.bars li.top .class-name').waitFor({ timeout: 60_000 });
    await frame.locator('.figure.has-heat-map').waitFor({ timeout: 60_000 });
    type Box = { width: number; height: number; left: number; top: number };
    const measure = () => frame.locator('.figure').evaluate((figure) => {
      // The page's own DOM (the test's type libraries have none).
      const f = figure as unknown as { querySelector(s: string): { naturalWidth: number; naturalHeight: number; complete: boolean; getBoundingClientRect(): Box } & { getBoundingClientRect(): Box } };
      // No helper functions in here: the bundler would name them with a helper the page does not have.
      const img = f.querySelector('img.picture');
      const p = img.getBoundingClientRect();
      const o = f.querySelector('canvas.heat-map').getBoundingClientRect();
      return {
        loaded: img.complete && img.naturalWidth > 0, natural: [img.naturalWidth, img.naturalHeight],
        picture: { width: p.width, height: p.height, left: p.left, top: p.top }, overlay: { width: o.width, height: o.height, left: o.left, top: o.top },
      };
    });
    let shown = await measure();
    for (let tries = 0; !shown.loaded && tries < 100; tries++) {
      await workbench().page.waitForTimeout(100);
      shown = await measure();
    }
    // Upright: 120 wide and 200 tall, as the photo was taken (stored 200x120).
    assert.deepEqual(shown.natural, [120, 200], JSON.stringify(shown));
    assert.ok(Math.abs(shown.picture.width / shown.picture.height - 120 / 200) < 0.02, `shown ${shown.picture.width}x${shown.picture.height}`);
    for (const key of ['width', 'height', 'left', 'top'] as const) {
      assert.ok(Math.abs(shown.overlay[key] - shown.picture[key]) <= 1, `heat map ${key} ${shown.overlay[key]} vs picture ${shown.picture[key]}`);
    }
    await workbench().screenshot('classify-portrait');
  });

  test('right-click an image > Classify Image: the tab shows the top class, the run and the heat map', { timeout: 180_000 }, async () => {
    await workbench().explorerContextAction(digit, 'Classify Image');
    await workbench().page.locator('.tabs-container .tab', { hasText: 'Classify: 0003.png' }).first().waitFor({ timeout: 30_000 });
    const frame = await classifyTabFrame(workbench().page, '0003.png');
    const top = frame.locator('ol.bars li.top .class-name');
    await top.waitFor({ timeout: 60_000 });
    assert.equal((await top.innerText()).trim(), expectedTop);
    assert.equal(await frame.locator('ol.bars li').count(), 5, 'the top-5 classes');
    assert.equal((await frame.locator('a.run-link').innerText()).trim(), runName);
    // The heat map: painted at the model's input size, laid over the picture, and described.
    await frame.locator('.figure.has-heat-map').waitFor({ timeout: 60_000 });
    const canvas = await frame.locator('canvas.heat-map').evaluate((element) => {
      // The page's own canvas API (the test's type libraries have no DOM).
      const c = element as unknown as {
        width: number; height: number; getBoundingClientRect(): { width: number };
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
      };
      const pixels = Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
      return { width: c.width, height: c.height, shown: c.getBoundingClientRect().width, painted: pixels.some((v, i) => i % 4 === 3 && v > 100) };
    });
    assert.deepEqual([canvas.height, canvas.width], inputSize, 'one heat-map cell per model input pixel');
    assert.ok(canvas.shown > 100 && canvas.painted, JSON.stringify(canvas));
    assert.match(await frame.locator('p.caption').innerText(), new RegExp(`Grad-CAM of conv3: where the model looked to answer “${expectedTop}”`));
    await workbench().screenshot('classify-image');
    // The opacity slider hides the heat map at 0.
    await frame.locator('#opacity').fill('0');
    assert.equal(await frame.locator('canvas.heat-map').evaluate((c) => (c as unknown as { style: { opacity: string } }).style.opacity), '0');
  });

  test('an open image has Classify Image in its editor title bar', { timeout: 120_000 }, async () => {
    const page = workbench().page;
    await workbench().explorerItems();
    await page.locator('.explorer-folders-view .monaco-list-row[role="treeitem"]', { has: page.locator('.label-name', { hasText: /^0005\.png$/ }) }).first().click();
    await page.locator('.tabs-container .tab', { hasText: /^0005\.png/ }).first().waitFor({ timeout: 20_000 });
    const action = page.locator('.editor-actions .action-label[aria-label="Classify Image"]').first();
    await action.waitFor({ state: 'visible', timeout: 20_000 });
    await action.click();
    const frame = await classifyTabFrame(page, '0005.png');
    await frame.locator('ol.bars li.top .class-name').waitFor({ timeout: 60_000 });
    await frame.locator('.figure.has-heat-map').waitFor({ timeout: 60_000 });
  });

  test('right-click a folder > Classify Image: a table, least confident first; a row opens that image', { timeout: 180_000 }, async () => {
    await workbench().explorerContextAction(['7'], 'Classify Image');
    const frame = await classifyTabFrame(workbench().page, '7 (50 images)');
    await frame.locator('.toolbar .status', { hasText: /50 images/ }).waitFor({ timeout: 60_000 });
    const rows = frame.locator('table.results tbody tr');
    assert.equal(await rows.count(), 50);
    const confidences = (await frame.locator('table.results tbody td.number').allInnerTexts()).map((t) => parseFloat(t));
    assert.deepEqual(confidences, [...confidences].sort((a, b) => a - b), 'lowest confidence first');
    await workbench().screenshot('classify-folder');
    const first = (await rows.first().locator('td.file').innerText()).trim();
    await rows.first().click();
    await frame.locator('section.detail h2', { hasText: first }).waitFor({ timeout: 10_000 });
    await frame.locator('.figure.has-heat-map').waitFor({ timeout: 60_000 });
    await frame.locator('vscode-button.back').click();
    await frame.locator('table.results').waitFor({ timeout: 10_000 });
  });
});
