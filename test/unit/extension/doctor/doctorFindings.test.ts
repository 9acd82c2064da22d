// Where the training doctor's findings point in a run.json, and what the Problems panel says, on runs
// written the way the trainer writes them (a diverging run, an overfitting one).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnoseRun } from '../../../../src/core/doctor/diagnoseRun';
import { readDoctorInput } from '../../../../src/core/doctor/readDoctorInput';
import { findingMessage, findingSpan } from '../../../../src/extension/doctor/doctorFindings';
import { parseFromDashboardView } from '../../../../src/extension/webviews/dashboard/dashboardMessages';
import { findingsSummary } from '../../../../webview/dashboard/findingsSummary';
import { writeRun } from '../../../fixtures/doctorRuns';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

describe('doctor findings in run.json', () => {
  let root: string;
  before(() => { root = makeTempDir('classifier-lab-doctor-findings-'); });
  after(() => removeTempDir(root));

  test('a diverging run\'s finding points at its learning rate, with the run\'s name in the message', async () => {
    const runDir = await writeRun(join(root, 'runs'), {
      training: { learningRate: 1 }, firstBatches: [1.386, 6, 11],
      epochs: [{ loss: 11.5, acc: 0.25, valLoss: 12, valAcc: 0.25, recalls: [1, 0, 0, 0] }, { loss: 12.1, acc: 0.25, valLoss: 12.2, valAcc: 0.25, recalls: [1, 0, 0, 0] }],
    });
    const [diverged] = diagnoseRun(await readDoctorInput(runDir));
    assert.equal(diverged.rule, 'lossDiverged');
    const text = readFileSync(join(runDir, 'run.json'), 'utf8');
    const span = findingSpan(text, diverged.rule);
    const line = text.split('\n')[span.line];
    assert.equal(line.slice(span.start, span.end), '"learningRate": 1');
    const record = JSON.parse(text) as { name: string };
    assert.match(findingMessage(record.name, diverged), new RegExp(`^${record.name}: Training diverged: the loss rose from 1\\.386`));
  });

  test('an overfitting run\'s finding points at its augmentation; class imbalance at the class counts', async () => {
    const runDir = await writeRun(join(root, 'runs'), {
      trainCounts: [300, 20, 20, 20],
      epochs: [
        { loss: 1.2, acc: 0.5, valLoss: 1.0, valAcc: 0.5 }, { loss: 0.6, acc: 0.8, valLoss: 0.9, valAcc: 0.55 },
        { loss: 0.2, acc: 0.95, valLoss: 1.2, valAcc: 0.55 }, { loss: 0.05, acc: 0.99, valLoss: 1.6, valAcc: 0.52 },
      ],
    });
    const findings = diagnoseRun(await readDoctorInput(runDir));
    const text = readFileSync(join(runDir, 'run.json'), 'utf8');
    const lineOf = (rule: Parameters<typeof findingSpan>[1]) => text.split('\n')[findingSpan(text, rule).line].trim();
    assert.ok(findings.some((f) => f.rule === 'overfitting'), findings.map((f) => f.rule).join());
    assert.match(lineOf('overfitting'), /^"augment": \{/);
    assert.match(lineOf('classImbalance'), /^"classCounts": \{/);
    assert.match(lineOf('plateau'), /^"earlyStoppingPatience": 0/);
  });

  test('a finding whose key is not in the file points at the first line', () => {
    assert.deepEqual(findingSpan('{\n  "status": "failed"\n}\n', 'classImbalance'), { line: 0, start: 0, end: 1 });
  });

  test('the banner heading counts findings by severity', () => {
    assert.equal(findingsSummary([{ severity: 'error' }, { severity: 'warning' }, { severity: 'warning' }, { severity: 'info' }]), '1 error, 2 warnings, 1 note');
    assert.equal(findingsSummary([]), '');
  });

  test('the dashboard may ask for a finding\'s fix by rule, and nothing else rides along', () => {
    assert.deepEqual(parseFromDashboardView({ type: 'applyFix', rule: 'lossDiverged', changes: { learningRate: 99 } }), { type: 'applyFix', rule: 'lossDiverged' });
    assert.equal(parseFromDashboardView({ type: 'applyFix', rule: 7 }), undefined);
    assert.equal(parseFromDashboardView({ type: 'applyFix', rule: '' }), undefined);
  });
});
