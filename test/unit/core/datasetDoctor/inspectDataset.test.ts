// The dataset doctor on a folder seeded with known problems: every planted problem is found, nothing
// else is reported as a duplicate, and nothing on disk changes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspectDataset } from '../../../../src/core/datasetDoctor/inspectDataset';
import type {
  DatasetReport, DuplicateFinding, Finding, FindingKind, InspectProgress, OddFinding,
} from '../../../../src/core/datasetDoctor/datasetReport';
import { writePlantedDataset, type PlantedDataset } from '../../../fixtures/plantedDataset';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { snapshotTree } from '../../../fixtures/treeSnapshot';

let root: string;
let planted: PlantedDataset;
let report: DatasetReport;
let progress: InspectProgress[];
let before_: Map<string, string>;

function ofKind<K extends FindingKind>(kind: K): (Finding & { kind: K })[] {
  return report.findings.filter((f): f is Finding & { kind: K } => f.kind === kind);
}

const sorted = (files: readonly string[]): string[] => [...files].sort();

before(async () => {
  root = makeTempDir();
  planted = writePlantedDataset(join(root, 'planted'));
  before_ = snapshotTree(root);
  progress = [];
  report = await inspectDataset({ path: planted.root, onProgress: (p) => progress.push(p) });
});

after(() => removeTempDir(root));

describe('inspecting a folder with planted problems', () => {
  test('counts the readable images of each class and split', () => {
    assert.equal(report.format, 'folder');
    assert.deepEqual(report.analysisShape, [32, 32, 3]);
    assert.deepEqual(report.classes.map((c) => c.name), [...planted.classes]);
    for (const c of report.classes) {
      assert.deepEqual({ train: c.train, test: c.test }, planted.counts[c.name], c.name);
    }
    assert.equal(report.classes.find((c) => c.name === 'circle')!.unreadable, 1, 'the empty file');
    assert.equal(report.classes.find((c) => c.name === 'cross')!.unreadable, 1, 'the truncated file');
    const total = Object.values(planted.counts).reduce((n, c) => n + c.train + c.test, 0);
    assert.equal(report.totals.train + report.totals.test, total);
    assert.equal(report.images.count, total);
  });

  test('finds the truncated and the empty file, and why they are unreadable', () => {
    const unreadable = ofKind('unreadable');
    assert.deepEqual(sorted(unreadable.flatMap((f) => f.files)), sorted([planted.truncated, planted.empty]));
    assert.match(unreadable.find((f) => f.files[0] === planted.empty)!.message, /empty/);
    assert.match(unreadable.find((f) => f.files[0] === planted.truncated)!.message, /truncated/);
  });

  test('finds the exact duplicate within a class', () => {
    const [duplicate, ...others] = ofKind('duplicate');
    assert.equal(others.length, 0);
    assert.deepEqual(sorted(duplicate.files), sorted(planted.duplicate));
    assert.equal(duplicate.exact, true);
  });

  test('finds the near-duplicates within a class: a brighter JPEG copy and a resized copy', () => {
    const near = ofKind('nearDuplicate');
    assert.deepEqual(near.map((f) => sorted(f.files)).sort(), planted.nearDuplicates.map(sorted).sort());
    for (const finding of near) assert.equal(finding.exact, false);
  });

  test('finds identical and near-identical images under two classes', () => {
    const conflicts = ofKind('crossClassDuplicate');
    const exact = conflicts.filter((f) => f.exact);
    const near = conflicts.filter((f) => !f.exact);
    assert.deepEqual(exact.map((f) => sorted(f.files)), [sorted(planted.crossClass.exact)]);
    assert.deepEqual(near.map((f) => sorted(f.files)), [sorted(planted.crossClass.near)]);
    assert.deepEqual(sorted(exact[0].images.map((i) => i.className)), ['cross', 'horizontal']);
    assert.match(exact[0].message, /'cross' and 'horizontal'/);
  });

  test('finds the images leaked from train into test', () => {
    const leaks = ofKind('trainTestLeak');
    assert.deepEqual(leaks.filter((f) => f.exact).map((f) => sorted(f.files)), [sorted(planted.leak.exact)]);
    assert.deepEqual(leaks.filter((f) => !f.exact).map((f) => sorted(f.files)), [sorted(planted.leak.near)]);
    for (const leak of leaks) assert.deepEqual(sorted(leak.images.map((i) => i.split)), ['test', 'train']);
  });

  test('reports no other duplicates among the distinct generated images', () => {
    const groups = report.findings.filter((f): f is DuplicateFinding =>
      ['duplicate', 'nearDuplicate', 'crossClassDuplicate', 'trainTestLeak'].includes(f.kind));
    assert.equal(groups.length, 7);
  });

  test('finds the imbalanced class, and only it', () => {
    const [imbalance, ...others] = ofKind('imbalance');
    assert.equal(others.length, 0, others.map((f) => f.message).join('; '));
    assert.equal(imbalance.className, planted.imbalanced);
    assert.equal(imbalance.split, 'train');
    assert.equal(imbalance.count, planted.counts[planted.imbalanced].train);
    assert.deepEqual(imbalance.files, [join(planted.root, 'train', planted.imbalanced)]);
  });

  test('finds the odd files: wrong extension, tiny, huge, outside the class folders, and the stray folder', () => {
    const odd = new Map(ofKind('odd').map((f: OddFinding) => [f.problem, f]));
    assert.deepEqual([...odd.keys()].sort(), ['huge', 'ignoredFolder', 'outsideClassFolder', 'tiny', 'wrongExtension']);
    assert.deepEqual(odd.get('wrongExtension')!.files, [planted.wrongExtension]);
    assert.match(odd.get('wrongExtension')!.message, /JPEG image but its extension says PNG/);
    assert.deepEqual(odd.get('tiny')!.files, [planted.tiny]);
    assert.deepEqual([odd.get('tiny')!.width, odd.get('tiny')!.height], [4, 4]);
    assert.deepEqual(odd.get('huge')!.files, [planted.huge]);
    assert.deepEqual(odd.get('outsideClassFolder')!.files, [planted.outsideClass]);
    assert.deepEqual(odd.get('ignoredFolder')!.files, [planted.strayFolder]);
  });

  test('lists findings by kind, with counts that add up, and no mislabelling check without a run', () => {
    const kinds = report.findings.map((f) => f.kind);
    const order = ['unreadable', 'duplicate', 'nearDuplicate', 'crossClassDuplicate', 'trainTestLeak', 'imbalance', 'odd', 'likelyMislabelled'];
    assert.deepEqual(kinds, [...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    assert.equal(Object.values(report.findingCounts).reduce((a, b) => a + b, 0), report.findings.length);
    assert.equal(report.findingCounts.likelyMislabelled, 0);
    assert.equal(report.run, undefined);
    for (const finding of report.findings) {
      assert.ok(finding.files.length > 0, `${finding.kind} names its files`);
      assert.ok(finding.message.length > 20, finding.message);
    }
  });

  test('summarises sizes, channels, formats and file sizes', () => {
    const sizes = new Map(report.images.sizes.map((s) => [`${s.width}x${s.height}`, s.count]));
    assert.equal(sizes.get('4x4'), 1);
    assert.equal(sizes.get('48x48'), 1);
    assert.equal(sizes.get('1100x1100'), 1);
    assert.equal(report.images.sizes[0].width, 32, 'the most common size first');
    const formats = new Map(report.images.formats.map((f) => [f.format, f.count]));
    assert.equal(formats.get('JPEG'), 4, 'the three JPEG copies and the JPEG named .png');
    assert.equal((formats.get('PNG') ?? 0) + (formats.get('JPEG') ?? 0), report.images.count);
    assert.deepEqual(report.images.channels, { grey: 0, colour: report.images.count });
    const histogramTotal = (bins: { count: number }[]): number => bins.reduce((n, b) => n + b.count, 0);
    assert.equal(histogramTotal(report.images.widths.bins), report.images.count);
    assert.equal(histogramTotal(report.images.fileBytes!.bins), report.images.count);
    const bytes = report.images.fileBytes!.bins;
    for (let k = 1; k < bytes.length; k++) assert.equal(bytes[k].from, bytes[k - 1].to);
  });

  test('gives each class a mean image and a sample of its training images', () => {
    for (const c of report.classes) {
      assert.ok(c.meanImage, c.name);
      assert.deepEqual([c.meanImage!.height, c.meanImage!.width, c.meanImage!.channels], [32, 32, 3]);
      assert.equal(c.meanImage!.data.length, 32 * 32 * 3);
      assert.equal(c.samples.length, Math.min(16, c.train));
      for (const sample of c.samples) {
        assert.equal(sample.split, 'train');
        assert.ok(sample.source.startsWith(join(planted.root, 'train', c.name)), sample.source);
        assert.equal(sample.pixels.data.length, 32 * 32 * 3);
      }
    }
    // Horizontal bars average to a horizontal band, vertical bars to a vertical one: rows vary more than columns.
    const spread = (name: string, alongRows: boolean): number => {
      const mean = report.classes.find((c) => c.name === name)!.meanImage!.data;
      const profile = Array.from({ length: 32 }, (_, k) => {
        let sum = 0;
        for (let j = 0; j < 32; j++) sum += mean[((alongRows ? k * 32 + j : j * 32 + k)) * 3];
        return sum / 32;
      });
      return Math.max(...profile) - Math.min(...profile);
    };
    assert.ok(spread('horizontal', true) > spread('horizontal', false), 'horizontal: brightness varies from row to row');
    assert.ok(spread('vertical', false) > spread('vertical', true), 'vertical: brightness varies from column to column');
  });

  test('explains how near-duplicates were found', () => {
    assert.deepEqual(report.duplicates, {
      contentHash: 'sha1', perceptualHash: 'dhash64', maxHammingDistance: 6, minCorrelation: 0.95, maxLevelDifference: 48,
      backgroundTolerance: 16, maxBlankDifference: 8,
    });
    assert.deepEqual(report.warnings, []);
  });

  test('reports progress up to every image, then the comparison', () => {
    const reading = progress.filter((p) => p.phase === 'reading');
    const comparing = progress.filter((p) => p.phase === 'comparing');
    assert.ok(reading.length >= 2);
    for (let k = 1; k < reading.length; k++) assert.ok(reading[k].done >= reading[k - 1].done);
    assert.equal(reading.at(-1)!.done, reading.at(-1)!.total);
    assert.equal(comparing.at(-1)!.done, comparing.at(-1)!.total);
    assert.ok(progress.indexOf(comparing[0]) > progress.indexOf(reading.at(-1)!));
  });

  test('changes nothing on disk', () => {
    assert.deepEqual(snapshotTree(root), before_);
  });

  test('stops when cancelled', async () => {
    const controller = new AbortController();
    const inspecting = inspectDataset({
      path: planted.root, signal: controller.signal,
      onProgress: (p) => { if (p.phase === 'reading' && p.done > 0) controller.abort(); },
    });
    await assert.rejects(inspecting, (error: Error) => error.name === 'AbortError');
  });

  test('refuses a folder that is not a dataset with a clear error', async () => {
    await assert.rejects(inspectDataset({ path: join(root, 'nowhere') }), /nowhere/);
  });
});
