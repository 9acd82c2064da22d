// Hostile and damaged run files: every consumer gets a well-typed record or event, or a reason.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunRecord } from '../../../../src/core/runs/parseRunRecord';
import { parseMetricsLines } from '../../../../src/core/runs/recordedEvent';
import { CLASSES, epochEndEvent, runStartEvent, sampleSpec } from './runTestHelpers';

function goodRecord(): Record<string, unknown> {
  return {
    schemaVersion: 1, id: 'r', name: 'run', status: 'completed', createdAt: '2026-11-27T07:15:02.000Z',
    updatedAt: '2026-11-27T07:20:00.000Z', spec: sampleSpec(),
    dataset: { format: 'folder', root: '/data/pets', classes: CLASSES, imageShape: [32, 32, 3], trainCount: 90, valCount: 9, testCount: 30 },
    model: { kind: 'cnn', parameterCount: 12345 },
    summary: { epochs: 3, bestEpoch: 2, bestValAcc: 0.8, bestValLoss: 0.5 },
  };
}

/** A copy of `value` with the field at `path` (dot-separated) replaced, or deleted when `to` is undefined. */
function withField(value: Record<string, unknown>, path: string, to: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  const keys = path.split('.');
  let at = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (to === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = to;
  return copy;
}

describe('parseRunRecord: full depth', () => {
  test('a complete record reads with every field typed', () => {
    const parsed = parseRunRecord(goodRecord(), 'r');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.record.dataset?.imageShape, [32, 32, 3]);
    assert.deepEqual(parsed.record.spec, sampleSpec());
  });

  test('a spec missing or mistyping any field a rerun or resume reads is unreadable, naming the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['spec.training', undefined, /spec\.training is missing/],
      ['spec.augment', undefined, /spec\.augment is missing/],
      ['spec.data.path', undefined, /spec\.data\.path is missing/],
      ['spec.data.path', 42, /spec\.data\.path is 42/],
      ['spec.training.batchSize', '64', /spec\.training\.batchSize is "64"; expected a whole number/],
      ['spec.training.learningRate', 'NaN', /spec\.training\.learningRate/],
      ['spec.model.options', undefined, /spec\.model\.options is missing/],
      ['spec.model.options.filters', [8, 'x'], /spec\.model\.options\.filters/],
      ['spec.model.kind', 'mlp', /spec\.model\.kind is "mlp"/],
      ['spec.augment.flip', 'yes', /spec\.augment\.flip/],
    ];
    for (const [path, value, reason] of cases) {
      const parsed = parseRunRecord(withField(goodRecord(), path, value), 'r');
      assert.equal(parsed.ok, false, path);
      if (!parsed.ok) assert.match(parsed.reason, reason, path);
    }
  });

  test('an optional block with a missing or mistyped field is dropped whole, so no viewer meets half of it', () => {
    const dropsDataset: [string, unknown][] = [
      ['dataset.imageShape', undefined], ['dataset.imageShape', [32, 32]], ['dataset.trainCount', '90'],
      ['dataset.classes', ['cat', 7, 'fox']], ['dataset.classes', []], ['dataset.root', undefined], ['dataset.format', 'auto'],
    ];
    for (const [path, value] of dropsDataset) {
      const parsed = parseRunRecord(withField(goodRecord(), path, value), 'r');
      assert.ok(parsed.ok, path);
      assert.equal(parsed.record.dataset, undefined, path);
    }
    const noCount = parseRunRecord(withField(goodRecord(), 'model.parameterCount', '12k'), 'r');
    assert.ok(noCount.ok && noCount.record.model === undefined);
    const badCounts = parseRunRecord(withField(goodRecord(), 'dataset.classCounts', { train: [1, 2], val: [1, 1, 1], test: [0, 0, 0] }), 'r');
    assert.ok(badCounts.ok && badCounts.record.dataset !== undefined && badCounts.record.dataset.classCounts === undefined,
      'per-class counts that do not match the classes are dropped, the dataset kept');
    const summary = parseRunRecord(withField(goodRecord(), 'summary', { epochs: 3, bestValAcc: '0.8', testAcc: 7, lastEpoch: 2 }), 'r');
    assert.ok(summary.ok);
    assert.deepEqual(summary.record.summary, { epochs: 3, lastEpoch: 2 });
    const process = parseRunRecord(withField(goodRecord(), 'process', { pid: 'x', hostname: 'h' }), 'r');
    assert.ok(process.ok && process.record.process === undefined);
  });

  test('a run without a validation split written before bestTrainAcc existed reads with training accuracy named as such', () => {
    const old = withField(goodRecord(), 'dataset.valCount', 0);
    const parsed = parseRunRecord(old, 'r');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.record.summary, { epochs: 3, bestEpoch: 2, bestTrainAcc: 0.8, bestTrainLoss: 0.5 });
  });
});

describe('parseMetricsLines: events validated to their fields', () => {
  const line = (value: unknown) => JSON.stringify(value);
  const { confusion: _confusion, ...epoch } = epochEndEvent(1, 0.6, true);

  test('lines with a known type but a missing or mistyped field are skipped and counted', () => {
    const bad = [
      { ...epoch, epoch: 'x' },
      { ...epoch, loss: 'NaN' },
      { ...epoch, valAcc: '0.6' },
      { ...epoch, acc: 7 },
      { ...epoch, perClass: [{ label: 3, precision: 1, recall: 1, f1: 1, support: 1 }] },
      { ...epoch, time: 'yesterday' },
      { type: 'batchEnd', epoch: 1, batch: 1, batchesPerEpoch: 3, loss: null, acc: 0.5, learningRate: 0.001, imagesPerSecond: 1 },
      { ...runStartEvent(), classes: 'cat,dog' },
      { type: 'runEnd', time: '2026-11-27T07:16:00.000Z', status: 'exploded', best: null },
      { type: 'runEnd', time: '2026-11-27T07:16:00.000Z', status: 'completed', best: { epoch: 1, valAcc: 'high' } },
    ];
    const good = [runStartEvent(), epoch, { type: 'runEnd', time: '2026-11-27T07:16:00.000Z', status: 'completed', best: { epoch: 1, valAcc: 0.6 } }];
    const { events, skippedLines } = parseMetricsLines([...bad, ...good].map(line));
    assert.equal(skippedLines, bad.length);
    assert.deepEqual(events.map((e) => e.type), ['runStart', 'epochEnd', 'runEnd']);
    for (const event of events) {
      if (event.type === 'epochEnd') {
        assert.equal(typeof event.loss, 'number');
        assert.equal(typeof event.valAcc, 'number');
      }
    }
  });

  test('unknown fields are dropped, and a learning rate written as null (NaN) still reads', () => {
    const { events } = parseMetricsLines([
      line({ type: 'batchEnd', epoch: 1, batch: 1, batchesPerEpoch: 3, loss: 0.7, acc: 0.5, learningRate: null, imagesPerSecond: 10, extra: { big: 1 } }),
    ]);
    assert.equal(events.length, 1);
    assert.ok(events[0].type === 'batchEnd' && Number.isNaN(events[0].learningRate));
    assert.equal('extra' in events[0], false);
  });

  test('an old run without a validation split reads its epochs without validation numbers, and its best as training accuracy', () => {
    const { events } = parseMetricsLines([
      line(runStartEvent({ valCount: 0 })),
      line({ ...epoch, valAcc: epoch.acc, valLoss: epoch.loss }),
      line({ type: 'runEnd', time: '2026-11-27T07:16:00.000Z', status: 'completed', best: { epoch: 1, valAcc: epoch.acc } }),
    ]);
    const [, epochEnd, runEnd] = events;
    assert.ok(epochEnd.type === 'epochEnd');
    assert.equal(epochEnd.valAcc, undefined);
    assert.equal(epochEnd.valLoss, undefined);
    assert.ok(runEnd.type === 'runEnd');
    assert.deepEqual(runEnd.best, { epoch: 1, trainAcc: epoch.acc });
  });
});
