// Likely mislabelled images: a run is trained for real on the planted folder (whose ten swapped images
// carry the wrong class), then the doctor runs the run's model over the dataset and must rank the
// swapped images among the images it contradicts most.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { noAugmentation } from '../../../../src/core/data/augment';
import type { DatasetReport, MislabelledFinding } from '../../../../src/core/datasetDoctor/datasetReport';
import { inspectDataset } from '../../../../src/core/datasetDoctor/inspectDataset';
import type { RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { runTraining } from '../../../../src/core/runTraining';
import type { PredictionsFile } from '../../../../src/core/runs/runFiles';
import { writePlantedDataset, type PlantedDataset } from '../../../fixtures/plantedDataset';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { snapshotTree } from '../../../fixtures/treeSnapshot';

let root: string;
let planted: PlantedDataset;
let runDir: string;
let report: DatasetReport;
let mislabelled: MislabelledFinding[];
let runBefore: Map<string, string>;

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
  planted = writePlantedDataset(join(root, 'planted'));
  const spec: RunSpec = {
    data: { path: planted.root, format: 'folder', valSplit: 0.2, cifar100Labels: 'fine' },
    model: { kind: 'cnn', options: { filters: [16, 32, 32], denseUnits: 32, dropout: 0 } },
    training: { ...defaultTrainingSpec(), epochs: 8, batchSize: 32, learningRate: 0.003, seed: 3 },
    augment: noAugmentation(),
  };
  const outcome = await runTraining({ spec, runsDir: join(root, 'runs'), backend: 'wasm', name: 'planted' });
  assert.equal(outcome.status, 'completed', outcome.error);
  assert.ok((outcome.best?.valAcc ?? 0) > 0.9, `the run learned the shapes despite the swapped labels (val acc ${outcome.best!.valAcc})`);
  runDir = outcome.runDir;
  runBefore = snapshotTree(runDir);
  report = await inspectDataset({ path: planted.root, runDir, backend: 'wasm' });
  mislabelled = report.findings.filter((f): f is MislabelledFinding => f.kind === 'likelyMislabelled');
});

after(() => removeTempDir(root));

describe('likely mislabelled images from a trained run', () => {
  test('ranks the ten swapped images among the most likely mislabelled', () => {
    const ranks = planted.swapped.map(({ file }) => mislabelled.find((f) => f.files[0] === file)?.rank);
    assert.ok(ranks.every((rank) => rank !== undefined), `every swapped image is found (ranks ${ranks.join(', ')})`);
    const sortedRanks = (ranks as number[]).sort((a, b) => a - b);
    const images = report.totals.train + report.totals.test;
    assert.ok(sortedRanks[4] <= 12, `half of them in the top 12 of ${images} images: ${sortedRanks.join(', ')}`);
    assert.ok(sortedRanks[9] <= 50, `all of them in the top 50: ${sortedRanks.join(', ')}`);
  });

  test('the top of the ranking is mostly the planted wrong labels', () => {
    // Besides the ten, two planted copies sit under a wrong class (the cross-class duplicates).
    const wrong = new Set([...planted.swapped.map((s) => s.file), planted.crossClass.exact[1], planted.crossClass.near[1]]);
    const top = mislabelled.slice(0, 12);
    const hits = top.filter((f) => wrong.has(f.files[0])).length;
    assert.ok(hits >= 9, `${hits} of the top 12 are planted: ${top.map((f) => f.files[0].split('/').slice(-2).join('/')).join(', ')}`);
  });

  test('says which class the model sees, with its confidence, ranked by loss', () => {
    for (const { file, trueClass } of planted.swapped) {
      const finding = mislabelled.find((f) => f.files[0] === file)!;
      assert.equal(finding.predicted, trueClass, file);
      assert.notEqual(finding.image.className, trueClass);
      assert.ok(finding.confidence >= 0.5 && finding.labelProbability < 0.5, `${finding.confidence} ${finding.labelProbability}`);
      assert.match(finding.message, new RegExp(`labelled '${finding.image.className}'.*'${trueClass}'`));
    }
    mislabelled.forEach((finding, k) => {
      assert.equal(finding.rank, k + 1);
      if (k > 0) assert.ok(finding.loss <= mislabelled[k - 1].loss);
      assert.ok(Math.abs(finding.loss + Math.log(Math.max(finding.labelProbability, 1e-7))) < 1e-9);
    });
  });

  test('tells held-out validation images from images the model trained on, by the run\'s predictions.json', () => {
    const predictions = JSON.parse(readFileSync(join(runDir, 'predictions.json'), 'utf8')) as PredictionsFile;
    const validation = new Set(predictions.items.map((item) => item.source));
    for (const finding of mislabelled) {
      const expected = finding.image.split === 'test' ? 'test' : validation.has(finding.image.source) ? 'validation' : 'training';
      assert.equal(finding.role, expected, finding.image.source);
    }
    const swappedFiles = new Set(planted.swapped.map((s) => s.file));
    const swappedRoles = new Set(mislabelled.filter((f) => swappedFiles.has(f.files[0])).map((f) => f.role));
    assert.ok(swappedRoles.has('training'), 'some swapped images were trained on');
    assert.equal(report.run!.validation, predictions.items.length);
  });

  test('summarises the check: the run, its epoch, how many images and how often the model agrees', () => {
    const run = report.run!;
    assert.equal(run.name, 'planted');
    assert.equal(run.runDir, runDir);
    assert.equal(run.examined, report.totals.train + report.totals.test);
    assert.ok(run.accuracy > 0.8 && run.accuracy < 1, `agreement ${run.accuracy}`);
    assert.equal(typeof run.epoch, 'number');
  });

  test('finds the same data problems as without a run, and leaves the run untouched', async () => {
    const without = await inspectDataset({ path: planted.root });
    const strip = (r: DatasetReport) => r.findings.filter((f) => f.kind !== 'likelyMislabelled').map((f) => [f.kind, f.files]);
    assert.deepEqual(strip(report), strip(without));
    assert.deepEqual(snapshotTree(runDir), runBefore);
  });

  test('a run trained on other classes is refused with a clear message', async () => {
    const other = makeTempDir();
    try {
      const data = join(other, 'renamed');
      const shapes = makeShapesDataset(8, 32, 1);
      writeFolderDataset(data, { ...shapes, classes: ['a', 'b', 'c', 'd'] });
      await assert.rejects(inspectDataset({ path: data, runDir, backend: 'wasm' }), /trained on other classes/);
    } finally {
      removeTempDir(other);
    }
  });
});
