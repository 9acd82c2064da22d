// The CLI under faults and hostile input, as a user or a script meets them: Ctrl+C and resume, two
// resumes at once, runs without a validation split, hostile run names, arguments refused at once,
// damaged run records, a hostile image among good ones, a read-only runs folder, the native backend's
// fallback reason.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { assemblePng } from '../../fixtures/imageFixtures';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { mountTmpfs } from '../../fixtures/tmpfs';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist', 'cli.js');
let root: string;
let data: string;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd = root): Result {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Starts `train` and sends SIGINT once the first epoch has ended; resolves with how the process ended. */
function trainAndInterrupt(args: string[]): Promise<Result & { signalSentAfterEpoch: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!sent && stdout.includes('"type":"epochEnd"')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stdout, stderr, signalSentAfterEpoch: sent }));
  });
}

/** Epoch numbers of the epochEnd lines of a run's metrics.jsonl, in order. */
function recordedEpochs(runDir: string): number[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')
    .map((line) => JSON.parse(line) as { type: string; epoch?: number })
    .filter((event) => event.type === 'epochEnd').map((event) => event.epoch!);
}

function record(runDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
}

before(() => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  root = makeTempDir();
  data = join(root, 'shapes');
  writeFolderDataset(data, makeShapesDataset(800, 32, 13), { testFraction: 0.2 });
});

after(() => removeTempDir(root));

describe('Ctrl+C and resume', () => {
  let runDir = '';

  test('Ctrl+C stops training after the current batch, keeps the run as cancelled and exits 130', async () => {
    const result = await trainAndInterrupt(['train', '--data', data, '--epochs', '6', '--batch-size', '32', '--json', '--name', 'interrupted']);
    assert.ok(result.signalSentAfterEpoch, result.stderr);
    assert.equal(result.code, 130, result.stderr);
    const end = jsonLines(result.stdout).at(-1)!;
    assert.equal(end.type, 'runEnd');
    assert.equal(end.status, 'cancelled');
    runDir = end.runDir as string;
    assert.equal(record(runDir).status, 'cancelled');
    assert.ok(existsSync(join(runDir, 'checkpoint', 'state.json')), 'the finished epoch is checkpointed');
  });

  test('resume continues from the last checkpoint to the planned epochs, each epoch recorded once, and learns', () => {
    const before = recordedEpochs(runDir);
    const result = run(['resume', '--run', runDir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const epochs = lines.filter((l) => l.type === 'epochEnd').map((l) => l.epoch as number);
    assert.equal(epochs[0], before.at(-1)! + 1, 'training continues after the last finished epoch');
    assert.equal(epochs.at(-1), 6);
    assert.deepEqual(recordedEpochs(runDir), [1, 2, 3, 4, 5, 6]);
    const end = lines.at(-1)!;
    assert.equal(end.status, 'completed');
    assert.ok((end.best as { valAcc: number }).valAcc > 0.8, `validation accuracy ${JSON.stringify(end.best)}`);
    assert.equal(record(runDir).status, 'completed');
  });

  test('resuming a completed run is refused at once', () => {
    const result = run(['resume', '--run', runDir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /already completed/);
  });
});

describe('one trainer per run', () => {
  test('two resumes of one run at once: one trains, the other is refused; no epoch is recorded twice', async () => {
    const interrupted = await trainAndInterrupt(['train', '--data', data, '--epochs', '5', '--batch-size', '32', '--json', '--name', 'twice']);
    assert.equal(interrupted.code, 130, interrupted.stderr);
    const runDir = jsonLines(interrupted.stdout).at(-1)!.runDir as string;
    const resumeOnce = () => new Promise<Result>((done) => {
      const child = spawn(process.execPath, [cli, 'resume', '--run', runDir, '--json'], { cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
      child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
      child.on('exit', (code) => done({ code, stdout, stderr }));
    });
    const results = await Promise.all([resumeOnce(), resumeOnce()]);
    const codes = results.map((r) => r.code).sort();
    assert.deepEqual(codes, [0, 1], results.map((r) => r.stderr).join('\n---\n'));
    const refused = results.find((r) => r.code === 1)!;
    assert.match(refused.stderr, /already being trained by process \d+/);
    assert.deepEqual(recordedEpochs(runDir), [1, 2, 3, 4, 5]);
    assert.equal(record(runDir).status, 'completed');
  });
});

describe('a run without a validation split', () => {
  test('reports training accuracy as training accuracy, in JSON and in words', () => {
    const json = run(['train', '--data', data, '--epochs', '2', '--val-split', '0', '--limit', '200', '--json', '--runs-dir', 'noval']);
    assert.equal(json.code, 0, json.stderr);
    const lines = jsonLines(json.stdout);
    for (const epoch of lines.filter((l) => l.type === 'epochEnd')) {
      assert.deepEqual(Object.keys(epoch).sort(), ['acc', 'epoch', 'imagesPerSecond', 'loss', 'type'], 'no validation numbers');
    }
    const end = lines.at(-1)!;
    assert.deepEqual(Object.keys(end.best as object).sort(), ['epoch', 'trainAcc']);
    const runDir = end.runDir as string;
    const summary = record(runDir).summary as Record<string, unknown>;
    assert.equal(typeof summary.bestTrainAcc, 'number');
    assert.equal(summary.bestValAcc, undefined);
    assert.ok(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"epochEnd"')).every((l) => !l.includes('valAcc')));

    const words = run(['train', '--data', data, '--epochs', '1', '--val-split', '0', '--limit', '100', '--runs-dir', 'noval']);
    assert.equal(words.code, 0, words.stderr);
    assert.match(words.stdout, /^ *epoch +loss +acc +img\/s/m, 'no validation columns');
    assert.match(words.stdout, /Run completed: best train acc \d+\.\d% at epoch 1 \(no validation split\)/);
    assert.match(words.stderr, /no validation split/);
    const listing = run(['runs', '--runs-dir', 'noval']);
    assert.match(listing.stdout, /\d+\.\d% train/);
    assert.doesNotMatch(listing.stdout, /% val/);
  });
});

describe('hostile and mistaken input', () => {
  let trainedRun = '';
  before(() => {
    const result = run(['train', '--data', data, '--epochs', '3', '--limit', '320', '--json', '--runs-dir', 'trained']);
    assert.equal(result.code, 0, result.stderr);
    trainedRun = jsonLines(result.stdout).at(-1)!.runDir as string;
  });

  test('escape sequences and NUL bytes in run names are never printed raw', () => {
    const runsDir = join(root, 'hostile-names');
    const runDir = join(runsDir, '20261127-000000-cnn-evil');
    mkdirSync(runDir, { recursive: true });
    const spec = {
      data: { path: data, format: 'folder', valSplit: 0.1, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [8], denseUnits: 8, dropout: 0 } },
      training: { epochs: 1, batchSize: 8, learningRate: 0.001, optimizer: 'adam', momentum: 0.9, loss: 'crossentropy', labelSmoothing: 0, earlyStoppingPatience: 0, seed: 1 },
      augment: { flip: false, rotateDegrees: 0, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 },
    };
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({
      schemaVersion: 1, status: 'completed', createdAt: '2026-11-27T00:00:00.000Z', spec, summary: { epochs: 1 },
      name: 'evil\u001b[2J\u001b]0;pwned\u0007\u0000\u009b31m\u202egnp.exe',
    }));
    mkdirSync(join(runsDir, '20261127-000000-cnn-nul1'));
    writeFileSync(join(runsDir, '20261127-000000-cnn-nul1', 'run.json'), '\u0000\u001b[31mnot json');
    for (const args of [['runs', '--runs-dir', runsDir], ['runs', '--runs-dir', runsDir, '--json']]) {
      const result = run(args);
      assert.equal(result.code, 0, result.stderr);
      const output = result.stdout + result.stderr;
      const raw = [...output].filter((c) => (c.charCodeAt(0) < 0x20 && c !== '\n') || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f) || c === '\u202e');
      assert.deepEqual(raw, [], `${args.join(' ')} printed control characters raw`);
    }
    const table = run(['runs', '--runs-dir', runsDir]).stdout;
    assert.match(table, /evil\\x1b\[2J\\x1b\]0;pwned\\x07\\x00\\x9b31m\\u202egnp\.exe/);
    const listed = jsonLines(run(['runs', '--runs-dir', runsDir, '--json']).stdout).find((l) => l.type === 'run')!;
    assert.equal(listed.name, 'evil\u001b[2J\u001b]0;pwned\u0007\u0000\u009b31m\u202egnp.exe', 'JSON keeps the exact name, escaped');
  });

  test('a name over 200 characters and an image size too small for the model exit 2 at once, before any data is read', () => {
    const nowhere = join(root, 'no-such-dataset');
    const cases: [string[], RegExp][] = [
      [['--name', 'x'.repeat(201)], /--name: A run name can be at most 200 characters\./],
      [['--image-size', '16'], /Images of 16x16 are too small for this CNN: it needs at least 18x18 pixels/],
    ];
    for (const [extra, message] of cases) {
      const result = run(['train', '--data', nowhere, '--runs-dir', 'never', ...extra]);
      assert.equal(result.code, 2, `${extra.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /Dataset folder not found/, 'refused before the dataset is looked at');
      assert.equal(result.stderr.trim().split('\n').length, 2, 'one message and the pointer to --help');
    }
    assert.equal(existsSync(join(root, 'never')), false);
  });

  test('eval and resume of a run whose record lacks nested fields say what is wrong instead of crashing', () => {
    const runsDir = join(root, 'damaged-records');
    const make = (id: string, changes: (raw: Record<string, unknown>) => void) => {
      const dir = join(runsDir, id);
      mkdirSync(dir, { recursive: true });
      const raw = record(trainedRun);
      changes(raw);
      writeFileSync(join(dir, 'run.json'), JSON.stringify(raw));
      return dir;
    };
    const noShape = make('20261127-000000-cnn-shap', (raw) => { delete (raw.dataset as Record<string, unknown>).imageShape; });
    const evaluated = run(['eval', '--run', noShape, '--data', data]);
    assert.equal(evaluated.code, 1);
    assert.match(evaluated.stderr, /has no class list in its run\.json: it never started training/);
    const noTraining = make('20261127-000000-cnn-trai', (raw) => { delete (raw.spec as Record<string, unknown>).training; raw.status = 'cancelled'; });
    const resumed = run(['resume', '--run', noTraining]);
    assert.equal(resumed.code, 1);
    assert.match(resumed.stderr, /cannot be read: run\.json has no valid spec: spec\.training is missing/);
    for (const result of [evaluated, resumed]) assert.doesNotMatch(result.stderr, /Cannot read properties|TypeError/);
  });

  test('classifying a folder with a hostile image reports it and classifies the others', () => {
    const runDir = trainedRun;
    const folder = join(root, 'to-classify');
    mkdirSync(folder);
    const good = readdirSync(join(data, 'test', 'circle')).slice(0, 2).map((name) => join(data, 'test', 'circle', name));
    writeFileSync(join(folder, 'a.png'), readFileSync(good[0]));
    writeFileSync(join(folder, 'b-strip.png'), assemblePng({ width: 50_000_000, height: 1, bitDepth: 8, colorType: 0 }, deflateSync(Buffer.alloc(50_000_001))));
    writeFileSync(join(folder, 'c-short.png'), assemblePng({ width: 3000, height: 3000, bitDepth: 16, colorType: 6 }, deflateSync(Buffer.alloc(4))));
    writeFileSync(join(folder, 'd.png'), readFileSync(good[1]));
    const result = run(['classify', '--run', runDir, folder, '--json']);
    assert.equal(result.code, 1);
    const lines = jsonLines(result.stdout);
    assert.deepEqual(lines.map((l) => l.type), ['classification', 'error', 'error', 'classification']);
    assert.match(lines[1].message as string, /b-strip\.png is not a readable image: image too large \(50000000 x 1 pixels/);
    assert.match(lines[2].message as string, /c-short\.png is not a readable image: truncated PNG/);
  });
});

describe('the native backend', () => {
  const nativeInstalled = (() => {
    try {
      createRequire(join(repo, 'package.json')).resolve('@tensorflow/tfjs-node');
      return true;
    } catch {
      return false;
    }
  })();

  test('when it cannot be used, training says why', { skip: nativeInstalled && 'tfjs-node is installed here, so there is no fallback to show' }, () => {
    const result = run(['train', '--data', data, '--epochs', '1', '--limit', '64', '--runs-dir', 'fallback']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warn: The native TensorFlow backend is not used \(@tensorflow\/tfjs-node is not installed\); training on wasm/);
    const json = run(['train', '--data', data, '--epochs', '1', '--limit', '64', '--runs-dir', 'fallback', '--json']);
    assert.match(json.stderr, /The native TensorFlow backend is not used/);
  });
});

describe('a read-only runs folder', () => {
  const fs = mountTmpfs(64 * 1024 * 1024);
  after(() => {
    if (typeof fs !== 'string') fs.unmount();
  });

  test('lists and classifies; refuses to train or resume at once, saying the file system is read-only', { skip: typeof fs === 'string' && fs }, async () => {
    if (typeof fs === 'string') return;
    const runsDir = join(fs.dir, 'runs');
    const interrupted = await trainAndInterrupt(['train', '--data', data, '--epochs', '4', '--batch-size', '32', '--json', '--runs-dir', runsDir]);
    assert.equal(interrupted.code, 130, interrupted.stderr);
    const runDir = jsonLines(interrupted.stdout).at(-1)!.runDir as string;
    fs.setReadOnly(true);
    try {
      const listing = run(['runs', '--runs-dir', runsDir, '--json']);
      assert.equal(listing.code, 0, listing.stderr);
      assert.equal(jsonLines(listing.stdout)[0].status, 'cancelled');
      const classified = run(['classify', '--run', runDir, join(data, 'test', 'circle'), '--json']);
      assert.ok(jsonLines(classified.stdout).every((l) => l.type === 'classification'), classified.stderr);
      const trained = run(['train', '--data', join(root, 'no-such-dataset'), '--runs-dir', runsDir]);
      assert.equal(trained.code, 1);
      assert.match(trained.stderr, new RegExp(`The file system is read-only: could not write ${runsDir}`), 'said before the dataset is looked at');
      const fresh = run(['train', '--data', data, '--runs-dir', join(fs.dir, 'new', 'runs')]);
      assert.match(fresh.stderr, /The file system is read-only/);
      const resumed = run(['resume', '--run', runDir]);
      assert.equal(resumed.code, 1);
      assert.match(resumed.stderr, /The file system is read-only: could not write .*run\.json/);
      for (const result of [trained, fresh, resumed]) assert.doesNotMatch(result.stderr, /was the run deleted/);
    } finally {
      fs.setReadOnly(false);
    }
    assert.equal(record(runDir).status, 'cancelled', 'nothing was changed');
  });
});
