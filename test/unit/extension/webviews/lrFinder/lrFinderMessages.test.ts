// What a Find Learning Rate page may ask, and what its saved state may bring back after a window reload:
// both come from the page, so only well-formed ones pass, and a refused state says why.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromLrFinderView, parseLrFinderTabState } from '../../../../../src/extension/webviews/lrFinder/lrFinderMessages';
import type { LrFinderTabState } from '../../../../../src/protocol/lrFinderView';
import { testSpec } from '../../views/runTestRecords';

describe('Find Learning Rate page -> panel', () => {
  test('ready, stop, choosing a rate and starting a run with a positive rate up to 10, searching again', () => {
    assert.deepEqual(parseFromLrFinderView({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromLrFinderView({ type: 'stop' }), { type: 'stop' });
    assert.deepEqual(parseFromLrFinderView({ type: 'startRun', learningRate: 0.0032 }), { type: 'startRun', learningRate: 0.0032 });
    assert.deepEqual(parseFromLrFinderView({ type: 'startRun', learningRate: 10 }), { type: 'startRun', learningRate: 10 });
    assert.deepEqual(parseFromLrFinderView({ type: 'chooseRate', learningRate: 0.02 }), { type: 'chooseRate', learningRate: 0.02 });
    assert.deepEqual(parseFromLrFinderView({ type: 'searchAgain', spec: { data: { path: '/' } } }), { type: 'searchAgain' }, 'the page does not get to say what is searched');
    assert.deepEqual(parseFromLrFinderView({ type: 'newSearch' }), { type: 'newSearch' });
  });

  test('refuses rates that no run accepts, opening runs and unknown messages', () => {
    for (const bad of [
      { type: 'startRun', learningRate: 0 }, { type: 'startRun', learningRate: -0.1 }, { type: 'startRun', learningRate: 11 },
      { type: 'startRun', learningRate: '0.01' }, { type: 'startRun', learningRate: Number.POSITIVE_INFINITY }, { type: 'startRun' },
      { type: 'chooseRate', learningRate: 0 }, { type: 'chooseRate', learningRate: 20 }, { type: 'chooseRate' },
      { type: 'openRun', runId: 'x' }, { type: 'deleteRun' }, null, [],
    ]) assert.equal(parseFromLrFinderView(bad), undefined, JSON.stringify(bad));
  });
});

/** 60 steps of a finished search, as a page saves them (JSON, as VS Code keeps a page's state). */
function savedState(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const points = Array.from({ length: 60 }, (_, step) => {
    const rate = 1e-5 * 10 ** (step / 10);
    return { step, rate, loss: 2.3 - step * 0.01, smoothedLoss: 2.31 - step * 0.01 };
  });
  const state: LrFinderTabState = {
    search: { spec: testSpec(), rangeTest: { minRate: 1e-5, maxRate: 10, steps: 60 } },
    status: 'finished', bounds: { minRate: 1e-5, maxRate: 10, steps: 60 }, points,
    result: { end: 'diverged', suggestedRate: 0.0031622776601683794, minimumRate: 0.03, steps: 60, minRate: 1e-5, maxRate: 10, trainCount: 2700, backend: 'wasm' },
    warnings: ['Only 2700 training images: the suggestion is rough.'],
    startedRun: 'cnn-mnist-digits-3', chosenRate: 0.002,
  };
  return { ...JSON.parse(JSON.stringify(state)) as Record<string, unknown>, ...overrides };
}

function refusal(raw: unknown): string {
  const parsed = parseLrFinderTabState(raw);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 200)}`);
  return parsed.ok ? '' : parsed.reason;
}

describe('a Find Learning Rate tab restored after a window reload', () => {
  test('gets back the curve, the result, the warnings, the run it started, the chosen rate and the settings a run starts with', () => {
    const saved = savedState();
    const parsed = parseLrFinderTabState(saved);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.deepEqual(parsed.state, saved);
    assert.equal(parsed.state.points.length, 60);
    assert.equal(parsed.state.search.spec.training.batchSize, 64);
  });

  test('a search still running, a failed one, and one without a choice or bounds restore too', () => {
    const running = savedState({ status: 'running', result: undefined, chosenRate: undefined, startedRun: undefined });
    const parsed = parseLrFinderTabState(JSON.parse(JSON.stringify(running)));
    assert.ok(parsed.ok && parsed.state.status === 'running' && parsed.state.points.length === 60 && parsed.state.chosenRate === undefined);
    const failed = parseLrFinderTabState(JSON.parse(JSON.stringify(savedState({ status: 'failed', result: undefined, error: 'The dataset folder is empty.', points: [], bounds: undefined }))));
    assert.ok(failed.ok && failed.state.error === 'The dataset folder is empty.' && failed.state.bounds === undefined);
    const noRange = savedState();
    noRange.search = { spec: testSpec() };
    const plain = parseLrFinderTabState(noRange);
    assert.ok(plain.ok && plain.state.search.rangeTest === undefined);
  });

  test('keeps only the fields the tab uses: anything else a page adds is dropped, in the spec too', () => {
    const saved = savedState({ script: '<img onerror=alert(1)>', status: 'finished' });
    const search = saved.search as { spec: Record<string, unknown> & { training: Record<string, unknown> } };
    search.spec.extra = 'x';
    search.spec.training.command = 'rm -rf /';
    const parsed = parseLrFinderTabState(JSON.parse(JSON.stringify(saved)));
    assert.ok(parsed.ok);
    assert.equal('script' in parsed.state, false);
    assert.equal('extra' in parsed.state.search.spec, false);
    assert.equal('command' in parsed.state.search.spec.training, false);
    assert.deepEqual(parsed.state.search.spec, testSpec());
  });

  test('nothing saved, or not a tab\'s state at all, is refused with a reason', () => {
    assert.match(refusal(undefined), /its page had saved nothing/);
    assert.match(refusal(null), /its page had saved nothing/);
    for (const bad of ['state', 42, [], {}, { search: 'x' }]) assert.match(refusal(bad), /does not describe a search/);
  });

  test('settings a run could not start with are refused, naming what is wrong', () => {
    const withSpec = (edit: (spec: ReturnType<typeof testSpec>) => unknown) => {
      const spec = testSpec();
      return savedState({ search: { spec: edit(spec) ?? spec } });
    };
    assert.match(refusal(withSpec((s) => { (s.training as unknown as Record<string, unknown>).batchSize = '64'; })), /search settings are not valid \(spec\.training\.batchSize is "64"/);
    assert.match(refusal(withSpec((s) => { s.training.batchSize = 5000; })), /^its search settings are not valid \(The batch size must be a whole number from 1 to 4096 \(got 5000\)\)$/);
    assert.match(refusal(withSpec((s) => { s.training.learningRate = 1e9; })), /learning rate must be a positive number/);
    assert.match(refusal(withSpec(() => 'cnn')), /spec is missing or not an object/);
    assert.match(refusal(withSpec((s) => { s.data.path = '/data\0/x'; })), /dataset path is not valid/);
    assert.match(refusal(withSpec((s) => { s.data.path = `/${'a'.repeat(5000)}`; })), /dataset path is not valid/);
    assert.match(refusal(withSpec((s) => { s.training.initFrom = 'x\0'; })), /fine-tunes from is not a valid path/);
    assert.match(refusal(savedState({ search: { spec: testSpec(), rangeTest: { steps: -1 } } })), /range of rates is not valid/);
  });

  test('a curve that is not one a search makes is refused', () => {
    const points = (savedState().points as Record<string, unknown>[]);
    assert.match(refusal(savedState({ points: 'many' })), /no list of points/);
    assert.match(refusal(savedState({ points: [...points.slice(0, 3), { ...points[3], rate: 0 }] })), /point 4 is not a step/);
    assert.match(refusal(savedState({ points: [{ ...points[0], loss: 'low' }] })), /point 1 is not a step/);
    assert.match(refusal(savedState({ points: [{ ...points[0], step: -1 }] })), /point 1 is not a step/);
    assert.match(refusal(savedState({ points: [points[1], points[0]] })), /point 2 does not follow/);
    assert.match(refusal(savedState({ points: [...points, { ...points[0], step: 60 }] })), /more points than its search has steps/);
    const huge = Array.from({ length: 10_001 }, (_, step) => ({ step, rate: 1e-3, loss: 1, smoothedLoss: 1 }));
    assert.match(refusal(savedState({ points: huge, bounds: undefined })), /10001 points, more than a search makes/);
    assert.match(refusal(savedState({ bounds: { minRate: 1, maxRate: 0.1, steps: 60 } })), /range of rates is not valid/);
  });

  test('an end without its result, a failure without its reason, and malformed fields are refused', () => {
    assert.match(refusal(savedState({ status: 'done' })), /how its search stands/);
    assert.match(refusal(savedState({ result: undefined })), /ended but has no result/);
    assert.match(refusal(savedState({ status: 'cancelled', result: undefined })), /ended but has no result/);
    assert.match(refusal(savedState({ result: { end: 'completed', suggestedRate: -1 } })), /result is not valid/);
    assert.match(refusal(savedState({ status: 'failed', result: undefined })), /failed but not why/);
    assert.match(refusal(savedState({ error: 'x'.repeat(10_001) })), /error is not valid/);
    assert.match(refusal(savedState({ warnings: 'careful' })), /warnings are not valid/);
    assert.match(refusal(savedState({ warnings: Array.from({ length: 101 }, () => 'w') })), /warnings are not valid/);
    assert.match(refusal(savedState({ startedRun: 'r'.repeat(201) })), /run it started is not valid/);
    assert.match(refusal(savedState({ startedRun: '' })), /run it started is not valid/);
    for (const chosenRate of [0, -0.01, 11, '0.01', null]) {
      assert.match(refusal(savedState({ chosenRate })), /chosen rate is not a learning rate a run accepts/, String(chosenRate));
    }
  });

  test('a hostile state does not reach the prototypes of the objects it is parsed into', () => {
    const text = JSON.stringify(savedState()).replace('"status":', '"__proto__":{"polluted":true},"status":');
    const parsed = parseLrFinderTabState(JSON.parse(text));
    assert.ok(parsed.ok);
    assert.equal((parsed.state as unknown as { polluted?: boolean }).polluted, undefined);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });
});
