// A user inspects the sample workspace's datasets: Inspect Dataset from the palette (the dataset picker
// New Training Run uses) and from a folder's context menu in the Explorer opens the dataset tab, with a
// progress notification while it inspects, then class balance, sizes, mean images, findings and samples.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useWorkbench } from '../harness/useWorkbench';
import { inspectFromPalette, sectionCount, sectionSources, waitForReport } from './datasetView';

describe('the dataset tab on the sample workspace', () => {
  const workbench = useWorkbench();

  test('Inspect Dataset from the palette shows the digits: progress, class balance, sizes, mean images, near-duplicates, samples', async () => {
    await inspectFromPalette(workbench(), 'mnist-digits');
    await workbench().waitForNotification(/Inspecting mnist-digits/, 30_000);
    const frame = await waitForReport(workbench().page, 'mnist-digits');
    assert.match(await frame.locator('.summary').innerText(), /Image folders · 10 classes · 3,000 training \+ 500 test images · 28 × 28 · grey/);
    const rows = frame.locator('.balance-row');
    assert.equal(await rows.count(), 10);
    assert.deepEqual((await frame.locator('.balance-row .counts').allInnerTexts()).map((t) => t.trim()), Array(10).fill('300 / 50'));
    assert.equal(await frame.locator('.histogram').count(), 3, 'widths, heights and file sizes');
    assert.equal(await frame.locator('.mean canvas').count(), 10, 'a mean image per class');
    // The engine finds 7 groups of near-identical handwritten ones in these files (docs/dataset-doctor.md).
    assert.equal(await sectionCount(frame, 'nearDuplicate'), 7);
    const thumbs = frame.locator('section#finding-nearDuplicate .group').first().locator('img');
    assert.ok(await thumbs.count() >= 2, 'a group of thumbnails');
    const loaded = await thumbs.first().evaluate((img) => new Promise<boolean>((resolve) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number; addEventListener(type: string, listener: () => void): void };
      if (image.complete) {
        resolve(image.naturalWidth > 0);
        return;
      }
      image.addEventListener('load', () => resolve(true));
      image.addEventListener('error', () => resolve(false));
    }));
    assert.ok(loaded, 'the thumbnail loads from the dataset folder');
    assert.ok((await sectionSources(frame, 'nearDuplicate')).every((source) => /mnist-digits\/train\/1\//.test(source)));
    assert.equal(await frame.locator('.sample-class').count(), 10);
    assert.equal(await frame.locator('.sample-class').first().locator('img').count(), 16, 'sixteen samples a class');
    await workbench().screenshot('dataset-tab-digits');
  });
});
