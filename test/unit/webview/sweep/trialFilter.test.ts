// The sweep tab's brushing and ranking, on a sweep as the panel sends it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SweepTrialView, SweepView } from '../../../../src/protocol/sweepView';
import { sweepCsv } from '../../../../webview/sweep/sweepCsv';
import { METRIC_AXIS, brushedTrials, paramDomain, qualityBuckets, rankByMetric, scoredTrials, type Brush } from '../../../../webview/sweep/trialFilter';

const trial = (n: number, lr: number, optimizer: string, value?: number): SweepTrialView => ({
  trial: n, status: value === undefined ? 'running' : 'completed', params: { learningRate: lr, optimizer }, epochs: 2, ...(value !== undefined ? { value } : {}),
});
const trials = [trial(1, 0.0001, 'adam', 0.6), trial(2, 0.001, 'sgd', 0.8), trial(3, 0.003, 'adam', 0.92), trial(4, 0.01, 'rmsprop', 0.85), trial(5, 0.5, 'adam')];
const sweep: Pick<SweepView, 'trials' | 'params' | 'metric'> = {
  trials, metric: 'valAcc',
  params: [{ name: 'learningRate', kind: 'number', log: true, min: 0.0001, max: 1 }, { name: 'optimizer', kind: 'category', log: false, categories: ['adam', 'sgd', 'rmsprop'] }],
};

describe('sweep tab: brushing and ranking', () => {
  test('only trials with the metric are drawn; brushes on several axes keep the trials inside all of them', () => {
    const scored = scoredTrials(sweep);
    assert.deepEqual(scored.map((t) => t.trial), [1, 2, 3, 4]);
    const brushes = new Map<string, Brush>([['learningRate', { kind: 'range', lo: 0.0005, hi: 0.02 }]]);
    assert.deepEqual(brushedTrials(scored, brushes).map((t) => t.trial), [2, 3, 4]);
    brushes.set('optimizer', { kind: 'categories', values: ['adam', 'rmsprop'] });
    assert.deepEqual(brushedTrials(scored, brushes).map((t) => t.trial), [3, 4]);
    brushes.set(METRIC_AXIS, { kind: 'range', lo: 0.95, hi: 0.88 });
    assert.deepEqual(brushedTrials(scored, brushes).map((t) => t.trial), [3]);
  });

  test('best first by the metric\'s direction, and colour buckets from worst to best', () => {
    const scored = scoredTrials(sweep);
    assert.deepEqual(rankByMetric(scored, 'valAcc').map((t) => t.trial), [3, 4, 2, 1]);
    assert.deepEqual(rankByMetric(scored, 'valLoss').map((t) => t.trial), [1, 2, 4, 3]);
    const buckets = qualityBuckets(scored, 'valAcc');
    assert.equal(buckets.get(3), 4);
    assert.equal(buckets.get(1), 0);
  });

  test('a parameter\'s axis is its searched range (log), or its categories in the spec\'s order', () => {
    assert.equal(paramDomain(sweep.params[0], trials).kind, 'log');
    const band = paramDomain(sweep.params[1], trials);
    assert.deepEqual(band.kind === 'band' ? band.categories : [], ['adam', 'sgd', 'rmsprop']);
  });

  test('the CSV has a row per trial and a column per parameter', () => {
    const lines = sweepCsv(sweep).trim().split('\r\n');
    assert.equal(lines[0], 'trial,status,valAcc,valAcc,valLoss,learningRate,optimizer,epochs,lastEpoch,testAcc,durationMs,runId,runName,error');
    assert.equal(lines.length, 6);
    assert.match(lines[3], /^3,completed,0\.92,,,0\.003,adam,2,/);
  });
});
