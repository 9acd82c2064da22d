// A user previews augmentation from New Training Run: the eye on the augmentation step opens a tab of
// real training images as training augments them; the sliders and the flip switch change the images,
// Re-roll shows the next epoch's; Back returns to the picker with the strengths kept, and Start Training
// starts the run whose spec holds exactly the strengths set. The pixels shown are, byte for byte, what
// training's augmentation makes of those images for the run's seed. Preview Augmentation on a dataset
// folder opens the same tab on its own.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { previewRunAugmentation } from '../../../src/core/train/augmentationPreview';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { Workbench } from '../harness/workbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import { explorerAction } from './datasetView';
import { quickPickRow } from './experimentsView';

const TOTAL_STEPS = 10;

async function waitForStep(workbench: Workbench, step: number): Promise<void> {
  await workbench.quickInput.locator('.quick-input-title', { hasText: `(${step}/${TOTAL_STEPS})` }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** The preview tab's page once its heading names `dataset`. */
async function previewFrame(page: Page, dataset: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const heading = await frame.locator('header h1').innerText({ timeout: 300 }).catch(() => undefined);
      if (heading?.trim() === `Augmentation preview: ${dataset}`) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no augmentation preview of ${dataset}`);
}

/** The pixels of every augmented image the page shows, as one string per image. */
async function shownPixels(frame: Frame): Promise<string[]> {
  return frame.locator('.cell canvas.augmented').evaluateAll((canvases) => canvases.map((element) => {
    const canvas = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
    return Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data).join(',');
  }));
}

async function waitForChange(frame: Frame, before: string[], what: string): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await shownPixels(frame);
    if (now.length === before.length && now.some((pixels, k) => pixels !== before[k])) return now;
    if (Date.now() > deadline) throw new Error(`the images did not change after ${what}`);
    await frame.page().waitForTimeout(200);
  }
}

/** Moves a slider to `value` (as dragging it does: an input event). */
async function setSlider(frame: Frame, id: string, value: number): Promise<void> {
  await frame.locator(`input#${id}`).fill(String(value));
}

describe('augmentation preview', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let workspace: string;

  before(() => {
    tempDir = makeTempDir('classifier-lab-preview-ui-');
    // A workspace of its own: the run it starts and the answers New Training Run remembers stay here.
    workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    options.workspace = workspace;
  });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);

  test('from New Training Run: sliders and flip change the images, Re-roll re-rolls, and the run starts with exactly those strengths', { timeout: 300_000 }, async () => {
    const page = workbench().page;
    await workbench().runCommand('Classifier Lab: New Training Run');
    await waitForStep(workbench(), 1);
    const input = workbench().quickInput.locator('input.input');
    await input.fill('mnist-digits');
    await quickPickRow(workbench(), 'mnist-digits').click();
    await waitForStep(workbench(), 2);
    await quickPickRow(workbench(), 'cnn').click();
    // The model's options: the first item goes on with them.
    await waitForStep(workbench(), 3);
    await page.keyboard.press('Enter');
    await waitForStep(workbench(), 4);
    await input.fill('1');
    await page.keyboard.press('Enter');
    for (const step of [5, 6, 7, 8]) {
      await waitForStep(workbench(), step);
      await page.keyboard.press('Enter');
    }
    await waitForStep(workbench(), 9);
    const eye = workbench().quickInput.locator('.quick-input-titlebar .action-label[aria-label="Preview Augmentation…"]');
    await eye.click();

    let frame = await previewFrame(page, 'mnist-digits');
    await frame.locator('.cell canvas.augmented').nth(15).waitFor({ timeout: 90_000 });
    assert.equal(await frame.locator('.cell').count(), 16);
    assert.match(await frame.locator('.explain').innerText(), /16 of the 2,700 training images as epoch 1 of a run with seed 42/);
    assert.equal(await frame.locator('input#saturation').isDisabled(), true, 'grey digits have no saturation');
    const plain = await shownPixels(frame);

    await setSlider(frame, 'rotateDegrees', 30);
    let now = await waitForChange(frame, plain, 'rotation 30');
    await setSlider(frame, 'cropPadding', 3);
    await setSlider(frame, 'brightness', 0.5);
    await setSlider(frame, 'contrast', 0.25);
    await frame.locator('input#flip').check();
    await frame.locator('code.flag', { hasText: 'flip,rotate=30,crop=3,brightness=0.5,contrast=0.25' }).waitFor({ timeout: 30_000 });
    now = await waitForChange(frame, now, 'crop, brightness, contrast and flip');
    await workbench().screenshot('augmentation-preview');
    // Pixel for pixel what training's own augmentation makes of these images in epoch 1 with seed 42.
    const examples = await frame.locator('.cell').evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-example'))));
    const expected = await previewRunAugmentation({
      data: { path: join(workspace, 'data', 'mnist-digits'), format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
      model: defaultModelSpec('cnn'), training: { ...defaultTrainingSpec(), seed: 42 },
      augment: { flip: true, rotateDegrees: 30, cropPadding: 3, brightness: 0.5, contrast: 0.25, saturation: 0 },
    }, { epoch: 1, examples });
    assert.deepEqual(now, expected.images.map((image) => Array.from(image.augmentedPixels, (v) => `${v},${v},${v},255`).join(',')), 'the shown pixels are training\'s');

    await frame.locator('vscode-button.reroll').click();
    await frame.locator('.explain', { hasText: 'as epoch 2 of' }).waitFor({ timeout: 30_000 });
    await waitForChange(frame, now, 'Re-roll');

    // Back to the picker: the strengths are kept, the augmentations they turn on are ticked.
    await frame.locator('vscode-button.back').click();
    await waitForStep(workbench(), 9);
    for (const kind of ['flip', 'rotate', 'crop', 'color']) {
      assert.equal(await quickPickRow(workbench(), new RegExp(`^${kind}$`)).getAttribute('aria-checked'), 'true', `${kind} is ticked`);
    }
    await eye.click();
    frame = await previewFrame(page, 'mnist-digits');
    assert.equal(await frame.locator('input#rotateDegrees').inputValue(), '30', 'the preview reopens with the strengths set');
    await frame.locator('.cell canvas.augmented').nth(15).waitFor({ timeout: 90_000 });
    await frame.locator('vscode-button.start').click();

    // The run New Training Run starts holds exactly the strengths the sliders set.
    const runsDir = join(workspace, '.classifier-lab', 'runs');
    const deadline = Date.now() + 60_000;
    let record: RunRecord | undefined;
    while (!record) {
      const runs = (() => { try { return readdirSync(runsDir); } catch { return []; } })();
      for (const id of runs) {
        try {
          record = JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as RunRecord;
        } catch {
          // Not written yet.
        }
      }
      if (!record && Date.now() > deadline) throw new Error('no run was started');
      if (!record) await page.waitForTimeout(250);
    }
    assert.deepEqual(record.spec.augment, { flip: true, rotateDegrees: 30, cropPadding: 3, brightness: 0.5, contrast: 0.25, saturation: 0 });
    assert.equal(record.spec.training.epochs, 1);
    assert.match(record.spec.data.path, /mnist-digits$/);
    // Let it finish, so no trainer outlives the test.
    await workbench().waitForNotification(`Run "${record.name}" completed`, 180_000);
  });

  test('Preview Augmentation on a dataset folder opens the preview on its own', { timeout: 180_000 }, async () => {
    await explorerAction(workbench(), ['data', 'colour-shapes'], 'Preview Augmentation');
    const frame = await previewFrame(workbench().page, 'colour-shapes');
    await frame.locator('.cell canvas.augmented').nth(15).waitFor({ timeout: 90_000 });
    assert.equal(await frame.locator('input#saturation').isDisabled(), false, 'colour images have saturation');
    assert.equal(await frame.locator('code.flag').innerText(), 'flip,rotate=15,crop=4,color=0.2');
    assert.equal(await frame.locator('vscode-button.start').innerText(), 'New Training Run with These Settings…');
    const before = await shownPixels(frame);
    await setSlider(frame, 'saturation', 1);
    await waitForChange(frame, before, 'saturation 1');
  });
});
