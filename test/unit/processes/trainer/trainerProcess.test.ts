// The trainer process as the extension forks it, fed malformed and unknown messages first: each is
// refused with a line on its stderr (which the extension logs), none is acted on, and the process still
// trains the run a well-formed start asks for. A start whose spec has bad values fails the run cleanly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import type { FromTrainer } from '../../../../src/protocol/trainer';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

const repoRoot = resolve(__dirname, '../../../..');
let root: string;
let shapesDir: string;

function spec(epochs: number): RunSpec {
  return {
    data: { path: shapesDir, format: 'auto', valSplit: 0.2, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), epochs, batchSize: 16 },
    augment: noAugmentation(),
  };
}

/** The trainer process, with what it sent and printed. */
function startTrainer(): { child: ChildProcess; messages: FromTrainer[]; stderr: () => string; exited: Promise<number | null> } {
  const child = fork(join(repoRoot, 'src', 'processes', 'trainer', 'trainerProcess.ts'), [], {
    execArgv: ['--import', 'tsx'], cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const messages: FromTrainer[] = [];
  let stderr = '';
  child.on('message', (message: FromTrainer) => messages.push(message));
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return { child, messages, stderr: () => stderr, exited: new Promise((done) => child.once('exit', done)) };
}

const GARBAGE: unknown[] = [
  null, 7, 'start', [], {}, { type: 'explode' }, { type: 'start' },
  { type: 'start', runsDir: '', spec: {}, backend: 'wasm' },
  { type: 'start', runsDir: '/tmp/x', spec: { data: 1 }, backend: 'wasm' },
  { type: 'start', runsDir: '/tmp/x', spec: { data: {}, model: {}, training: {}, augment: {} }, backend: 'gpu' },
  { type: 'start', runsDir: '/tmp/x', spec: { data: {}, model: {}, training: {}, augment: {} }, backend: 'wasm', threads: 1000 },
  { type: 'start', runsDir: '/tmp/x', spec: { data: {}, model: {}, training: {}, augment: {} }, backend: 'wasm', resumeRunId: 42 },
];

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

before(() => {
  root = makeTempDir();
  shapesDir = join(root, 'shapes');
  writeFolderDataset(shapesDir, makeShapesDataset(96, 16, 3));
});
after(() => removeTempDir(root));

describe('the trainer process', () => {
  test('refuses every malformed or unknown message with a log line, then trains the run a valid start asks for', { timeout: 180_000 }, async () => {
    const trainer = startTrainer();
    for (const message of GARBAGE) trainer.child.send(message as object);
    await waitFor(() => (trainer.stderr().match(/Ignored an invalid message/g)?.length ?? 0) >= GARBAGE.length ? true : undefined, 'a log line per refused message', 30_000);
    assert.equal(trainer.messages.length, 0, 'nothing was acted on');
    const runsDir = join(root, 'runs-ok');
    trainer.child.send({ type: 'start', runsDir, spec: spec(1), backend: 'wasm', threads: 1 });
    const finished = await waitFor(() => trainer.messages.find((m) => m.type === 'finished'), 'the run to finish');
    assert.equal(finished.type === 'finished' && finished.status, 'completed', JSON.stringify(finished));
    assert.equal(await trainer.exited, 0);
    assert.equal(readdirSync(runsDir).length, 1);
  });

  test('a start whose spec has impossible values fails the run with the reason, leaving no run folder', { timeout: 60_000 }, async () => {
    const trainer = startTrainer();
    const runsDir = join(root, 'runs-bad');
    const bad = spec(1);
    trainer.child.send({ type: 'start', runsDir, spec: { ...bad, training: { ...bad.training, epochs: -3 } }, backend: 'wasm' });
    const finished = await waitFor(() => trainer.messages.find((m) => m.type === 'finished'), 'the refusal');
    assert.ok(finished.type === 'finished');
    assert.equal(finished.status, 'failed');
    assert.equal(finished.runId, undefined);
    assert.match(finished.error ?? '', /Epochs must be a whole number/);
    assert.equal(await trainer.exited, 0);
    assert.equal(existsSync(runsDir) && readdirSync(runsDir).length > 0, false);
  });
});
