// The sweep, doctor and model-option command lines as a script would use them: real tiny sweeps on generated
// images through the built CLI (dist/cli.js), the JSON contract, invalid specs, Ctrl+C and --resume.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist', 'cli.js');
let root: string;

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function writeSpec(name: string, spec: Record<string, unknown>): string {
  writeFileSync(join(root, name), JSON.stringify(spec));
  return name;
}

const SPACE = { learningRate: { min: 0.001, max: 0.01, log: true }, batchSize: [16, 32] };

function spec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'shapes search', base: { data: 'shapes', epochs: 3, imageSize: 16, modelOptions: { filters: [16, 32] } }, method: 'random', trials: 3, seed: 5, space: SPACE, ...overrides };
}

before(() => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  root = makeTempDir();
  writeFolderDataset(join(root, 'shapes'), makeShapesDataset(400, 16, 21));
});

after(() => removeTempDir(root));

describe('classifier-lab sweep', () => {
  test('--json prints one trialEnd per trial and a sweepEnd with the best trial and the importance', () => {
    const result = run(['sweep', '--spec', writeSpec('sweep.json', spec()), '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const trials = lines.filter((l) => l.type === 'trialEnd');
    assert.equal(trials.length, 3);
    assert.deepEqual(trials.map((t) => t.trial).sort(), [1, 2, 3]);
    for (const trial of trials) {
      assert.deepEqual(Object.keys(trial).sort(), ['params', 'runDir', 'status', 'trial', 'type', 'valAcc']);
      assert.equal(trial.status, 'completed');
      const params = trial.params as { learningRate: number; batchSize: number };
      assert.ok(params.learningRate >= 0.001 && params.learningRate <= 0.01);
      assert.ok([16, 32].includes(params.batchSize));
      const record = JSON.parse(readFileSync(join(trial.runDir as string, 'run.json'), 'utf8'));
      assert.equal(record.spec.training.learningRate, params.learningRate);
      assert.equal(record.spec.training.batchSize, params.batchSize);
      assert.equal(record.summary.bestValAcc, trial.valAcc);
    }
    const end = lines.at(-1)!;
    assert.equal(end.type, 'sweepEnd');
    assert.deepEqual(Object.keys(end).sort(), ['best', 'importance', 'status', 'sweepDir', 'type']);
    assert.equal(end.status, 'completed');
    const best = end.best as { runDir: string; params: unknown; valAcc: number };
    const top = trials.reduce((a, b) => ((b.valAcc as number) > (a.valAcc as number) ? b : a));
    assert.equal(best.runDir, top.runDir);
    assert.deepEqual(best.params, top.params);
    assert.ok(best.valAcc > 0.4, `the best trial learned the shapes: ${best.valAcc}`);
    assert.deepEqual(Object.keys(end.importance as object).sort(), ['batchSize', 'learningRate']);
    const sweepDir = end.sweepDir as string;
    assert.equal(sweepDir, join(root, '.classifier-lab', 'sweeps', sweepDir.split(/[\\/]/).at(-1)!));
    const record = JSON.parse(readFileSync(join(sweepDir, 'sweep.json'), 'utf8'));
    assert.equal(record.status, 'completed');
    assert.deepEqual(record.trials.map((t: { runId: string }) => join(root, '.classifier-lab', 'runs', t.runId)).sort(), trials.map((t) => t.runDir).sort());
  });

  test('without --json: a line per trial and a summary with the best trial', () => {
    const result = run(['sweep', '--spec', writeSpec('grid.json', spec({ method: 'grid', trials: undefined, space: { learningRate: [0.003, 0.006] }, base: { data: 'shapes', epochs: 1, imageSize: 16, modelOptions: { filters: [16, 32] } } })), '--runs-dir', 'grid-runs']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /trial 1\/2 val acc \d+\.\d% \| learningRate=0\.003 \| grid-runs[\\/]/);
    assert.match(result.stdout, /Sweep completed: 2 trials \(2 completed\)/);
    assert.match(result.stdout, /best: trial \d, valAcc \d+\.\d% \| learningRate=0\.00\d/);
    assert.ok(existsSync(join(root, 'sweeps')), 'sweeps go beside the runs folder');
  });

  test('invalid specs exit 2 with one message naming the bad field, and create nothing', () => {
    const before = existsSync(join(root, 'bad-runs'));
    const cases: [Record<string, unknown> | string, RegExp][] = [
      [spec({ method: 'bayesian' }), /Invalid sweep spec bad\.json: method: must be one of grid, random, halving/],
      [spec({ space: { learningRate: { min: 0, max: 0.1, log: true } } }), /space\.learningRate\.min: a log range needs min > 0/],
      [spec({ space: { batchSize: [32, -1] } }), /space\.batchSize\[1\]: The batch size must be a whole number/],
      [spec({ base: { data: 'missing-folder' } }), /base\.data: no dataset folder at/],
      [spec({ space: { 'model.units': [8] } }), /space\.model\.units: model cnn has no option "units"/],
      ['{ not json', /is not valid JSON/],
    ];
    for (const [content, message] of cases) {
      writeFileSync(join(root, 'bad.json'), typeof content === 'string' ? content : JSON.stringify(content));
      const result = run(['sweep', '--spec', 'bad.json', '--runs-dir', 'bad-runs', '--json']);
      assert.equal(result.code, 2, `${String(message)}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 2, 'one message and the pointer to --help');
      assert.equal(result.stdout, '');
    }
    assert.equal(existsSync(join(root, 'bad-runs')), before);
    assert.ok(!existsSync(join(root, 'sweeps', 'bad')));
    assert.equal(run(['sweep', '--spec', 'nope.json']).code, 2);
    assert.equal(run(['sweep']).code, 2);
  });

  test('Ctrl+C cancels the sweep (the running trial ends cancelled); --resume finishes it without rerunning a finished trial', async () => {
    const file = writeSpec('cancel.json', spec({ name: 'cancel me', base: { data: 'shapes', epochs: 2, imageSize: 16, modelOptions: { filters: [16, 32] } } }));
    const child = spawn(process.execPath, [cli, 'sweep', '--spec', file, '--runs-dir', 'cancel-runs', '--json'], { cwd: root });
    let stdout = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    await new Promise<void>((done) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('"trialEnd"')) done();
      });
    });
    // Trial 2 has started; stop while it trains.
    await new Promise((wait) => setTimeout(wait, 1500));
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    const lines = jsonLines(stdout);
    const end = lines.at(-1)!;
    assert.equal(end.type, 'sweepEnd');
    assert.equal(end.status, 'cancelled');
    const finished = lines.filter((l) => l.type === 'trialEnd' && l.status === 'completed').map((l) => l.runDir);
    assert.ok(finished.length >= 1);
    const sweepDir = end.sweepDir as string;
    const state = JSON.parse(readFileSync(join(sweepDir, 'sweep.json'), 'utf8'));
    assert.equal(state.status, 'cancelled');
    const stopped = state.trials.filter((t: { status: string }) => t.status === 'cancelled');
    assert.equal(stopped.length, 1);
    assert.equal(stopped[0].stoppedBy, 'user');

    const resumed = run(['sweep', '--resume', sweepDir, '--json', '--parallel', '2']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const after = jsonLines(resumed.stdout);
    const resumedTrials = after.filter((l) => l.type === 'trialEnd');
    assert.equal(resumedTrials.length, 3 - finished.length, 'only the unfinished trials run');
    for (const trial of resumedTrials) assert.ok(!finished.includes(trial.runDir), 'a finished trial ran again');
    assert.ok(resumedTrials.every((t) => t.status === 'completed'));
    assert.equal(after.at(-1)!.status, 'completed');
    const final = JSON.parse(readFileSync(join(sweepDir, 'sweep.json'), 'utf8'));
    assert.deepEqual(final.trials.map((t: { status: string }) => t.status), ['completed', 'completed', 'completed']);
  });

  test('successive halving from the command line: rungs of 1 then 3 epochs, reported on each trialEnd', () => {
    const result = run(['sweep', '--spec', writeSpec('halving.json', spec({ method: 'halving', trials: 3, space: { learningRate: [0.0003, 0.003, 0.03] } })), '--runs-dir', 'halving-runs', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const trials = jsonLines(result.stdout).filter((l) => l.type === 'trialEnd');
    assert.deepEqual(trials.map((t) => [t.rung, t.epochs]), [[0, 1], [0, 1], [0, 1], [1, 3]]);
    const firstRung = trials.slice(0, 3);
    const top = firstRung.reduce((a, b) => ((b.valAcc as number) > (a.valAcc as number) ? b : a));
    assert.deepEqual(trials[3].params, top.params, 'the best of the first rung trains longer');
  });
});

describe('classifier-lab train --model-option and doctor', () => {
  test('model options set the model the run records; bad ones exit 2 naming the option and its values', () => {
    const result = run(['train', '--data', 'shapes', '--model', 'rnn', '--model-option', 'layers=2', '--model-option', 'units=8',
      '--epochs', '1', '--limit', '64', '--image-size', '16', '--runs-dir', 'option-runs', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const end = jsonLines(result.stdout).at(-1)!;
    const record = JSON.parse(readFileSync(join(end.runDir as string, 'run.json'), 'utf8'));
    assert.deepEqual(record.spec.model, { kind: 'rnn', options: { cell: 'lstm', units: [8, 8], dropout: 0 } });

    const bad = run(['train', '--data', 'shapes', '--model', 'rnn', '--model-option', 'heads=4', '--runs-dir', 'bad-option-runs']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--model-option: Unknown option "heads" for model rnn: its options are cell, units, layers, dropout/);
    const range = run(['train', '--data', 'shapes', '--model', 'attention', '--model-option', 'depth=0', '--runs-dir', 'bad-option-runs']);
    assert.equal(range.code, 2);
    assert.match(range.stderr, /"depth" of attention must be a whole number from 1 to 24 \(got "0"\)/);
    assert.ok(!existsSync(join(root, 'bad-option-runs')));
  });

  test('doctor --json lists the diagnoses of a run and ends with a count', () => {
    const runs = join(root, 'option-runs');
    const runDir = join(runs, readdirSync(runs)[0]);
    const result = run(['doctor', '--run', runDir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const end = lines.at(-1)!;
    assert.deepEqual(end, { type: 'doctorEnd', runDir, diagnoses: lines.length - 1 });
    for (const line of lines.slice(0, -1)) {
      assert.equal(line.type, 'diagnosis');
      assert.ok(['error', 'warning', 'info'].includes(line.severity as string));
      assert.equal(typeof line.message, 'string');
    }
    assert.equal(run(['doctor']).code, 2);
  });
});
