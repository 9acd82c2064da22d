import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { classifyRunPath, confusionFileName, runPaths } from '../../../../src/core/runs/runLayout';

describe('runLayout', () => {
  test('names every file of a run folder', () => {
    const paths = runPaths('/w/.classifier-lab/runs/20261127-071502-cnn-3f9a');
    assert.equal(paths.record, join(paths.runDir, 'run.json'));
    assert.equal(paths.metrics, join(paths.runDir, 'metrics.jsonl'));
    assert.equal(paths.checkpointState, join(paths.runDir, 'checkpoint', 'state.json'));
    assert.equal(paths.bestModelDir, join(paths.runDir, 'model'));
    assert.equal(confusionFileName(7), 'epoch-0007.json');
    assert.equal(confusionFileName(12345), 'epoch-12345.json');
    assert.equal(confusionFileName('test'), 'test.json');
  });

  test('tells a watcher which changes matter and to which run', () => {
    const id = '20261127-071502-cnn-3f9a';
    assert.deepEqual(classifyRunPath(`${id}/run.json`), { runId: id, kind: 'record' });
    assert.deepEqual(classifyRunPath(`${id}\\metrics.jsonl`), { runId: id, kind: 'metrics' });
    assert.deepEqual(classifyRunPath(`${id}/confusion/epoch-0003.json`), { runId: id, kind: 'confusion' });
    assert.deepEqual(classifyRunPath(`${id}/model/weights.bin`), { runId: id, kind: 'bestModel' });
    assert.deepEqual(classifyRunPath(`${id}/model`), { runId: id, kind: 'bestModel' });
    assert.deepEqual(classifyRunPath(`${id}/checkpoint/state.json`), { runId: id, kind: 'checkpoint' });
    assert.deepEqual(classifyRunPath(`${id}/predictions.json`), { runId: id, kind: 'predictions' });
    assert.deepEqual(classifyRunPath(`${id}/trainer.log`), { runId: id, kind: 'log' });
    // Temporaries of atomic writes, locks, deletions in progress and strangers do not.
    assert.equal(classifyRunPath(`${id}/.run.json.1234.ab12cd34.tmp`), undefined);
    assert.equal(classifyRunPath(`${id}/.run.json.lock`), undefined);
    assert.equal(classifyRunPath(`${id}/.model.1234.ab12cd34.tmp/model.json`), undefined);
    assert.equal(classifyRunPath(`.deleting-${id}-ab12/run.json`), undefined);
    assert.equal(classifyRunPath(`${id}/notes.txt`), undefined);
    assert.equal(classifyRunPath(id), undefined);
  });
});
