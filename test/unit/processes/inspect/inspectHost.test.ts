// The dataset process through the extension host's side of it: the planted dataset inspected in the
// child process finds what the engine finds in-process, with progress; a cancelled inspection ends as
// cancelled; a preview equals the engine's own augmentation byte for byte; a dead process fails its request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { noAugmentation, parseAugmentList } from '../../../../src/core/data/augment';
import type { DatasetReport } from '../../../../src/core/datasetDoctor/datasetReport';
import { inspectDataset } from '../../../../src/core/datasetDoctor/inspectDataset';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { isProcessAlive } from '../../../../src/core/runs/reconcileStatus';
import { previewRunAugmentation } from '../../../../src/core/train/augmentationPreview';
import { InspectError, InspectHost } from '../../../../src/processes/inspect/inspectHost';
import type { InspectProgress } from '../../../../src/protocol/inspect';
import { writePlantedDataset, type PlantedDataset } from '../../../fixtures/plantedDataset';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

const repo = resolve(__dirname, '../../../..');
const script = join(repo, 'dist', 'inspect.js');

let dir: string;
let planted: PlantedDataset;
let direct: DatasetReport;

before(async () => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  dir = makeTempDir();
  planted = writePlantedDataset(join(dir, 'planted'));
  direct = await inspectDataset({ path: planted.root });
}, { timeout: 240_000 });

after(() => removeTempDir(dir));

function specFor(data: string, augment = parseAugmentList('flip,rotate=25,crop=3,color=0.4')): RunSpec {
  return {
    data: { path: data, format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), seed: 5 },
    augment,
  };
}

describe('InspectHost', () => {
  test('inspects in the child process: the same findings, classes and pictures as the engine, with progress', async () => {
    const host = new InspectHost({ script });
    try {
      const progress: InspectProgress[] = [];
      const report = await host.inspect({ path: planted.root, format: 'auto', cifar100Labels: 'fine', backend: 'wasm' }, (p) => progress.push(p));
      assert.deepEqual(report.findings.map((f) => [f.kind, f.files]), direct.findings.map((f) => [f.kind, f.files]));
      assert.deepEqual(report.findingCounts, direct.findingCounts);
      assert.deepEqual(report.classes.map((c) => [c.name, c.train, c.test]), direct.classes.map((c) => [c.name, c.train, c.test]));
      const circle = report.classes.find((c) => c.name === 'circle')!;
      const directCircle = direct.classes.find((c) => c.name === 'circle')!;
      assert.deepEqual(Buffer.from(circle.meanImage!.pixels, 'base64'), Buffer.from(directCircle.meanImage!.data), 'the mean image, pixel for pixel');
      assert.equal(circle.samples.length, directCircle.samples.length);
      assert.ok(progress.some((p) => p.phase === 'reading') && progress.every((p) => p.done <= p.total));
      const reading = progress.filter((p) => p.phase === 'reading');
      assert.equal(reading[reading.length - 1].done, reading[reading.length - 1].total, 'reading ends complete');
    } finally {
      host.dispose();
    }
  });

  test('a cancelled inspection rejects as cancelled, and the process serves the next one', async () => {
    const host = new InspectHost({ script });
    try {
      const controller = new AbortController();
      const request = { path: planted.root, format: 'auto', cifar100Labels: 'fine', backend: 'wasm' } as const;
      const cancelled = host.inspect(request, () => controller.abort(), controller.signal);
      await assert.rejects(cancelled, (error: Error) => error instanceof InspectError && error.cancelled);
      const pid = host.pid;
      const report = await host.inspect(request);
      assert.equal(report.findings.length, direct.findings.length);
      assert.equal(host.pid, pid, 'the same process answered');
      await assert.rejects(host.inspect({ ...request, path: join(dir, 'missing') }), (error: Error) => error instanceof InspectError && !error.cancelled && /missing/.test(error.message));
    } finally {
      host.dispose();
    }
  });

  test('a preview is the engine\'s augmentation byte for byte; another epoch re-rolls it, other strengths change it', async () => {
    const host = new InspectHost({ script, idleMs: 300 });
    try {
      const spec = specFor(planted.root);
      const remote = await host.preview({ spec, epoch: 3, count: 12 });
      const local = await previewRunAugmentation(spec, { epoch: 3, count: 12 });
      assert.equal(remote.trainCount > 0, true);
      assert.deepEqual(remote.classes, local.classes);
      assert.deepEqual(remote.images.map((i) => [i.example, i.source, i.label, i.position]), local.images.map((i) => [i.example, i.source, i.label, i.position]));
      remote.images.forEach((image, k) => {
        assert.deepEqual(Buffer.from(image.augmented.pixels, 'base64'), Buffer.from(local.images[k].augmentedPixels), `image ${k}`);
        assert.deepEqual(Buffer.from(image.original.pixels, 'base64'), Buffer.from(local.images[k].original));
      });
      const examples = remote.images.map((i) => i.example);
      const rerolled = await host.preview({ spec, epoch: 4, examples, count: examples.length });
      assert.deepEqual(rerolled.images.map((i) => i.example), examples, 'the same images');
      assert.ok(rerolled.images.some((image, k) => image.augmented.pixels !== remote.images[k].augmented.pixels), 'augmented anew');
      const plain = await host.preview({ spec: { ...spec, augment: noAugmentation() }, epoch: 3, examples, count: examples.length });
      plain.images.forEach((image) => assert.equal(image.augmented.pixels, image.original.pixels, 'no augmentation: the model input as it is'));
      const pid = host.pid!;
      const deadline = Date.now() + 10_000;
      while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 50));
      assert.equal(isProcessAlive(pid), false, 'the idle process was let go');
    } finally {
      host.dispose();
    }
  });

  test('an invalid spec fails with the engine\'s message; a process that dies fails the request in flight', async () => {
    const host = new InspectHost({ script });
    try {
      const bad = specFor(planted.root, { ...noAugmentation(), rotateDegrees: 500 });
      await assert.rejects(host.preview({ spec: bad, epoch: 1, count: 4 }), (error: Error) => error instanceof InspectError && /Rotation must be between 0 and 180 degrees/.test(error.message));
      const dying = host.inspect({ path: planted.root, format: 'auto', cifar100Labels: 'fine', backend: 'wasm' }, () => {
        if (host.pid !== undefined) process.kill(host.pid, 'SIGKILL');
      });
      await assert.rejects(dying, (error: Error) => error instanceof InspectError && /was killed \(SIGKILL\)/.test(error.message));
    } finally {
      host.dispose();
    }
  });
});
