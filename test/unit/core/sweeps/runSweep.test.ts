// The sweep scheduler over real run and sweep folders, with a scripted trial runner: trials finishing out of
// order, budgets by count and by time, cancel and resume, resume after a crash (a killed process), halving.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunStore } from '../../../../src/core/runs/runStore';
import { parseSweepSpec } from '../../../../src/core/sweeps/parseSweepSpec';
import { runSweep } from '../../../../src/core/sweeps/runSweep';
import type { SweepRecord, TrialRecord } from '../../../../src/core/sweeps/sweepRecord';
import { SweepStore, sweepsDirFor } from '../../../../src/core/sweeps/sweepStore';
import { ScriptedTrialRunner } from '../../../fixtures/scriptedTrialRunner';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import type { RunSpec } from '../../../../src/core/runSpec';

const repo = resolve(__dirname, '../../../..');
let root: string;
let runsDir: string;
let sweeps: SweepStore;

before(() => {
  root = makeTempDir();
  mkdirSync(join(root, 'data'));
  runsDir = join(root, '.classifier-lab', 'runs');
  sweeps = new SweepStore(sweepsDirFor(runsDir));
});

after(() => removeTempDir(root));

/** Accuracy peaks at a learning rate of 1e-3 and grows a little with epochs. */
const valAcc = (spec: RunSpec, epoch: number) => 0.9 - 0.1 * Math.abs(Math.log10(spec.training.learningRate) + 3) + epoch / 1000;

async function newSweep(raw: Record<string, unknown>): Promise<string> {
  const spec = parseSweepSpec({ name: 'test', base: { data: 'data', epochs: 2 }, method: 'random', seed: 3, ...raw }, root);
  return (await sweeps.create(spec, runsDir)).id;
}

function readSweep(id: string): SweepRecord {
  return JSON.parse(readFileSync(join(sweeps.sweepDir(id), 'sweep.json'), 'utf8')) as SweepRecord;
}

const LR_SPACE = { learningRate: { min: 1e-5, max: 1e-1, log: true }, batchSize: [16, 32] };

describe('runSweep', () => {
  test('runs the planned trials two at a time, records them as they end (out of order), and finds the best', async () => {
    const id = await newSweep({ trials: 6, space: LR_SPACE });
    // Earlier trials take longer, so later ones overtake them.
    const runner = new ScriptedTrialRunner({ capacity: 2, valAcc, epochMs: (trial) => (7 - trial) * 60 });
    const ended: number[] = [];
    const { record, sweepDir } = await runSweep({ store: sweeps, id, runner, onTrialEnd: (trial) => ended.push(trial.trial) });
    assert.equal(record.status, 'completed');
    assert.equal(record.stopReason, 'done');
    assert.equal(record.trials.length, 6);
    assert.notDeepEqual(ended, [1, 2, 3, 4, 5, 6], `trials ended in order ${ended.join(', ')}`);
    assert.deepEqual([...ended].sort(), [1, 2, 3, 4, 5, 6]);
    const store = new RunStore(runsDir);
    for (const trial of record.trials) {
      assert.equal(trial.status, 'completed');
      const run = await store.read(trial.runId!);
      assert.equal(run.spec.training.learningRate, trial.params.learningRate, 'the run trained the trial\'s parameters');
      assert.equal(run.name, `test #${trial.trial}`);
      assert.ok(Math.abs(trial.valAcc! - valAcc(run.spec, 2)) < 1e-12);
      assert.equal(trial.value, trial.valAcc);
    }
    const best = [...record.trials].sort((a, b) => b.value! - a.value!)[0];
    assert.equal(record.best!.trial, best.trial);
    assert.equal(record.importance![0].param, 'learningRate');
    assert.deepEqual(readSweep(id).trials.map((t) => t.status), Array(6).fill('completed'), 'sweep.json has the final state');
    assert.equal(sweepDir, join(root, '.classifier-lab', 'sweeps', id));
    assert.equal(readSweep(id).runsDir, '../../runs');
  });

  test('a time budget stops new trials and the running one; resuming a finished sweep runs nothing', async () => {
    const id = await newSweep({ trials: 100, budgetMinutes: 0.5 / 60, space: LR_SPACE });
    const runner = new ScriptedTrialRunner({ valAcc, epochMs: () => 120 });
    const started = Date.now();
    const { record } = await runSweep({ store: sweeps, id, runner });
    const took = Date.now() - started;
    assert.equal(record.status, 'completed');
    assert.equal(record.stopReason, 'budget');
    assert.ok(record.trials.length >= 1 && record.trials.length <= 4, `${record.trials.length} trials in 0.5 s`);
    const last = record.trials.at(-1)!;
    assert.equal(last.status, 'cancelled');
    assert.equal(last.stoppedBy, 'budget');
    assert.ok(took < 2000, `stopped after ${took} ms`);
    const again = new ScriptedTrialRunner({ valAcc });
    await runSweep({ store: sweeps, id, runner: again });
    assert.equal(again.requests.length, 0);
  });

  test('cancel stops the running trial; resume continues its run and never reruns a finished trial', async () => {
    const id = await newSweep({ trials: 4, base: { data: 'data', epochs: 3 }, space: LR_SPACE });
    const controller = new AbortController();
    const first = new ScriptedTrialRunner({ valAcc, epochMs: () => 30 });
    const cancelled = await runSweep({
      store: sweeps, id, runner: first, signal: controller.signal,
      onTrialStart: (trial) => {
        if (trial.trial === 2) setTimeout(() => controller.abort(), 45);
      },
    });
    assert.equal(cancelled.record.status, 'cancelled');
    assert.deepEqual(cancelled.record.trials.map((t) => [t.trial, t.status, t.stoppedBy]), [[1, 'completed', undefined], [2, 'cancelled', 'user']]);
    const stoppedRun = cancelled.record.trials[1].runId!;
    assert.equal((await new RunStore(runsDir).read(stoppedRun)).status, 'cancelled');

    const second = new ScriptedTrialRunner({ valAcc, epochMs: () => 5 });
    const resumed = await runSweep({ store: sweeps, id, runner: second });
    assert.equal(resumed.record.status, 'completed');
    assert.deepEqual(second.requests.map((r) => r.trial), [2, 3, 4]);
    assert.equal(second.requests[0].resumeRunId, stoppedRun);
    const epochs = (await new RunStore(runsDir).readMetrics(stoppedRun)).filter((e) => e.type === 'epochEnd').map((e) => (e as { epoch: number }).epoch);
    assert.deepEqual(epochs, [1, 2, 3], 'the cancelled trial\'s run went on from its last epoch');
  });

  test('after the sweep\'s process is killed mid-trial, resume continues that trial and runs only what is left', async () => {
    const id = await newSweep({ trials: 5, base: { data: 'data', epochs: 3 }, space: LR_SPACE });
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'test', 'fixtures', 'crashingSweep.ts'), sweeps.sweepsDir, id], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const store = new RunStore(runsDir);
    // Wait until trials 1 and 2 have ended and trial 3 has finished its first epoch.
    for (let waited = 0; ; waited += 50) {
      assert.ok(waited < 60_000, 'the sweep process did not get to trial 3');
      const trial3 = readSweepSafely(id)?.trials[2];
      if (trial3?.runId && (await store.readMetrics(trial3.runId)).some((e) => e.type === 'epochEnd')) break;
      await sleep(50);
    }
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    assert.match(output, /trialEnd 1\ntrialEnd 2\n/);
    const crashed = await sweeps.read(id);
    assert.equal(crashed.status, 'interrupted', 'a sweep whose process died reads as interrupted');
    assert.deepEqual(crashed.trials.map((t) => t.status), ['completed', 'completed', 'running']);
    const finishedRuns = crashed.trials.slice(0, 2).map((t) => t.runId);

    const runner = new ScriptedTrialRunner({ valAcc, epochMs: () => 5 });
    const { record } = await runSweep({ store: sweeps, id, runner });
    assert.equal(record.status, 'completed');
    assert.deepEqual(runner.requests.map((r) => r.trial), [3, 4, 5], 'finished trials are never rerun');
    assert.equal(runner.requests[0].resumeRunId, crashed.trials[2].runId);
    assert.deepEqual(record.trials.slice(0, 2).map((t) => t.runId), finishedRuns);
    const trial3Epochs = (await store.readMetrics(crashed.trials[2].runId!)).filter((e) => e.type === 'epochEnd').map((e) => (e as { epoch: number }).epoch);
    assert.deepEqual(trial3Epochs, [1, 2, 3]);
    // Trials 4 and 5 are the same draws the crashed process would have made.
    const fresh = await newSweep({ trials: 5, base: { data: 'data', epochs: 3 }, space: LR_SPACE });
    const reference = await runSweep({ store: sweeps, id: fresh, runner: new ScriptedTrialRunner({ valAcc }) });
    assert.deepEqual(record.trials.map((t) => t.params), reference.record.trials.map((t) => t.params));
  });

  test('a second process cannot take over a sweep that is running', async () => {
    const id = await newSweep({ trials: 1, space: LR_SPACE });
    const record = await sweeps.read(id);
    const other = new SweepStore(sweeps.sweepsDir, { isProcessAlive: () => true });
    await sweeps.write({ ...record, status: 'running', process: { pid: 999_999, hostname: hostname() } });
    await assert.rejects(runSweep({ store: other, id, runner: new ScriptedTrialRunner({ valAcc }) }), /still running in process 999999/);
  });

  test('successive halving trains the best third of each rung for three times the epochs', async () => {
    const id = await newSweep({ method: 'halving', trials: 9, base: { data: 'data', epochs: 9 }, space: { learningRate: { min: 1e-5, max: 1e-1, log: true } } });
    const runner = new ScriptedTrialRunner({ capacity: 3, valAcc, epochMs: () => 1 });
    const { record } = await runSweep({ store: sweeps, id, runner });
    const rung = (k: number) => record.trials.filter((t) => t.rung === k);
    assert.deepEqual([rung(0).length, rung(1).length, rung(2).length], [9, 3, 1]);
    const store = new RunStore(runsDir);
    for (const [k, epochs] of [[0, 1], [1, 3], [2, 9]]) {
      for (const trial of rung(k)) assert.equal((await store.read(trial.runId!)).spec.training.epochs, epochs);
    }
    const top3 = [...rung(0)].sort((a, b) => b.value! - a.value!).slice(0, 3).map((t) => t.trial);
    assert.deepEqual(new Set(rung(1).map((t) => t.promotedFrom)), new Set(top3));
    assert.equal(record.best!.trial, rung(2)[0].trial, 'the best is the survivor of the last rung');
    assert.deepEqual(record.rungs, [{ rung: 0, trials: 9, epochs: 1 }, { rung: 1, trials: 3, epochs: 3 }, { rung: 2, trials: 1, epochs: 9 }]);
  });

  test('a combination of values that cannot work fails its trial without a run, and the sweep goes on', async () => {
    const id = await newSweep({
      method: 'grid', base: { data: 'data', epochs: 1, model: 'attention' },
      space: { 'model.heads': [4, 3], 'model.embedDim': [32, 30] },
    });
    const runner = new ScriptedTrialRunner({ valAcc });
    const { record } = await runSweep({ store: sweeps, id, runner });
    const byParams = (heads: number, dim: number) => record.trials.find((t) => t.params['model.heads'] === heads && t.params['model.embedDim'] === dim)!;
    assert.equal(byParams(4, 32).status, 'completed');
    assert.equal(byParams(3, 30).status, 'completed');
    for (const bad of [byParams(4, 30), byParams(3, 32)]) {
      assert.equal(bad.status, 'failed');
      assert.equal(bad.runId, undefined);
      assert.match(bad.error!, /must be a multiple of heads/);
    }
    assert.equal(runner.requests.length, 2);
  });
});

function readSweepSafely(id: string): SweepRecord | undefined {
  try {
    return readSweep(id);
  } catch {
    return undefined;
  }
}

export type { TrialRecord };
