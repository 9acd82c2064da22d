// The New Sweep picker's answers: values typed per parameter, the budget, the suggestions, and the spec
// they make, checked with the same messages as `classifier-lab sweep`.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { trialRunSpec } from '../../../../src/core/sweeps/runSweep';
import {
  budgetText, defaultSweepName, parseBudget, parseSpaceText, searchCandidates, spaceEntryProblem, spaceEntryText, sweepSpecFromAnswers,
} from '../../../../src/extension/sweeps/sweepChoices';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { testSpec } from '../views/runTestRecords';

describe('New Sweep answers', () => {
  let root: string;
  let data: string;
  before(() => {
    root = makeTempDir('classifier-lab-sweep-choices-');
    data = join(root, 'mnist-digits');
    mkdirSync(data);
  });
  after(() => removeTempDir(root));

  test('values: ranges (log, steps), lists of numbers and names, + joining kinds, JSON', () => {
    assert.deepEqual(parseSpaceText('0.0001..0.01 log', 'learningRate'), { min: 0.0001, max: 0.01, log: true });
    assert.deepEqual(parseSpaceText('1e-4 to 1e-2 log steps 4', 'learningRate'), { min: 0.0001, max: 0.01, log: true, steps: 4 });
    assert.deepEqual(parseSpaceText('16..128', 'model.denseUnits'), { min: 16, max: 128 });
    assert.deepEqual(parseSpaceText('32, 64,128', 'batchSize'), [32, 64, 128]);
    assert.deepEqual(parseSpaceText('none, crop, flip+crop', 'augment'), ['none', 'crop', 'flip,crop']);
    assert.deepEqual(parseSpaceText('64, 64+64', 'model.units'), [64, [64, 64]]);
    assert.deepEqual(parseSpaceText('[[32,64],[16]]', 'model.filters'), [[32, 64], [16]]);
    assert.throws(() => parseSpaceText('1..', 'learningRate'), /A range is min\.\.max/);
    assert.throws(() => parseSpaceText('32,,64', 'batchSize'), /empty value/);
    for (const text of ['0.0001..0.01 log', '32, 64, 128', 'none, crop, flip+crop', '64, 64+64', '1..4 steps 4']) {
      assert.equal(spaceEntryText(parseSpaceText(text, 'model.units')), text);
    }
  });

  test('budgets: trials, minutes, hours, both', () => {
    assert.deepEqual(parseBudget('12'), { trials: 12 });
    assert.deepEqual(parseBudget('12 trials, 20 min'), { trials: 12, budgetMinutes: 20 });
    assert.deepEqual(parseBudget('1.5 h'), { budgetMinutes: 90 });
    assert.throws(() => parseBudget('soon'), /"soon" is not a budget/);
    assert.throws(() => parseBudget('2.5 trials'), /whole number/);
    assert.equal(budgetText({ trials: 12, budgetMinutes: 20 }), '12 trials, 20 min');
  });

  test('suggestions sit around the base run and list the model\'s own options', () => {
    const base = testSpec(data);
    base.model = defaultModelSpec('rnn');
    const candidates = searchCandidates(base, 'random');
    const suggestion = (name: string) => candidates.find((c) => c.name === name)?.suggestion;
    assert.equal(suggestion('learningRate'), '0.0001..0.01 log');
    assert.equal(suggestion('batchSize'), '32, 64, 128');
    assert.equal(suggestion('model.cell'), 'lstm, gru');
    assert.equal(suggestion('model.units'), '64, 128, 256');
    assert.equal(suggestion('model.filters'), undefined);
    assert.equal(searchCandidates(base, 'halving').some((c) => c.name === 'epochs'), false, 'halving chooses the epochs itself');
    // Every suggestion is a valid space entry for its base.
    for (const candidate of candidates) {
      assert.equal(spaceEntryProblem({ base, method: 'random' }, candidate.name, parseSpaceText(candidate.suggestion, candidate.name)), undefined, candidate.name);
    }
  });

  test('the answers make the spec a spec file would, and trials get the base with their parameters', () => {
    const base = testSpec(data);
    base.training.epochs = 2;
    const spec = sweepSpecFromAnswers({
      name: 'digits', base, limit: 300, method: 'random', trials: 12, metric: 'valAcc', seed: 1,
      space: { learningRate: parseSpaceText('0.0001..0.01 log', 'learningRate'), 'model.denseUnits': parseSpaceText('16..128 log', 'model.denseUnits') },
    });
    assert.equal(spec.base.data, data);
    assert.equal(spec.base.limit, 300);
    assert.deepEqual(spec.space['model.denseUnits'], { min: 16, max: 128, log: true, integer: true });
    const run = trialRunSpec({ spec }, { params: { learningRate: 0.003, 'model.denseUnits': 40 }, epochs: 2 });
    assert.equal(run.training.learningRate, 0.003);
    assert.equal(run.data.limit, 300);
    assert.equal(run.model.kind, 'cnn');
    assert.deepEqual(run.model.kind === 'cnn' ? [run.model.options.denseUnits, run.model.options.filters] : [], [40, [32, 64, 64]]);
  });

  test('problems are named by field, as the command line names them', () => {
    const base = testSpec(data);
    assert.equal(spaceEntryProblem({ base, method: 'random' }, 'learningRate', { min: 0, max: 0.1, log: true }), 'space.learningRate.min: a log range needs min > 0 (got 0).');
    assert.match(spaceEntryProblem({ base, method: 'random' }, 'batchSize', [32, 0]) ?? '', /^space\.batchSize\[1\]: The batch size must be a whole number/);
    assert.match(spaceEntryProblem({ base, method: 'grid' }, 'learningRate', { min: 0.001, max: 0.1 }) ?? '', /a grid needs a list of values, or "steps": N/);
    assert.throws(() => sweepSpecFromAnswers({ name: 'x', base, method: 'random', metric: 'valAcc', space: { batchSize: [32] } }), /trials: a random sweep needs a budget/);
    // Searching the model kind drops the base kind's options, which other kinds do not have.
    const kinds = sweepSpecFromAnswers({ name: 'x', base, method: 'random', trials: 3, metric: 'valAcc', space: { model: ['cnn', 'rnn'] } });
    assert.equal(kinds.base.modelOptions, undefined);
  });

  test('a default name says the dataset and what is searched', () => {
    assert.equal(defaultSweepName(testSpec('/w/data/mnist-digits'), ['learningRate', 'batchSize']), 'mnist-digits: learningRate, batchSize');
    assert.equal(defaultSweepName(testSpec('/w/data/shapes'), ['a', 'b', 'c', 'd', 'e']), 'shapes: a, b, c and 2 more');
  });
});
