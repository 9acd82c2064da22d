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

describe('runs trained by Slurm jobs', () => {
  const job = { jobId: '12', submittedAt: '2026-01-01T10:00:00.000Z', script: 'slurm-job.sh' };

  test('a submitted run says why Slurm keeps it waiting, and can be stopped', () => {
    const record = testRecord('a', { status: 'queued', slurm: job });
    const pending = recordedEntry(record, { job: { jobId: '12', phase: 'pending', slurmState: 'PENDING', reason: 'Resources', source: 'squeue' } });
    assert.equal(runDescription(pending), 'queued on Slurm: Resources');
    assert.equal(statusIcon(pending).id, 'clock');
    assert.equal(runContextValue(pending), 'run.queued');
    assert.ok(runTooltip(pending).includes('| Slurm job | 12 · queued on Slurm: Resources |'));
    assert.equal(runDescription(recordedEntry(record)), 'submitted to Slurm (job 12)', 'before Slurm was first asked');
    const starting = recordedEntry(record, { job: { jobId: '12', phase: 'running', slurmState: 'RUNNING', nodes: 'node7', source: 'squeue' } });
    assert.equal(runDescription(starting), 'starting on node7');
    const stale = recordedEntry(record, { job: { jobId: '11', phase: 'pending', slurmState: 'PENDING', reason: 'Priority', source: 'squeue' } });
    assert.equal(runDescription(stale), 'submitted to Slurm (job 12)', 'the state of an earlier job does not count');
  });

  test('a job that ended the run says how, and the earlier jobs are listed', () => {
    const timedOut = recordedEntry(testRecord('a', {
      status: 'interrupted', error: 'Slurm job 13 reached its time limit after epoch 3; resume the run to continue from there.',
      summary: { epochs: 10, lastEpoch: 3, bestEpoch: 3, bestValAcc: 0.8 },
      slurm: { ...job, jobId: '13', state: 'TIMEOUT', previousJobIds: ['12'] },
    }));
    assert.equal(runDescription(timedOut), 'val acc 80.0% · timed out');
    assert.equal(statusIcon(timedOut).id, 'debug-pause');
    assert.equal(runContextValue(timedOut), 'run.interrupted.model', 'it can be resumed');
    const tooltip = runTooltip(timedOut);
    for (const expected of ['| Slurm job | 13 · TIMEOUT |', '| Earlier Slurm jobs | 12 |', '**Error:** Slurm job 13 reached its time limit after epoch 3']) {
      assert.ok(tooltip.includes(expected), `missing ${expected} in:\n${tooltip}`);
    }
    const outOfMemory = recordedEntry(testRecord('b', { status: 'failed', slurm: { ...job, state: 'OUT_OF_MEMORY' } }));
    assert.equal(runDescription(outOfMemory), 'out of memory');
    const cancelled = recordedEntry(testRecord('c', { status: 'cancelled', slurm: { ...job, state: 'CANCELLED' } }));
    assert.equal(runDescription(cancelled), 'cancelled');
    const completed = recordedEntry(testRecord('d', { summary: { epochs: 2, bestEpoch: 2, bestValAcc: 0.9 }, slurm: { ...job, state: 'COMPLETED' } }));
    assert.equal(runDescription(completed), 'val acc 90.0%');
  });

  test('a run being submitted says so until its folder exists', () => {
    assert.equal(runDescription(queuedEntry({ phase: 'starting', stateText: 'submitting to Slurm…' })), 'submitting to Slurm…');
  });
});

describe('formatting helpers', () => {
  test('durations and markdown escaping', () => {
    assert.equal(formatDuration(4_400), '4 s');
    assert.equal(formatDuration(3_725_000), '1 h 2 min');
    assert.equal(escapeMarkdown('a_b|c'), 'a\\_b\\|c');
  });
});
