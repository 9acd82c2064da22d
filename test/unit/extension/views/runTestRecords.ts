// Run records and entries for the Experiments view tests.
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import type { RunRecord } from '../../../../src/core/runs/runRecord';
import type { TrainingRun } from '../../../../src/extension/training/trainingRun';
import type { QueuedRunEntry, RecordedRunEntry } from '../../../../src/extension/views/runEntries';

export function testSpec(path = '/work/data/mnist-digits'): RunSpec {
  return {
    data: { path, format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'), training: defaultTrainingSpec(), augment: noAugmentation(),
  };
}

export function testRecord(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: 1, id, name: `run-${id}`, status: 'completed',
    createdAt: '2026-01-01T10:00:00.000Z', updatedAt: '2026-01-01T10:05:00.000Z',
    spec: testSpec(), summary: { epochs: 10 }, ...overrides,
  };
}

export function recordedEntry(record: RunRecord, extra: Partial<RecordedRunEntry> = {}): RecordedRunEntry {
  return { kind: 'run', record, ...extra };
}

/** A run of this window's queue (waiting, unless `phase` says otherwise). */
export function trainingRun(overrides: Partial<TrainingRun> = {}): TrainingRun {
  return {
    ticket: 1, request: { spec: testSpec(), runsDir: '/work/runs' }, queuedAt: new Date('2026-01-01T00:00:00Z'),
    phase: 'queued', name: 'cnn-mnist-digits', timings: { requestedAt: 0 }, ...overrides,
  };
}

export function queuedEntry(overrides: Partial<TrainingRun> = {}): QueuedRunEntry {
  return { kind: 'queued', training: trainingRun(overrides) };
}
