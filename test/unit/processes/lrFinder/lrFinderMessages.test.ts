// Both directions of the learning-rate finder's IPC channel are validated: well-formed messages pass
// through unchanged, anything else is refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromLrFinder, parseToLrFinder } from '../../../../src/processes/lrFinder/lrFinderMessages';
import { testSpec } from '../../extension/views/runTestRecords';

const result = { end: 'completed', suggestedRate: 0.003, minimumRate: 0.05, steps: 200, minRate: 1e-6, maxRate: 10, trainCount: 2700, backend: 'wasm' };

describe('extension -> finder', () => {
  test('start with a spec, a backend and optional bounds; stop', () => {
    const start = { type: 'start', spec: testSpec(), backend: 'wasm', rangeTest: { minRate: 1e-5, steps: 50 } };
    assert.deepEqual(parseToLrFinder(start), start);
    assert.deepEqual(parseToLrFinder({ type: 'start', spec: testSpec(), backend: 'auto' }), { type: 'start', spec: testSpec(), backend: 'auto' });
    assert.deepEqual(parseToLrFinder({ type: 'stop' }), { type: 'stop' });
  });

  test('refuses unknown backends, spec-less starts and bad bounds', () => {
    for (const bad of [
      { type: 'start', spec: testSpec(), backend: 'gpu' },
      { type: 'start', backend: 'wasm' },
      { type: 'start', spec: { data: {} }, backend: 'wasm' },
      { type: 'start', spec: testSpec(), backend: 'wasm', rangeTest: { steps: -1 } },
      { type: 'start', spec: testSpec(), backend: 'wasm', rangeTest: { maxRate: Number.NaN } },
      { type: 'start', spec: testSpec(), backend: 'wasm', rangeTest: 'wide' },
      { type: 'go' }, null, 'stop',
    ]) assert.equal(parseToLrFinder(bad), undefined, JSON.stringify(bad));
  });
});

describe('finder -> extension', () => {
  test('started, point, warning, finished and failed pass through', () => {
    const messages = [
      { type: 'started', minRate: 1e-6, maxRate: 10, steps: 200 },
      { type: 'point', point: { step: 3, rate: 2e-6, loss: 2.3, smoothedLoss: 2.31 } },
      { type: 'warning', message: 'skipped 2 unreadable images' },
      { type: 'finished', result },
      { type: 'finished', result: { ...result, end: 'diverged', suggestedRate: null, minimumRate: null } },
      { type: 'failed', error: 'No such folder' },
    ];
    for (const message of messages) assert.deepEqual(parseFromLrFinder(message), message);
  });

  test('refuses malformed points, bounds and results', () => {
    for (const bad of [
      { type: 'started', minRate: 1, maxRate: 0.1, steps: 10 },
      { type: 'started', minRate: 1e-6, maxRate: 10, steps: 1.5 },
      { type: 'point', point: { step: -1, rate: 1e-3, loss: 1, smoothedLoss: 1 } },
      { type: 'point', point: { step: 1, rate: 0, loss: 1, smoothedLoss: 1 } },
      { type: 'point', point: { step: 1, rate: 1e-3, loss: 'high', smoothedLoss: 1 } },
      { type: 'finished', result: { ...result, end: 'exploded' } },
      { type: 'finished', result: { ...result, suggestedRate: -1 } },
      { type: 'finished', result: { ...result, backend: 7 } },
      { type: 'failed', error: 'x'.repeat(10_001) },
      { type: 'warning' },
      { type: 'progress' },
    ]) assert.equal(parseFromLrFinder(bad), undefined, JSON.stringify(bad).slice(0, 120));
  });
});
