// Each doctor rule on recorded metric files: short real trainings that show one problem each (and a
// healthy one that shows none), and runs written event by event with known numbers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import type { Diagnosis, DoctorRuleId } from '../../../../src/core/doctor/diagnosis';
import { diagnoseRun } from '../../../../src/core/doctor/diagnoseRun';
import { DOCTOR_RULES } from '../../../../src/core/doctor/doctorRules';
import { readDoctorInput } from '../../../../src/core/doctor/readDoctorInput';
import { openRunFolder } from '../../../../src/core/runs/openRunFolder';
import { runSpecWithChanges } from '../../../../src/core/trainOptions';
import { trainProblemRun, writeRun, type TrainedProblem } from '../../../fixtures/doctorRuns';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let root: string;
const trained = new Map<TrainedProblem, string>();

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
  for (const problem of ['healthy', 'diverging', 'tooLowLearningRate', 'tooHighLearningRate', 'overfitting', 'imbalanced'] as const) {
    trained.set(problem, await trainProblemRun(root, problem));
  }
});

after(() => removeTempDir(root));

async function diagnose(runDir: string): Promise<Diagnosis[]> {
  return diagnoseRun(await readDoctorInput(runDir));
}

function find(diagnoses: Diagnosis[], rule: DoctorRuleId): Diagnosis {
  const found = diagnoses.find((d) => d.rule === rule);
  assert.ok(found, `expected ${rule}, got ${diagnoses.map((d) => d.rule).join(', ') || 'nothing'}`);
  return found;
}

function rules(diagnoses: Diagnosis[]): DoctorRuleId[] {
  return diagnoses.map((d) => d.rule);
}

/** The fix's changes applied to the run's spec, as the editor's quick fix will. */
async function fixedSpec(runDir: string, diagnosis: Diagnosis) {
  const { record } = await openRunFolder(runDir);
  return { before: record.spec, after: runSpecWithChanges(record.spec, diagnosis.fix!.changes) };
}

describe('training doctor on real short trainings', () => {
  test('a healthy run gets no diagnosis', async () => {
    assert.deepEqual(await diagnose(trained.get('healthy')!), []);
  });

  test('a diverging run (Adam at learning rate 1): diverged from epoch 1, collapsed; fix: a tenth of the rate', async () => {
    const diagnoses = await diagnose(trained.get('diverging')!);
    const diverged = find(diagnoses, 'lossDiverged');
    assert.equal(diverged.severity, 'error');
    assert.equal(diverged.epoch, 1);
    assert.match(diverged.message, /Training diverged: the loss rose from 1\.\d+ at the start to \d+\.\d+ by epoch 3 instead of falling/);
    const { after: fixed } = await fixedSpec(trained.get('diverging')!, diverged);
    assert.equal(fixed.training.learningRate, 0.1);
    assert.match(find(diagnoses, 'collapsedPredictions').message, /predicts "\w+" for every validation image|no better than always answering the most common class/);
    assert.ok(!rules(diagnoses).includes('plateau'), 'no plateau note on a run that learned nothing');
    assert.equal(diagnoses[0].severity, 'error');
  });

  test('a tiny learning rate (1e-6): the loss barely moves; fix: ten times the rate', async () => {
    const diagnoses = await diagnose(trained.get('tooLowLearningRate')!);
    const low = find(diagnoses, 'learningRateTooLow');
    assert.equal(low.severity, 'warning');
    assert.match(low.message, /After 4 epochs the training loss \(1\.3\d\d\) is within 2% of where it started/);
    assert.deepEqual(low.fix!.changes, { learningRate: 0.00001 });
    assert.ok(!rules(diagnoses).includes('learningRateTooHigh'));
    assert.ok(!rules(diagnoses).includes('lossDiverged'));
  });

  test('a too-high learning rate (Adam at 0.01): the loss overshot and is stuck; fix: a third of the rate', async () => {
    const diagnoses = await diagnose(trained.get('tooHighLearningRate')!);
    const high = find(diagnoses, 'learningRateTooHigh');
    assert.equal(high.severity, 'warning');
    assert.match(high.message, /The first steps threw the loss up to \d+\.\d times its starting value/);
    assert.ok(high.data!.firstEpochPeak >= 2);
    assert.deepEqual(high.fix!.changes, { learningRate: 0.00333 });
    assert.ok(!rules(diagnoses).includes('learningRateTooLow'));
  });

  test('48 training images for 15 epochs: overfitting since the lowest validation loss; fix: augmentation, dropout, early stopping', async () => {
    const runDir = trained.get('overfitting')!;
    const diagnoses = await diagnose(runDir);
    const overfit = find(diagnoses, 'overfitting');
    assert.equal(overfit.severity, 'warning');
    assert.ok(overfit.data!.accuracyGap >= 0.15);
    assert.ok(overfit.data!.valLoss >= overfit.data!.lowestValLoss * 1.1);
    const events = (await readDoctorInput(runDir)).events.filter((e) => e.type === 'epochEnd') as { epoch: number; valLoss: number }[];
    const lowest = events.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
    assert.equal(overfit.epoch, lowest.epoch);
    const { after } = await fixedSpec(runDir, overfit);
    assert.equal(after.augment.cropPadding, 4);
    assert.equal(after.training.earlyStoppingPatience, 3);
    assert.deepEqual(after.model.options, { filters: [16, 32], denseUnits: 64, dropout: 0.3 });
  });

  test('imbalanced classes (5 to 1): accuracy is shown beside balanced accuracy, the mean of per-class recall', async () => {
    const runDir = trained.get('imbalanced')!;
    const imbalance = find(await diagnose(runDir), 'classImbalance');
    assert.equal(imbalance.data!.imbalanceRatio, 5);
    assert.match(imbalance.message, /"circle" has 150 training images, "\w+" 30 \(5\.0 to 1\)/);
    const input = await readDoctorInput(runDir);
    const epochs = input.events.filter((e) => e.type === 'epochEnd') as { epoch: number; valAcc: number; perClass: { recall: number }[] }[];
    const best = epochs.reduce((a, b) => (b.valAcc > a.valAcc ? b : a));
    const balanced = best.perClass.reduce((sum, c) => sum + c.recall, 0) / best.perClass.length;
    assert.ok(Math.abs(imbalance.data!.balancedAccuracy - balanced) < 1e-12);
    assert.equal(imbalance.data!.accuracy, best.valAcc);
    assert.equal(imbalance.severity, best.valAcc - balanced >= 0.05 ? 'warning' : 'info');
    assert.equal(DOCTOR_RULES.classImbalance({ ...input, classCounts: { train: [30, 30, 30, 30], val: [], test: [] } }), undefined);
  });
});

describe('training doctor on written runs', () => {
  let runsDir: string;
  before(() => {
    runsDir = join(root, 'written');
  });

  const learning = (n: number, valAcc = (i: number) => 0.5 + i * 0.05) =>
    // Accuracies stay fractions (a reader refuses an epoch above 100%).
    Array.from({ length: n }, (_, i) => ({ loss: 1.2 - i * 0.1, acc: Math.min(0.99, 0.5 + i * 0.04), valLoss: 1.25 - i * 0.1, valAcc: valAcc(i) }));

  test('a NaN loss: the only finding, at the epoch the trainer named; fix: a tenth of the rate', async () => {
    const runDir = await writeRun(runsDir, {
      training: { learningRate: 0.5 }, epochs: learning(2),
      failure: 'The loss became NaN at epoch 3, batch 5: lower the learning rate (now 0.5).',
    });
    const diagnoses = await diagnose(runDir);
    assert.deepEqual(rules(diagnoses), ['lossNotFinite']);
    assert.equal(diagnoses[0].epoch, 3);
    assert.match(diagnoses[0].message, /The loss became NaN at epoch 3/);
    assert.deepEqual(diagnoses[0].fix!.changes, { learningRate: 0.05 });
  });

  test('a plateau: no better validation accuracy for 8 epochs; not flagged when early stopping would end it', async () => {
    const epochs = learning(12, (i) => (i < 4 ? 0.6 + i * 0.1 : 0.9 + (i % 2) * 0.003));
    const diagnoses = await diagnose(await writeRun(runsDir, { epochs }));
    const flat = find(diagnoses, 'plateau');
    assert.equal(flat.severity, 'info');
    assert.equal(flat.epoch, 4);
    assert.equal(flat.data!.stalledEpochs, 8);
    assert.deepEqual(flat.fix!.changes, { patience: 3 });
    assert.ok(!rules(await diagnose(await writeRun(runsDir, { epochs, training: { earlyStoppingPatience: 3 } }))).includes('plateau'));
    assert.ok(!rules(await diagnose(await writeRun(runsDir, { epochs: learning(8) }))).includes('plateau'));
  });

  test('a training loss that keeps swinging up from epoch to epoch: learning rate too high', async () => {
    const losses = [1.2, 0.9, 1.1, 0.8, 1.05, 0.85];
    const epochs = losses.map((loss, i) => ({ loss, acc: 0.6, valLoss: loss, valAcc: 0.55 + i * 0.01 }));
    const high = find(await diagnose(await writeRun(runsDir, { epochs, firstBatches: [1.4, 1.3, 1.2] })), 'learningRateTooHigh');
    assert.match(high.message, /rose again in 2 epochs \(3, 5\)/);
    assert.equal(high.epoch, 3);
  });

  test('predictions from one class, and accuracy at chance, are a collapse', async () => {
    const one = learning(3).map((e) => ({ ...e, valAcc: 0.25, recalls: [0, 1, 0, 0] }));
    const collapsed = find(await diagnose(await writeRun(runsDir, { epochs: one })), 'collapsedPredictions');
    assert.match(collapsed.message, /predicts "b" for every validation image at epoch 3/);
    const chance = learning(4).map((e) => ({ ...e, valAcc: 0.26, recalls: [0.3, 0.2, 0.3, 0.24] }));
    assert.match(find(await diagnose(await writeRun(runsDir, { epochs: chance })), 'collapsedPredictions').message,
      /Validation accuracy \(26\.0%\) is no better than always answering the most common class \(25\.0%\)/);
    // Imbalanced data: always answering the large class scores 80%; 82% is still chance.
    const skewed = learning(4).map((e) => ({ ...e, valAcc: 0.82, recalls: [1, 0.1, 0.1, 0.1] }));
    assert.ok(rules(await diagnose(await writeRun(runsDir, { epochs: skewed, valCounts: [80, 7, 7, 6] }))).includes('collapsedPredictions'));
    assert.ok(!rules(await diagnose(await writeRun(runsDir, { epochs: learning(4) }))).includes('collapsedPredictions'));
  });

  test('imbalance with a large gap between accuracy and balanced accuracy is a warning', async () => {
    const epochs = learning(3).map((e) => ({ ...e, valAcc: 0.9, recalls: [0.98, 0.2, 0.3] }));
    const imbalance = find(await diagnose(await writeRun(runsDir, { classes: ['cat', 'dog', 'fox'], trainCounts: [900, 50, 50], valCounts: [100, 6, 6], epochs })), 'classImbalance');
    assert.equal(imbalance.severity, 'warning');
    assert.ok(Math.abs(imbalance.data!.balancedAccuracy - (0.98 + 0.2 + 0.3) / 3) < 1e-9);
    assert.match(imbalance.message, /"cat" has 900 training images, "dog" 50 \(18\.0 to 1\)/);
  });

  test('every rule has a test here', () => {
    const tested: DoctorRuleId[] = ['lossNotFinite', 'lossDiverged', 'learningRateTooLow', 'learningRateTooHigh', 'overfitting', 'collapsedPredictions', 'plateau', 'classImbalance'];
    assert.deepEqual(Object.keys(DOCTOR_RULES).sort(), [...tested].sort());
  });
});
