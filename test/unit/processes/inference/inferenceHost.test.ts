// The extension's side of the inference process: one warm process serves consecutive requests, goes
// away when idle, and a dead process or an unusable model fails the request with a reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InferenceError, InferenceHost, type InferenceResult } from '../../../../src/processes/inference/inferenceHost';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { trainShapesRun, type TrainedRun } from '../../../fixtures/trainedRun';
import { isProcessAlive } from '../../../../src/core/runs/reconcileStatus';

const repo = resolve(__dirname, '../../../..');
const script = join(repo, 'dist', 'inference.js');


async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

let dir: string;
let run: TrainedRun;

before(async () => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  dir = makeTempDir();
  run = await trainShapesRun(dir, { epochs: 2, count: 120 });
}, { timeout: 240_000 });

after(() => removeTempDir(dir));

describe('InferenceHost', () => {
  test('refuses malformed and unknown messages from the process with a log line each, and still completes the request', async () => {
    // A stand-in process: answers every classify with garbage first, then a proper answer.
    const garbage = [
      null, 3, 'result', {}, { type: 'explode', id: 1 }, { type: 'model', id: 1, model: { runId: 1 } },
      { type: 'result', id: 1, index: 0, image: 'a.png', top: [{ label: 'x', probability: 7 }] },
      { type: 'result', id: 1, index: 0, image: 'a.png', top: [], saliency: { values: 'hot' } },
      { type: 'done', id: 1, classified: 'all' }, { type: 'ready' },
    ];
    const fake = join(dir, 'fake-inference.cjs');
    writeFileSync(fake, `process.on('message', (m) => {
  if (m.type !== 'classify') return;
  for (const g of ${JSON.stringify(garbage)}) process.send(g);
  process.send({ type: 'model', id: m.id, model: { runId: 'r', runName: 'n', runDir: m.runDir, classes: ['a', 'b'], inputShape: [8, 8, 1], modelKind: 'resnet', trainAccuracy: 0.9 } });
  process.send({ type: 'result', id: m.id, index: 0, image: m.images[0], top: [{ label: 'b', probability: 0.75 }], saliencyError: 'The heat map could not be computed: no.' });
  process.send({ type: 'done', id: m.id, classified: 1, failed: 0, cancelled: false, elapsedMs: 1 });
});
process.on('disconnect', () => process.exit(0));
`);
    const lines: string[] = [];
    const host = new InferenceHost({ script: fake, onLog: (line) => lines.push(line) });
    try {
      const results: InferenceResult[] = [];
      let modelKind: string | undefined;
      const done = await host.classify({ runDir: '/runs/r', images: ['a.png'], topK: 1, saliency: true }, {
        onModel: (model) => { modelKind = model.modelKind; },
        onResult: (result) => results.push(result),
      });
      assert.equal(done.classified, 1);
      assert.equal(modelKind, 'resnet', 'a resnet run\'s model is a model like any other');
      assert.deepEqual(results.map((r) => r.saliencyError), ['The heat map could not be computed: no.']);
      assert.equal(lines.filter((line) => /Ignored an invalid message from the inference process/.test(line)).length, garbage.length, lines.join('\n'));
    } finally {
      host.dispose();
    }
  });

  test('one warm process answers consecutive requests, then exits once idle', async () => {
    const host = new InferenceHost({ script, idleMs: 400 });
    try {
      const results: InferenceResult[] = [];
      let classes: string[] = [];
      const images = run.testImages.slice(0, 3).map((i) => i.path);
      const first = await host.classify({ runDir: run.runDir, images, topK: 2, saliency: true }, {
        onModel: (model) => { classes = model.classes; },
        onResult: (result) => results.push(result),
      });
      assert.equal(first.classified, 3);
      assert.deepEqual(classes, ['circle', 'cross', 'horizontal', 'vertical']);
      assert.deepEqual(results.map((r) => r.index), [0, 1, 2]);
      assert.ok(results.every((r) => r.top.length === 2 && r.saliency?.values.length === 32));
      const pid = host.pid;
      assert.ok(pid !== undefined && isProcessAlive(pid));
      assert.match(host.backendDescription ?? '', /wasm|tensorflow/);

      const second = await host.classify({ runDir: run.runDir, images: images.slice(0, 1), topK: 1, saliency: false });
      assert.equal(second.classified, 1);
      assert.equal(host.pid, pid, 'the same process answered: it stayed warm');

      await waitUntil(() => !isProcessAlive(pid));
      assert.equal(host.pid, undefined);
      const third = await host.classify({ runDir: run.runDir, images: images.slice(0, 1), topK: 1, saliency: false });
      assert.equal(third.classified, 1, 'a new process starts when needed');
      assert.notEqual(host.pid, pid);
    } finally {
      host.dispose();
    }
  });

  test('per-image failures reach the handler; an unusable model rejects the request naming the file', async () => {
    const host = new InferenceHost({ script });
    try {
      const errors: string[] = [];
      const done = await host.classify({ runDir: run.runDir, images: [join(dir, 'nope.png')], topK: 1, saliency: false }, {
        onImageError: (error) => errors.push(error.message),
      });
      assert.equal(done.failed, 1);
      assert.match(errors[0], /nope\.png: no such file/);
      await assert.rejects(
        host.classify({ runDir: join(dir, 'runs', 'no-such-run'), images: [run.testImages[0].path], topK: 1, saliency: false }),
        (error: Error) => error instanceof InferenceError && /no-such-run/.test(error.message),
      );
    } finally {
      host.dispose();
    }
  });

  test('a process that dies fails the request in flight; an abort cancels the rest of a request', async () => {
    const host = new InferenceHost({ script });
    try {
      const many = Array.from({ length: 3_000 }, (_, i) => run.testImages[i % run.testImages.length].path);
      const controller = new AbortController();
      let seen = 0;
      const cancelled = await host.classify({ runDir: run.runDir, images: many, topK: 1, saliency: false }, {
        onResult: () => {
          seen += 1;
          if (seen === 1) controller.abort();
        },
      }, controller.signal);
      assert.ok(cancelled.cancelled && cancelled.classified < many.length);

      const dying = host.classify({ runDir: run.runDir, images: many, topK: 1, saliency: false }, {
        onResult: () => {
          if (host.pid !== undefined) process.kill(host.pid, 'SIGKILL');
        },
      });
      await assert.rejects(dying, (error: Error) => error instanceof InferenceError && /was killed \(SIGKILL\)/.test(error.message));
      const after = await host.classify({ runDir: run.runDir, images: many.slice(0, 2), topK: 1, saliency: false });
      assert.equal(after.classified, 2, 'the next request starts a fresh process');
    } finally {
      host.dispose();
    }
  });
});
