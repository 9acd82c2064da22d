import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { readSettingValues, resolveRunsFolder, trainingThreadsFor } from '../../../src/extension/settingsValues';

describe('readSettingValues', () => {
  test('unset settings give the documented defaults', () => {
    assert.deepEqual(readSettingValues(() => undefined), {
      runsFolder: '.classifier-lab/runs', concurrentRuns: 1, backend: 'auto', trainingThreads: 'auto',
      defaults: { model: 'cnn', epochs: 10, batchSize: 64, learningRate: 0.001, optimizer: 'adam' },
    });
  });

  test('valid values are used; mistyped or out-of-range ones fall back', () => {
    const values: Record<string, unknown> = {
      runsFolder: ' experiments/runs ', concurrentRuns: 3, backend: 'wasm', trainingThreads: '4',
      'defaults.model': 'rnn', 'defaults.epochs': 5, 'defaults.batchSize': 128, 'defaults.learningRate': 0.01, 'defaults.optimizer': 'sgd',
    };
    assert.deepEqual(readSettingValues((key) => values[key]), {
      runsFolder: 'experiments/runs', concurrentRuns: 3, backend: 'wasm', trainingThreads: 4,
      defaults: { model: 'rnn', epochs: 5, batchSize: 128, learningRate: 0.01, optimizer: 'sgd' },
    });
    const bad: Record<string, unknown> = {
      runsFolder: '', concurrentRuns: 0, backend: 'gpu', trainingThreads: '0', 'defaults.model': 'gpt', 'defaults.epochs': 2.5, 'defaults.learningRate': -1,
    };
    const read = readSettingValues((key) => bad[key]);
    assert.equal(read.runsFolder, '.classifier-lab/runs');
    assert.equal(read.concurrentRuns, 1);
    assert.equal(read.backend, 'auto');
    assert.equal(read.trainingThreads, 'auto');
    assert.equal(read.defaults.model, 'cnn');
    assert.equal(read.defaults.epochs, 10);
    assert.equal(read.defaults.learningRate, 0.001);
  });
});

describe('trainingThreadsFor', () => {
  test('auto divides the cores among the runs that may train at once; a count is used as set', () => {
    const cores = availableParallelism();
    assert.equal(trainingThreadsFor({ trainingThreads: 'auto', concurrentRuns: 1 }), cores);
    assert.equal(trainingThreadsFor({ trainingThreads: 'auto', concurrentRuns: 2 }), Math.max(1, Math.floor(cores / 2)));
    assert.equal(trainingThreadsFor({ trainingThreads: 'auto', concurrentRuns: 64 }), 1);
    assert.equal(trainingThreadsFor({ trainingThreads: 3, concurrentRuns: 2 }), 3);
  });
});

describe('resolveRunsFolder', () => {
  test('relative to the workspace folder, absolute as given, none without a folder', () => {
    assert.equal(resolveRunsFolder('/work/project', '.classifier-lab/runs'), '/work/project/.classifier-lab/runs');
    assert.equal(resolveRunsFolder('/work/project', '/data/runs/'), '/data/runs/');
    assert.equal(resolveRunsFolder(undefined, '/data/runs'), '/data/runs');
    assert.equal(resolveRunsFolder(undefined, 'runs'), undefined);
  });
});
