// The dataset doctor on binary datasets (CIFAR-10, CIFAR-100, IDX) with planted duplicate records,
// a label conflict, a train/test leak, a near-duplicate and a damaged batch file.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import type { DatasetReport, DuplicateFinding, Finding } from '../../../../src/core/datasetDoctor/datasetReport';
import { inspectDataset } from '../../../../src/core/datasetDoctor/inspectDataset';
import { cifarRecord, writeCifar100 } from '../../../fixtures/cifarFixtures';
import { encodeIdx } from '../../../fixtures/idxFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let root: string;

before(() => {
  root = makeTempDir();
});

after(() => removeTempDir(root));

function noise(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

function groups(report: DatasetReport): string[] {
  return report.findings
    .filter((f): f is DuplicateFinding => ['duplicate', 'nearDuplicate', 'crossClassDuplicate', 'trainTestLeak'].includes(f.kind))
    .map((f) => `${f.kind}${f.exact ? '' : '~'}: ${f.files.map((file) => file.slice(file.lastIndexOf('/') + 1)).join(' ')}`)
    .sort();
}

describe('CIFAR-10 batches', () => {
  let report: DatasetReport;
  let dir: string;

  before(async () => {
    dir = join(root, 'cifar10');
    mkdirSync(dir);
    const random = seedrandom('doctor-cifar');
    const image = Array.from({ length: 60 }, () => noise(random, 32 * 32 * 3));
    const labels = Array.from({ length: 60 }, (_, i) => i % 10);
    const write = (name: string, records: [number, Uint8Array][]): void => {
      writeFileSync(join(dir, name), Buffer.concat(records.map(([label, pixels]) => cifarRecord([label], pixels))));
    };
    const batch1: [number, Uint8Array][] = image.slice(0, 20).map((pixels, i) => [labels[i], pixels]);
    batch1[5] = [labels[2], image[2]]; // identical to record 2, same class
    const batch2: [number, Uint8Array][] = image.slice(20, 40).map((pixels, i) => [labels[20 + i], pixels]);
    batch2[3] = [(labels[7] + 1) % 10, image[7]]; // identical to batch 1 record 7, another class
    batch2[10] = [labels[11], Uint8Array.from(image[11], (v) => Math.min(255, v + 10))]; // batch 1 record 11, brighter
    const testBatch: [number, Uint8Array][] = image.slice(40, 60).map((pixels, i) => [labels[40 + i], pixels]);
    testBatch[0] = [labels[4], image[4]]; // a training image in the test split
    write('data_batch_1.bin', batch1);
    write('data_batch_2.bin', batch2);
    write('test_batch.bin', testBatch);
    writeFileSync(join(dir, 'data_batch_3.bin'), cifarRecord([1], image[0]).subarray(0, 1000)); // cut short
    writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
    report = await inspectDataset({ path: dir });
  });

  test('finds the identical records, the label conflict, the leak and the brighter copy, and nothing else', () => {
    assert.deepEqual(groups(report), [
      'crossClassDuplicate: data_batch_1.bin#7 data_batch_2.bin#3',
      'duplicate: data_batch_1.bin#2 data_batch_1.bin#5',
      'nearDuplicate~: data_batch_1.bin#11 data_batch_2.bin#10',
      'trainTestLeak: data_batch_1.bin#4 test_batch.bin#0',
    ]);
    const conflict = report.findings.find((f) => f.kind === 'crossClassDuplicate') as DuplicateFinding;
    assert.match(conflict.message, /'horse' and 'ship'/);
    assert.match(conflict.message, /data_batch_1\.bin#7 \('horse'\)/);
  });

  test('reports the damaged batch file as unreadable', () => {
    const unreadable = report.findings.filter((f: Finding) => f.kind === 'unreadable');
    assert.equal(unreadable.length, 1);
    assert.deepEqual(unreadable[0].files, [join(dir, 'data_batch_3.bin')]);
    assert.match(unreadable[0].message, /not a whole number of 3073-byte/);
    assert.deepEqual(report.warnings, [], 'named once, as a finding');
  });

  test('counts records per class and split, at their native 32 x 32 colour', () => {
    assert.equal(report.format, 'cifar10');
    assert.deepEqual(report.analysisShape, [32, 32, 3]);
    assert.deepEqual(report.classes.map((c) => c.name).slice(0, 3), ['airplane', 'automobile', 'bird']);
    assert.equal(report.totals.train, 40);
    assert.equal(report.totals.test, 20);
    assert.equal(report.classes.find((c) => c.name === 'bird')!.train, 5, 'four of its own plus the copy of record 2');
    assert.deepEqual(report.images.formats, [{ format: 'CIFAR-10 record', count: 60 }]);
    assert.deepEqual(report.images.sizes, [{ width: 32, height: 32, count: 60 }]);
    assert.equal(report.images.fileBytes, undefined);
    const bird = report.classes.find((c) => c.name === 'bird')!;
    assert.ok(bird.samples.every((s) => /data_batch_\d\.bin#\d+$/.test(s.source)));
    assert.equal(bird.meanImage!.data.length, 32 * 32 * 3);
  });
});

describe('IDX files', () => {
  test('finds a duplicate and a leak among 28 x 28 grey digits-like images', async () => {
    const dir = join(root, 'idx');
    mkdirSync(dir);
    const random = seedrandom('doctor-idx');
    const size = 28 * 28;
    // Sparse strokes on black, like digits: most pixels are background.
    const stroke = (): Uint8Array => {
      const pixels = new Uint8Array(size);
      const x = 4 + Math.floor(random() * 18);
      const y = 4 + Math.floor(random() * 10);
      const slope = random() * 2 - 1;
      for (let k = 0; k < 12; k++) {
        const px = Math.round(x + slope * k);
        if (px >= 0 && px < 27) pixels[(y + k) * 28 + px] = pixels[(y + k) * 28 + px + 1] = 200 + Math.floor(random() * 55);
      }
      return pixels;
    };
    const train = Array.from({ length: 40 }, stroke);
    const trainLabels = Array.from({ length: 40 }, (_, i) => i % 4);
    train[9] = train[1];
    trainLabels[9] = trainLabels[1];
    const testImages = Array.from({ length: 12 }, stroke);
    const testLabels = Array.from({ length: 12 }, (_, i) => i % 4);
    testImages[2] = train[3];
    testLabels[2] = trainLabels[3];
    const pack = (images: Uint8Array[]): Uint8Array => Buffer.concat(images);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx([40, 28, 28], pack(train)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([40], Uint8Array.from(trainLabels)));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([12, 28, 28], pack(testImages)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([12], Uint8Array.from(testLabels)));
    const report = await inspectDataset({ path: dir });
    assert.equal(report.format, 'idx');
    assert.deepEqual(report.analysisShape, [28, 28, 1]);
    assert.deepEqual(report.classes.map((c) => [c.name, c.train, c.test]), [['0', 10, 3], ['1', 10, 3], ['2', 10, 2], ['3', 10, 4]]);
    assert.deepEqual(groups(report), [
      'duplicate: train-images-idx3-ubyte#1 train-images-idx3-ubyte#9',
      'trainTestLeak: train-images-idx3-ubyte#3 t10k-images-idx3-ubyte#2',
    ]);
    assert.deepEqual(report.images.channels, { grey: 52, colour: 0 });
  });
});

describe('CIFAR-100', () => {
  test('names the classes by the label set asked for', async () => {
    const fixture = writeCifar100(join(root, 'cifar100'), { trainCount: 40, testCount: 10 });
    const fine = await inspectDataset({ path: fixture.dir, format: 'cifar100' });
    const coarse = await inspectDataset({ path: fixture.dir, format: 'cifar100', cifar100Labels: 'coarse' });
    assert.equal(fine.classes.length, 100);
    assert.equal(coarse.classes.length, 20);
    assert.ok(coarse.classes.every((c) => c.train === 2), 'two training records per coarse class');
    // Ten test records cannot cover twenty classes: the empty ones are named, the training split is balanced.
    const imbalance = coarse.findings.filter((f) => f.kind === 'imbalance');
    assert.equal(imbalance.length, coarse.classes.filter((c) => c.test === 0).length);
    assert.ok(imbalance.every((f) => /no test images/.test(f.message)));
  });
});
