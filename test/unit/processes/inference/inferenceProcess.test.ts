// The inference process as the extension uses it: the built dist/inference.js forked with IPC,
// classifying a trained run's images, explaining them, refusing bad messages, and agreeing with the CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FromInference, ToInference } from '../../../../src/protocol/inference';
import sharp from 'sharp';
import { rotatedJpeg, twoBands } from '../../../fixtures/photoFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { trainShapesRun, type TrainedRun } from '../../../fixtures/trainedRun';

const repo = resolve(__dirname, '../../../..');

/** The child with every message it sent so far, and a way to wait for more. */
class InferenceChild {
  readonly messages: FromInference[] = [];
  /** What it printed on stdout (the host shows it in the extension's log). */
  output = '';
  private waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    child.on('message', (message: FromInference) => {
      this.messages.push(message);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  send(message: ToInference | Record<string, unknown>): void {
    this.child.send(message);
  }

  /** Waits until a message matches, then returns it. */
  async waitFor(match: (m: FromInference) => boolean, timeoutMs = 60_000): Promise<FromInference> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 200);
      });
    }
  }

  /** Sends a request and returns every message about it, through its `done`. */
  async request(message: Extract<ToInference, { type: 'classify' }>): Promise<FromInference[]> {
    this.send(message);
    await this.waitFor((m) => m.type === 'done' && m.id === message.id);
    return this.messages.filter((m) => 'id' in m && m.id === message.id);
  }
}

let dir: string;
let run: TrainedRun;
let inference: InferenceChild;

before(async () => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  dir = makeTempDir();
  run = await trainShapesRun(dir, { epochs: 8, count: 480 });
  inference = new InferenceChild(fork(join(repo, 'dist', 'inference.js'), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
}, { timeout: 240_000 });

after(() => {
  inference?.child.kill();
  removeTempDir(dir);
});

describe('inference process', () => {
  test('announces its backend, then classifies images with top-5 classes and a heat map of each', async () => {
    const ready = await inference.waitFor((m) => m.type === 'ready');
    assert.match((ready as { backend: string }).backend, /wasm|tensorflow/);
    const images = run.testImages.slice(0, 8);
    const messages = await inference.request({ type: 'classify', id: 1, runDir: run.runDir, images: images.map((i) => i.path), topK: 5, saliency: true });
    const model = messages.find((m) => m.type === 'model');
    assert.ok(model && model.type === 'model');
    assert.deepEqual(model.model.classes, ['circle', 'cross', 'horizontal', 'vertical']);
    assert.deepEqual(model.model.inputShape, [32, 32, 3]);
    assert.equal(model.model.runName, 'shapes');
    assert.equal(model.model.modelKind, 'cnn');
    const results = messages.flatMap((m) => (m.type === 'result' ? [m] : []));
    assert.deepEqual(results.map((r) => r.index), [0, 1, 2, 3, 4, 5, 6, 7], 'one result per image, in order');
    let correct = 0;
    for (const result of results) {
      assert.equal(result.image, images[result.index].path);
      assert.equal(result.top.length, 4, 'top 5 of 4 classes lists all 4');
      assert.ok(result.top.every((t, k) => k === 0 || t.probability <= result.top[k - 1].probability), 'sorted by probability');
      assert.ok(Math.abs(result.top.reduce((a, t) => a + t.probability, 0) - 1) < 1e-4);
      if (result.top[0].label === images[result.index].label) correct++;
      const saliency = result.saliency;
      assert.ok(saliency, 'a heat map for the top class');
      assert.equal(saliency.method, 'grad-cam');
      assert.equal(saliency.classIndex, model.model.classes.indexOf(result.top[0].label));
      assert.equal(saliency.values.length, 32);
      assert.ok(saliency.values.every((row) => row.length === 32 && row.every((v) => v >= 0 && v <= 1)));
    }
    assert.ok(correct >= 6, `${correct} of 8 held-out images classified correctly`);
    const done = messages.at(-1);
    assert.ok(done?.type === 'done' && done.classified === 8 && done.failed === 0 && !done.cancelled);
  });

  test('a missing file and a non-image fail on their own, named, while the others are classified', async () => {
    const notes = join(dir, 'notes.jpg');
    writeFileSync(notes, 'shopping list');
    const missing = join(dir, 'gone.png');
    const images = [run.testImages[0].path, missing, notes, run.testImages[1].path];
    const messages = await inference.request({ type: 'classify', id: 2, runDir: run.runDir, images, topK: 1, saliency: false });
    const errors = messages.flatMap((m) => (m.type === 'error' ? [m] : []));
    assert.deepEqual(errors.map((e) => e.index), [1, 2]);
    assert.ok(errors[0].message.includes(missing) && /no such file/.test(errors[0].message));
    assert.ok(errors[1].message.includes(notes) && /not a supported image/.test(errors[1].message));
    const results = messages.flatMap((m) => (m.type === 'result' ? [m] : []));
    assert.deepEqual(results.map((r) => [r.index, r.top.length, r.saliency]), [[0, 1, undefined], [3, 1, undefined]]);
    const done = messages.at(-1);
    assert.ok(done?.type === 'done' && done.classified === 2 && done.failed === 2);
  });

  test('a run whose model files are missing or corrupt is refused with the file named', async () => {
    const broken = join(dir, 'runs', 'broken-copy');
    cpSync(run.runDir, broken, { recursive: true });
    writeFileSync(join(broken, 'model', 'model.json'), '{"modelTopology": ');
    let messages = await inference.request({ type: 'classify', id: 3, runDir: broken, images: [run.testImages[0].path], topK: 3, saliency: true });
    let error = messages.find((m) => m.type === 'error');
    assert.ok(error?.type === 'error' && error.index === undefined);
    assert.ok(error.message.includes(join(broken, 'model', 'model.json')) && /not valid JSON/.test(error.message), error.message);
    rmSync(join(broken, 'model'), { recursive: true });
    messages = await inference.request({ type: 'classify', id: 4, runDir: broken, images: [run.testImages[0].path], topK: 3, saliency: true });
    error = messages.find((m) => m.type === 'error');
    assert.ok(error?.type === 'error' && /Model file not found: .*model\.json/.test(error.message), error?.message);
    assert.equal(messages.filter((m) => m.type === 'result').length, 0);
  });

  test('every message is validated: bad ones are answered with the reason and change nothing', async () => {
    const bad: Record<string, unknown>[] = [
      { type: 'classify', id: 10, runDir: run.runDir, images: 'a.png', topK: 5, saliency: false },
      { type: 'classify', id: 11, runDir: '', images: ['a.png'], topK: 5, saliency: false },
      { type: 'classify', id: 12, runDir: run.runDir, images: ['a.png', 7], topK: 5, saliency: false },
      { type: 'classify', id: 13, runDir: run.runDir, images: ['a.png'], topK: 0, saliency: false },
      { type: 'classify', id: 14, runDir: run.runDir, images: ['a.png'], topK: 5, saliency: 'yes' },
      { type: 'classify', id: 15, runDir: run.runDir, images: [], topK: 5, saliency: false },
      { type: 'explode', id: 16 },
      { type: 'classify', id: -1, runDir: run.runDir, images: ['a.png'], topK: 5, saliency: false },
    ];
    for (const message of bad) inference.send(message);
    const reasons = [/images must list/, /runDir must be/, /every image must be/, /topK must be/, /saliency must be/, /images must list/, /unknown message type "explode"/];
    for (let k = 0; k < reasons.length; k++) {
      const reply = await inference.waitFor((m) => m.type === 'error' && m.id === 10 + k);
      assert.ok(reply.type === 'error');
      assert.match(reply.message, /Ignored an invalid message/);
      assert.match(reply.message, reasons[k]);
    }
    await inference.waitFor((m) => m.type === 'error' && m.id === -1 && /id must be/.test(m.message));
    assert.equal(inference.messages.filter((m) => m.type !== 'error' && 'id' in m && m.id >= 10 && m.id <= 16).length, 0, 'nothing was classified');
    // Still alive and well.
    const messages = await inference.request({ type: 'classify', id: 20, runDir: run.runDir, images: [run.testImages[2].path], topK: 2, saliency: false });
    assert.equal(messages.filter((m) => m.type === 'result').length, 1);
  });

  test('a one-image request is answered while a long one runs; cancel stops the long one between batches', async () => {
    const images = Array.from({ length: 2_000 }, (_, i) => run.testImages[i % run.testImages.length].path);
    inference.send({ type: 'classify', id: 30, runDir: run.runDir, images, topK: 1, saliency: false });
    await inference.waitFor((m) => m.type === 'result' && m.id === 30);
    const quick = await inference.request({ type: 'classify', id: 31, runDir: run.runDir, images: [images[0]], topK: 1, saliency: true });
    assert.ok(quick.some((m) => m.type === 'result' && m.saliency !== undefined));
    assert.equal(inference.messages.filter((m) => m.type === 'done' && m.id === 30).length, 0, 'the explanation did not wait for the folder');
    inference.send({ type: 'cancel', id: 30 });
    const done = await inference.waitFor((m) => m.type === 'done' && m.id === 30);
    assert.ok(done.type === 'done' && done.cancelled && done.classified < 2_000, JSON.stringify(done));
  });

  test('names the libvips build it decodes photos with, once, in its output', async () => {
    // Photos stored sideways (EXIF orientation): libvips reads them, whatever their size.
    const photos = await Promise.all([0, 1].map(async (k) => {
      const path = join(dir, `sideways-${k}.jpg`);
      writeFileSync(path, await rotatedJpeg(twoBands(120 + k * 40, 200, [200, 40, 40], [40, 40, 200])));
      return path;
    }));
    for (const [k, photo] of photos.entries()) {
      const messages = await inference.request({ type: 'classify', id: 50 + k, runDir: run.runDir, images: [photo], topK: 1, saliency: false });
      assert.equal(messages.filter((m) => m.type === 'result').length, 1, JSON.stringify(messages));
    }
    // npm installed this platform's native build here; sharp's own report of it is what the line must say.
    const sharpVersions = sharp.versions as Record<string, string | undefined>;
    const expected = `Photos are decoded with libvips ${sharpVersions.vips} (native build for ${process.platform}-${process.arch}, sharp ${sharpVersions.sharp}).`;
    assert.deepEqual(inference.output.split('\n').filter((line) => line.includes('libvips')), [expected]);
  });

  test('the CLI gives the same probabilities as the inference process for the same images', async () => {
    const images = run.testImages.slice(0, 5).map((i) => i.path);
    const cli = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'classify', '--run', run.runDir, ...images, '--top', '4', '--json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const fromCli = cli.stdout.trim().split('\n').map((line) => JSON.parse(line) as { image: string; top: { label: string; probability: number }[] });
    const messages = await inference.request({ type: 'classify', id: 40, runDir: run.runDir, images, topK: 4, saliency: false });
    const fromProcess = messages.flatMap((m) => (m.type === 'result' ? [m] : []));
    assert.equal(fromCli.length, 5);
    fromCli.forEach((line, k) => {
      assert.equal(line.image, fromProcess[k].image);
      assert.deepEqual(line.top.map((t) => t.label), fromProcess[k].top.map((t) => t.label));
      line.top.forEach((t, c) => assert.ok(Math.abs(t.probability - fromProcess[k].top[c].probability) < 1e-5, `${line.image} ${t.label}`));
    });
  });
});
