// What the dataset tab draws, from a real report of the planted folder: class balance bars on one scale
// with the imbalanced class marked, histogram bars, finding sections in the report's order, the summary.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FINDING_KINDS } from '../../../../src/core/datasetDoctor/datasetReport';
import { inspectDataset } from '../../../../src/core/datasetDoctor/inspectDataset';
import { encodeReport } from '../../../../src/processes/inspect/inspectEncoding';
import type { EncodedDatasetReport } from '../../../../src/protocol/datasetView';
import { balanceRows, findingSections, histogramBars, methodLine, summaryLine } from '../../../../webview/dataset/datasetFigures';
import { writePlantedDataset, type PlantedDataset } from '../../../fixtures/plantedDataset';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir: string;
let planted: PlantedDataset;
let report: EncodedDatasetReport;

before(async () => {
  dir = makeTempDir();
  planted = writePlantedDataset(join(dir, 'planted'));
  report = encodeReport(await inspectDataset({ path: planted.root }));
});

after(() => removeTempDir(dir));

describe('the dataset tab\'s figures', () => {
  test('class balance: the planted counts, one scale for both splits, the imbalanced class marked', () => {
    const rows = balanceRows(report.classes, report.findings);
    assert.deepEqual(rows.map((r) => [r.name, r.train, r.test]), Object.entries(planted.counts).map(([name, c]) => [name, c.train, c.test]));
    const largest = Math.max(...rows.flatMap((r) => [r.train, r.test]));
    for (const row of rows) {
      assert.equal(row.trainShare, row.train / largest);
      assert.equal(row.testShare, row.test / largest);
      assert.equal(row.imbalanced.train, row.name === planted.imbalanced, row.name);
    }
    assert.equal(Math.max(...rows.map((r) => r.trainShare)), 1);
  });

  test('histograms: every image counted once, sizes and bytes labelled', () => {
    const widths = histogramBars(report.images.widths, 'pixels');
    assert.equal(widths.reduce((n, b) => n + b.count, 0), report.images.count);
    assert.equal(Math.max(...widths.map((b) => b.share)), 1);
    // The planted widths run from the 4-pixel tiny image to the 1,100-pixel huge one, in equal bins.
    assert.equal(widths[0].label, `4–${report.images.widths.bins[0].to - 1}`);
    assert.equal(widths[0].tick, '4');
    assert.equal(widths[widths.length - 1].count, 1, 'the huge image alone in the last bin');
    assert.deepEqual(histogramBars({ bins: [{ from: 28, to: 29, count: 5 }] }, 'pixels'), [{ label: '28', tick: '28', count: 5, share: 1 }]);
    const bytes = histogramBars(report.images.fileBytes!, 'bytes');
    assert.ok(bytes.every((b) => /^\d[\d.]* (B|KB|MB)–\d[\d.]* (B|KB|MB)$/.test(b.label)), bytes.map((b) => b.label).join(' '));
    assert.deepEqual(histogramBars({ bins: [{ from: 10, to: 20, count: 0 }] }, 'pixels'), [{ label: '10–19', tick: '10', count: 0, share: 0 }]);
  });

  test('finding sections: one per kind found, in the report\'s order, holding every finding', () => {
    const sections = findingSections(report);
    const kinds = sections.map((s) => s.kind);
    assert.deepEqual(kinds, FINDING_KINDS.filter((kind) => report.findingCounts[kind] > 0));
    for (const section of sections) assert.equal(section.findings.length, report.findingCounts[section.kind], section.kind);
    assert.deepEqual(kinds, ['unreadable', 'duplicate', 'nearDuplicate', 'crossClassDuplicate', 'trainTestLeak', 'imbalance', 'odd']);
    assert.equal(sections.find((s) => s.kind === 'trainTestLeak')!.title, 'Train/test leaks');
  });

  test('summary and method lines', () => {
    assert.match(summaryLine(report), /^Image folders · 4 classes · [\d,]+ training \+ [\d,]+ test images · mostly 32 × 32 · colour · 2 unreadable$/);
    assert.match(methodLine(report), /SHA-1 of the file; near-duplicates: a 64-bit difference hash within \d bits, confirmed by a correlation of at least 0.95 of the grey images at 32 × 32\./);
  });
});
