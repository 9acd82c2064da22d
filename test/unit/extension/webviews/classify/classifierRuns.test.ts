// Which run classifies by default: one with its model on disk, completed before unfinished, the
// most accurate first; a remembered choice wins while it is still usable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifierChoice, defaultClassifierRun, describeClassifierRun, listClassifierRuns } from '../../../../../src/extension/webviews/classify/classifierRuns';
import type { RunRecord } from '../../../../../src/core/runs/runRecord';
import { RunStore } from '../../../../../src/core/runs/runStore';
import { defaultTrainingSpec } from '../../../../../src/core/runSpecDefaults';
import { noAugmentation } from '../../../../../src/core/data/augment';
import { makeTempDir, removeTempDir } from '../../../../fixtures/tempDir';

let runsDir: string;

function writeRun(id: string, status: RunRecord['status'], bestValAcc: number | undefined, withModel: boolean, bestTrainAcc?: number): void {
  const record: RunRecord = {
    schemaVersion: 1, id, name: `run-${id.slice(-4)}`, status,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    spec: {
      data: { path: '/data', format: 'folder', valSplit: 0.1, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [8], denseUnits: 8, dropout: 0 } },
      training: defaultTrainingSpec(), augment: noAugmentation(),
    },
    dataset: { format: 'folder', root: '/data', classes: ['cat', 'dog'], imageShape: [32, 32, 3], trainCount: 10, valCount: bestTrainAcc === undefined ? 2 : 0, testCount: 0 },
    summary: { epochs: 3, ...(bestValAcc !== undefined ? { bestValAcc } : {}), ...(bestTrainAcc !== undefined ? { bestEpoch: 3, bestTrainAcc } : {}) },
  };
  const dir = join(runsDir, id);
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
  if (withModel) {
    writeFileSync(join(dir, 'model', 'model.json'), '{}');
    writeFileSync(join(dir, 'model', 'weights.bin'), '');
  }
}

before(() => {
  runsDir = makeTempDir();
  writeRun('20260101-000001-cnn-aaaa', 'completed', 0.8, true);
  writeRun('20260101-000002-cnn-bbbb', 'completed', 0.9, true);
  writeRun('20260101-000003-cnn-cccc', 'cancelled', 0.95, true);
  writeRun('20260101-000004-cnn-dddd', 'completed', 0.99, false);
  // No validation split: a perfect training accuracy must not outrank a validated model.
  writeRun('20260101-000005-cnn-eeee', 'completed', undefined, true, 1);
});
after(() => removeTempDir(runsDir));

describe('classifier runs', () => {
  test('runs with a model, completed first, then by accuracy; runs without model files are left out', async () => {
    const runs = await listClassifierRuns(new RunStore(runsDir));
    assert.deepEqual(runs.map((r) => r.record.id.slice(-4)), ['bbbb', 'aaaa', 'eeee', 'cccc']);
    assert.equal(defaultClassifierRun(runs, undefined)?.record.id.slice(-4), 'bbbb');
    assert.equal(defaultClassifierRun(runs, '20260101-000003-cnn-cccc')?.record.id.slice(-4), 'cccc', 'remembered');
    assert.equal(defaultClassifierRun(runs, '20260101-000004-cnn-dddd')?.record.id.slice(-4), 'bbbb', 'remembered but unusable');
    const described = describeClassifierRun(runs[3]);
    assert.match(described.description, /val acc 95\.0% · cnn · cancelled/);
    assert.match(describeClassifierRun(runs[2]).description, /^train acc 100\.0% \(no validation split\) · cnn$/);
    assert.match(described.detail, /2 classes: cat, dog · input 32x32x3/);
  });

  test('in Restricted Mode the best run is only offered: the user is asked unless they chose a run before', async () => {
    const runs = await listClassifierRuns(new RunStore(runsDir));
    const best = runs[0];
    assert.deepEqual(classifierChoice(runs, undefined, true), { run: best });
    assert.deepEqual(classifierChoice(runs, undefined, false), { ask: runs }, 'untrusted: never picked unseen');
    assert.deepEqual(classifierChoice(runs, '20260101-000003-cnn-cccc', false), { run: runs.find((r) => r.record.id.endsWith('cccc')) }, 'the user\'s own earlier choice');
    assert.equal(classifierChoice([], undefined, false), undefined);
  });
});
