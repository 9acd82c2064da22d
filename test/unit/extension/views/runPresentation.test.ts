import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, formatDuration, runContextValue, runDescription, runTooltip, statusIcon } from '../../../../src/extension/views/runPresentation';
import type { RunEntry } from '../../../../src/extension/views/runEntries';
import { queuedEntry, recordedEntry, testRecord, testSpec, trainingRun } from './runTestRecords';

describe('run rows', () => {
  test('a completed run shows its best validation accuracy and a pass icon', () => {
    const entry = recordedEntry(testRecord('a', { summary: { epochs: 5, bestEpoch: 4, bestValAcc: 0.9234, lastEpoch: 5 } }));
    assert.equal(runDescription(entry), 'val acc 92.3%');
    assert.deepEqual(statusIcon(entry), { id: 'pass', color: 'testing.iconPassed' });
    assert.equal(runContextValue(entry), 'run.completed.model');
  });

  test('a run without a validation split shows its best training accuracy as training accuracy', () => {
    const summary = { epochs: 5, bestEpoch: 3, bestTrainAcc: 0.935, bestTrainLoss: 0.2, lastEpoch: 5 };
    assert.equal(runDescription(recordedEntry(testRecord('a', { summary }))), 'train acc 93.5%');
    assert.equal(runDescription(recordedEntry(testRecord('b', { status: 'cancelled', summary }))), 'train acc 93.5% · cancelled');
    assert.equal(runDescription(recordedEntry(testRecord('c', { status: 'running', summary }))), 'running · train acc 93.5%');
    const tooltip = runTooltip(recordedEntry(testRecord('d', { summary })));
    assert.ok(tooltip.includes('| Best train acc | 93.5% (epoch 3; no validation split) |'), tooltip);
    assert.ok(!tooltip.includes('val acc'), tooltip);
  });

  test('a running run shows live progress with a spinning icon', () => {
    const entry = recordedEntry(testRecord('a', { status: 'running' }), {
      training: trainingRun({
        phase: 'training', runId: 'a',
        progress: { runId: 'a', epoch: 2, epochs: 4, batch: 5, batchesPerEpoch: 10, startEpoch: 1, batchAcc: 0.5, testing: false },
      }),
    });
    assert.equal(runDescription(entry), 'epoch 2/4 · 38% · acc 50.0%');
    assert.equal(statusIcon(entry).id, 'loading~spin');
    assert.equal(runContextValue(entry), 'run.running');
    assert.equal(runDescription(recordedEntry(testRecord('b', { status: 'running' }))), 'starting…');
  });

  test('runs that did not complete say so next to their accuracy', () => {
    const cancelled = recordedEntry(testRecord('a', { status: 'cancelled', summary: { epochs: 9, bestEpoch: 1, bestValAcc: 0.5 } }));
    assert.equal(runDescription(cancelled), 'val acc 50.0% · cancelled');
    assert.equal(statusIcon(cancelled).id, 'circle-slash');
    const failed = recordedEntry(testRecord('b', { status: 'failed' }));
    assert.equal(runDescription(failed), 'failed');
    assert.equal(runContextValue(failed), 'run.failed');
    assert.equal(statusIcon(recordedEntry(testRecord('c', { status: 'interrupted' }))).id, 'debug-pause');
  });

  test('queued requests and runs queued to resume read as queued', () => {
    const queued = queuedEntry();
    assert.equal(runDescription(queued), 'queued');
    assert.equal(runContextValue(queued), 'run.queued');
    assert.equal(statusIcon(queued).id, 'clock');
    const starting: RunEntry = queuedEntry({ phase: 'starting' });
    assert.equal(runDescription(starting), 'starting…');
    assert.equal(statusIcon(starting).id, 'loading~spin');
    assert.equal(runContextValue(starting), 'run.queued', 'a run without a folder yet can only be stopped');
    const resuming = recordedEntry(testRecord('a', { status: 'interrupted' }), {
      training: trainingRun({ ticket: 2, runId: 'a', request: { spec: testSpec(), runsDir: '/work/runs', resumeRunId: 'a' } }),
    });
    assert.equal(runDescription(resuming), 'queued to resume');
    assert.equal(runContextValue(resuming), 'run.queued');
  });
});

describe('run tooltip', () => {
  test('lists hyperparameters, results and timings', () => {
    const record = testRecord('a', {
      name: 'baseline', startedAt: '2026-01-01T10:00:00.000Z', endedAt: '2026-01-01T10:02:00.000Z',
      model: { kind: 'cnn', parameterCount: 122570 }, backend: 'wasm (SIMD)', backendFallbackReason: '@tensorflow/tfjs-node is not installed',
      summary: { epochs: 10, lastEpoch: 10, bestEpoch: 7, bestValAcc: 0.91, testAcc: 0.9, durationMs: 95_000, imagesPerSecond: 612.4 },
      tags: ['augmented'], notes: 'first try',
    });
    const text = runTooltip(recordedEntry(record));
    for (const expected of ['**baseline** — completed', '| Model | CNN · 122,570 parameters |', '| Epochs | 10 |', '| Batch size | 64 |',
      '| Learning rate | 0.001 · adam |', '| Best val acc | 91.0% (epoch 7) |', '| Test acc | 90.0% |',
      '| Training time | 1 min 35 s |', '| Throughput | 612 images/s |', 'Tags: `augmented`', 'first try',
      '| Backend | wasm (SIMD) (native not used: @tensorflow/tfjs-node is not installed) |']) {
      assert.ok(text.includes(expected), `missing ${expected} in:\n${text}`);
    }
  });

  test('shows a failed run\'s reason, with markdown in user text escaped', () => {
    const text = runTooltip(recordedEntry(testRecord('a', { name: '*bold* [link](x)', status: 'failed', error: 'Loss became NaN' })));
    assert.ok(text.includes('\\*bold\\* \\[link\\](x)'));
    assert.ok(text.includes('**Error:** Loss became NaN'));
  });
});

describe('formatting helpers', () => {
  test('durations and markdown escaping', () => {
    assert.equal(formatDuration(4_400), '4 s');
    assert.equal(formatDuration(3_725_000), '1 h 2 min');
    assert.equal(escapeMarkdown('a_b|c'), 'a\\_b\\|c');
  });
});
