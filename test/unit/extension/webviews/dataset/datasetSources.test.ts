// The dataset tab's table of sources, built from real reports: every file, image and folder a finding or a
// sample names is there; image files inside the dataset get a URI, folders open in the Explorer, examples
// inside binary files have neither a file to open nor a URI; only images of a folder dataset are movable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspectDataset } from '../../../../../src/core/datasetDoctor/inspectDataset';
import { datasetSources, isInside } from '../../../../../src/extension/webviews/dataset/datasetSources';
import { encodeReport } from '../../../../../src/processes/inspect/inspectEncoding';
import type { EncodedDatasetReport, SourceView } from '../../../../../src/protocol/datasetView';
import { writeCifar10 } from '../../../../fixtures/cifarFixtures';
import { writePlantedDataset, type PlantedDataset } from '../../../../fixtures/plantedDataset';
import { makeTempDir, removeTempDir } from '../../../../fixtures/tempDir';

let dir: string;
let planted: PlantedDataset;
let report: EncodedDatasetReport;
let sources: Record<string, SourceView>;
const uriOf = (path: string) => `webview-resource:${path}`;

before(async () => {
  dir = makeTempDir();
  planted = writePlantedDataset(join(dir, 'planted'));
  report = encodeReport(await inspectDataset({ path: planted.root }));
  sources = datasetSources(report, uriOf);
});

after(() => removeTempDir(dir));

describe('datasetSources', () => {
  test('names every file a finding or a sample mentions, relative to the dataset', () => {
    const named = [
      ...report.findings.flatMap((f) => f.files),
      ...report.findings.flatMap((f) => ('images' in f ? f.images.map((i) => i.source) : [])),
      ...report.classes.flatMap((c) => c.samples.map((s) => s.source)),
    ];
    for (const source of named) assert.ok(sources[source], source);
    assert.equal(sources[planted.truncated].name, 'train/cross/truncated.png');
    assert.equal(sources[planted.leak.exact[1]].name, 'test/circle/circle-leaked.png');
  });

  test('image files load from the dataset folder and can be opened and moved', () => {
    for (const file of [...planted.duplicate, ...planted.leak.near, planted.tiny]) {
      assert.deepEqual(sources[file], { name: sources[file].name, uri: uriOf(file), openable: true, movable: true }, file);
    }
  });

  test('folders (a class folder, a stray folder) open in the Explorer, with no thumbnail and no move', () => {
    const classFolder = report.findings.find((f) => f.kind === 'imbalance')!.files[0];
    assert.equal(classFolder, join(planted.root, 'train', planted.imbalanced));
    for (const folder of [classFolder, planted.strayFolder]) assert.deepEqual(sources[folder], { name: sources[folder].name, openable: true, movable: false }, folder);
  });

  test('unreadable files are links, never moved', () => {
    assert.equal(sources[planted.empty].movable, false);
    assert.equal(sources[planted.empty].openable, true);
  });

  test('examples inside CIFAR batches have no URI and no file to open or move', async () => {
    const cifar = writeCifar10(join(dir, 'cifar'), { batches: [30], testCount: 10 });
    const binary = encodeReport(await inspectDataset({ path: cifar.dir }));
    const table = datasetSources(binary, uriOf);
    const samples = binary.classes.flatMap((c) => c.samples.map((s) => s.source));
    assert.ok(samples.length > 0);
    for (const source of samples) {
      assert.match(source, /data_batch_1\.bin#\d+$/);
      assert.deepEqual(table[source], { name: table[source].name, openable: false, movable: false });
      assert.match(table[source].name, /^data_batch_1\.bin#\d+$/);
    }
  });

  test('isInside tells the dataset folder from its neighbours', () => {
    assert.equal(isInside('/data/planted', '/data/planted/train/a.png'), true);
    assert.equal(isInside('/data/planted', '/data/planted'), true);
    assert.equal(isInside('/data/planted', '/data/planted-other/a.png'), false);
    assert.equal(isInside('/data/planted', '/data/a.png'), false);
    assert.equal(isInside('/data/planted', '/data/planted/..x/a.png'), true, 'a folder whose name starts with two dots is inside');
  });
});
