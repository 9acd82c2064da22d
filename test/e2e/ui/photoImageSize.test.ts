// A user trains on a folder of their own photos: New Training Run reads the photos' sizes, recommends a
// larger image size than the 32 px default and uses it unless the user picks another in the recipe step;
// the run then trains at the size picked.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gradient, plainJpeg, rotatedJpeg, twoBands } from '../../fixtures/photoFixtures';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { Workbench } from '../harness/workbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { runRecords } from './dashboardRuns';
import { quickPickRow } from './experimentsView';

const TOTAL = 10;

async function waitForStep(workbench: Workbench, step: number): Promise<void> {
  await workbench.quickInput.locator('.quick-input-title', { hasText: `(${step}/${TOTAL})` }).waitFor({ state: 'visible', timeout: 30_000 });
}


describe('image size for a folder of photos', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let workspace: string;

  before(async () => {
    tempDir = makeTempDir('classifier-lab-photo-size-ui-');
    workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    // Two classes of 400x300 photos (their shorter side 300 px), some stored sideways with an EXIF orientation.
    const root = join(workspace, 'data', 'holiday-photos');
    for (const [name, top, bottom] of [['beach', [60, 140, 220], [220, 200, 150]], ['forest', [40, 120, 40], [90, 60, 30]]] as const) {
      mkdirSync(join(root, name), { recursive: true });
      for (let i = 0; i < 6; i++) {
        const bytes = i % 3 === 0 ? await rotatedJpeg(twoBands(300, 400, [...top], [...bottom])) : await plainJpeg(i % 2 ? twoBands(400, 300, [...top], [...bottom]) : gradient(400, 300));
        writeFileSync(join(root, name, `${name}-${i}.jpg`), bytes);
      }
    }
    options.workspace = workspace;
  }, { timeout: 60_000 });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);

  test('New Training Run recommends 128 px for 400x300 photos, offers 32-128, and trains at the size picked', { timeout: 240_000 }, async () => {
    const wb = workbench();
    const page = wb.page;
    const input = wb.quickInput.locator('input.input');
    await wb.runCommand('Classifier Lab: New Training Run');
    await waitForStep(wb, 1);
    await input.fill('holiday-photos');
    const dataset = quickPickRow(wb, 'holiday-photos');
    await dataset.locator('.quick-input-list-label-meta', { hasText: 'classes' }).waitFor({ state: 'visible', timeout: 30_000 });
    await dataset.click();
    await waitForStep(wb, 2);
    await quickPickRow(wb, 'cnn').click();
    await waitForStep(wb, 3);
    await wb.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'Continue with these options' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await waitForStep(wb, 4);
    await input.fill('1');
    await page.keyboard.press('Enter');
    for (let step = 5; step <= 9; step++) {
      await waitForStep(wb, step);
      await page.keyboard.press('Enter');
    }

    // The recipe step: the suggested size is the one the run will use, and says why.
    await waitForStep(wb, 10);
    const sizeRow = quickPickRow(wb, /Image size:/);
    await sizeRow.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await sizeRow.innerText(), /Image size: 128×128 px \(recommended\)[\s\S]*128 px suggested: the median image is 300 px on its shorter side/);
    assert.match(await quickPickRow(wb, 'Start Training').innerText(), /cnn · 128 px · 1 epochs/);
    await sizeRow.click();

    // The sizes offered, the recommended one active; the user picks 64.
    await wb.quickInput.locator('input.input[placeholder*="Image size"]').waitFor({ state: 'visible', timeout: 10_000 });
    // Each row's label (its detail line is a label too).
    const labels = (await wb.quickInput.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim()).filter((t) => / px$/.test(t));
    assert.deepEqual(labels, ['32×32 px', '64×64 px', '96×96 px', '128×128 px']);
    assert.match(await quickPickRow(wb, '128×128 px').innerText(), /recommended/);
    assert.match(await wb.quickInput.locator('.quick-input-list .monaco-list-row.focused').innerText(), /128×128 px/, 'the recommended size is the active choice');
    await quickPickRow(wb, '64×64 px').click();

    await waitForStep(wb, 10);
    await quickPickRow(wb, /Image size: 64×64 px/).waitFor({ state: 'visible', timeout: 10_000 });
    assert.doesNotMatch(await quickPickRow(wb, /Image size:/).innerText(), /recommended/);
    await quickPickRow(wb, 'Start Training').click();
    await wb.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });

    // The run trains at 64 px: its spec and the model's input say so.
    const deadline = Date.now() + 180_000;
    let record: RunRecord | undefined;
    for (;;) {
      record = runRecords(workspace).find((r) => r.spec.data.path.endsWith('holiday-photos') && r.status === 'completed');
      if (record || Date.now() > deadline) break;
      await page.waitForTimeout(500);
    }
    assert.ok(record, `a completed run on holiday-photos; runs: ${JSON.stringify(runRecords(workspace).map((r) => [r.name, r.status]))}`);
    assert.equal(record.spec.data.imageSize, 64);
    assert.deepEqual(record.dataset?.imageShape, [64, 64, 3]);
  });
});
