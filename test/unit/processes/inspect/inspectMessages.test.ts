// The dataset process's IPC in both directions is untrusted: requests are checked before work starts, and
// a report or a preview is accepted only whole and well-formed (a real report passes; tampered ones do not).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseAugmentList } from '../../../../src/core/data/augment';
import { inspectDataset } from '../../../../src/core/datasetDoctor/inspectDataset';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { previewRunAugmentation } from '../../../../src/core/train/augmentationPreview';
import { encodePreview, encodeReport } from '../../../../src/processes/inspect/inspectEncoding';
import { MAX_PREVIEW_IMAGES, parseFromInspect, parseToInspect } from '../../../../src/processes/inspect/inspectMessages';
import type { EncodedDatasetReport, EncodedPreview, RunSpec } from '../../../../src/protocol/inspect';
import { writePlantedDataset, type PlantedDataset } from '../../../fixtures/plantedDataset';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir: string;
let planted: PlantedDataset;
let report: EncodedDatasetReport;
let preview: EncodedPreview;
let spec: RunSpec;

before(async () => {
  dir = makeTempDir();
  planted = writePlantedDataset(join(dir, 'planted'));
  report = encodeReport(await inspectDataset({ path: planted.root }));
  spec = {
    data: { path: planted.root, format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'), training: defaultTrainingSpec(), augment: parseAugmentList('flip,rotate,crop,color'),
  };
  const local = await previewRunAugmentation(spec, { count: 4 });
  preview = encodePreview(local, local.classes, 100);
});

after(() => removeTempDir(dir));

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('parseToInspect', () => {
  test('accepts inspections, previews and cancels as the host sends them', () => {
    const inspect = { type: 'inspect', id: 1, request: { path: '/d', format: 'auto', cifar100Labels: 'fine', backend: 'wasm', runDir: '/r' } };
    assert.deepEqual(parseToInspect(inspect), inspect);
    const previewRequest = { type: 'preview', id: 2, request: { spec, epoch: 3, count: 16, examples: [1, 5] } };
    assert.deepEqual(parseToInspect(previewRequest), previewRequest);
    assert.deepEqual(parseToInspect({ type: 'cancel', id: 2 }), { type: 'cancel', id: 2 });
  });

  test('rejects malformed requests before any work starts', () => {
    const request = { path: '/d', format: 'auto', cifar100Labels: 'fine', backend: 'wasm' };
    for (const bad of [
      null, { type: 'inspect', id: -1, request }, { type: 'inspect', id: 1 }, { type: 'inspect', id: 1, request: { ...request, path: '' } },
      { type: 'inspect', id: 1, request: { ...request, format: 'zip' } }, { type: 'inspect', id: 1, request: { ...request, backend: 'gpu' } },
      { type: 'inspect', id: 1, request: { ...request, runDir: 4 } }, { type: 'preview', id: 1, request: { spec, epoch: 0, count: 4 } },
      { type: 'preview', id: 1, request: { spec, epoch: 1, count: MAX_PREVIEW_IMAGES + 1 } }, { type: 'preview', id: 1, request: { spec, epoch: 1, count: 4, examples: [-2] } },
      { type: 'preview', id: 1, request: { spec: { data: {} }, epoch: 1, count: 4 } }, { type: 'train', id: 1 },
    ]) {
      assert.equal(parseToInspect(bad), undefined, JSON.stringify(bad)?.slice(0, 120));
    }
  });
});

describe('parseFromInspect', () => {
  test('accepts a real report, a real preview, progress and failures', () => {
    assert.deepEqual(parseFromInspect({ type: 'report', id: 1, report }), { type: 'report', id: 1, report });
    assert.deepEqual(parseFromInspect({ type: 'preview', id: 2, preview }), { type: 'preview', id: 2, preview });
    assert.deepEqual(parseFromInspect({ type: 'progress', id: 1, progress: { phase: 'reading', done: 3, total: 9 } }), { type: 'progress', id: 1, progress: { phase: 'reading', done: 3, total: 9 } });
    assert.deepEqual(parseFromInspect({ type: 'failed', id: 1, message: 'x', cancelled: true }), { type: 'failed', id: 1, message: 'x', cancelled: true });
  });

  test('rejects a report with any part out of shape', () => {
    const tamper: ((r: Record<string, any>) => void)[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      (r) => { r.classes[0].meanImage.pixels = r.classes[0].meanImage.pixels.slice(4); },
      (r) => { r.classes[0].samples[0].pixels.channels = 4; },
      (r) => { r.findings[0].kind = 'virus'; },
      (r) => { r.findings[0].files = [42]; },
      (r) => { r.findings.find((f: { kind: string }) => f.kind === 'imbalance').count = -1; },
      (r) => { r.findings.find((f: { kind: string }) => f.kind === 'duplicate').images[0].split = 'val'; },
      (r) => { r.findings.find((f: { kind: string }) => f.kind === 'odd').problem = 'weird'; },
      (r) => { delete r.findingCounts.odd; },
      (r) => { r.totals.train = '3'; },
      (r) => { r.images.widths.bins[0].count = 1.5; },
      (r) => { r.analysisShape = [32, 32]; },
      (r) => { r.run = { runDir: '/r', name: 'n', examined: 1, accuracy: 2, validation: 0 }; },
    ];
    for (const change of tamper) {
      const bad = copy(report) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      change(bad);
      assert.equal(parseFromInspect({ type: 'report', id: 1, report: bad }), undefined, change.toString());
    }
  });

  test('rejects a preview with pixels that do not fill its images, and unknown messages', () => {
    const bad = copy(preview);
    bad.images[0].augmented.pixels = 'AAAA';
    assert.equal(parseFromInspect({ type: 'preview', id: 1, preview: bad }), undefined);
    assert.equal(parseFromInspect({ type: 'progress', id: 1, progress: { phase: 'thinking', done: 1, total: 2 } }), undefined);
    assert.equal(parseFromInspect({ type: 'done', id: 1 }), undefined);
  });
});
