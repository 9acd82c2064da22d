// Classifying a large folder on every core: the prediction threads give the same classes and
// probabilities as the one-thread path, image by image, through the inference session's batches.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageClassifier } from '../../../../src/core/classify/imageClassifier';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { InferenceSession, PARALLEL_MIN_IMAGES } from '../../../../src/processes/inference/inferenceSession';
import type { FromInference } from '../../../../src/protocol/inference';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { trainShapesRun, type TrainedRun } from '../../../fixtures/trainedRun';

let dir: string;
let run: TrainedRun;

before(async () => {
  await initBackend('wasm');
  dir = makeTempDir();
  run = await trainShapesRun(dir, { epochs: 4, count: 240 });
}, { timeout: 240_000 });

after(() => removeTempDir(dir));

type Result = Extract<FromInference, { type: 'result' }>;

/** Every result of one request through a session predicting on `threads` threads. */
async function classifyAll(images: string[], threads: number): Promise<{ results: Result[]; done: FromInference }> {
  const messages: FromInference[] = [];
  const session = new InferenceSession((m) => { messages.push(m); }, Promise.resolve(), { predictThreads: threads });
  try {
    await session.classify({ type: 'classify', id: 1, runDir: run.runDir, images, topK: 5, saliency: false });
  } finally {
    session.dispose();
  }
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done, 'the request ended');
  return { results: messages.flatMap((m) => (m.type === 'result' ? [m] : [])), done };
}

describe('classifying a large folder on several threads', () => {
  test('the prediction threads start and agree with this thread, image by image', async () => {
    const classifier = await ImageClassifier.fromRun(run.runDir);
    try {
      const pixels = await Promise.all(run.testImages.slice(0, 40).map((image) => classifier.preprocess(image.path)));
      const predictor = await classifier.parallelPredictor(2, 'wasm');
      try {
        assert.equal(predictor.threads, 2, 'two prediction threads started');
        const parallel = await predictor.predictPixels(pixels);
        const local = classifier.predictPixels(pixels);
        assert.equal(parallel.length, pixels.length);
        parallel.forEach((row, i) => row.forEach((p, c) => assert.ok(Math.abs(p - local[i][c]) < 1e-5, `image ${i} class ${c}: ${p} vs ${local[i][c]}`)));
      } finally {
        await predictor.dispose();
      }
    } finally {
      classifier.dispose();
    }
  });

  test(`a request of ${PARALLEL_MIN_IMAGES}+ images gives every image the result one thread gives, with unreadable files still named`, async () => {
    const images = Array.from({ length: PARALLEL_MIN_IMAGES + 88 }, (_, i) => run.testImages[i % run.testImages.length].path);
    images[77] = `${dir}/missing.png`;
    const one = await classifyAll(images, 1);
    const two = await classifyAll(images, 2);
    assert.equal(two.results.length, images.length - 1);
    assert.ok(two.done.type === 'done' && two.done.failed === 1 && two.done.classified === images.length - 1, JSON.stringify(two.done));
    const byIndex = new Map(one.results.map((r) => [r.index, r]));
    for (const r of two.results) {
      const reference = byIndex.get(r.index);
      assert.ok(reference, `image ${r.index} classified by one thread too`);
      assert.deepEqual(r.top.map((t) => t.label), reference.top.map((t) => t.label), `image ${r.index}`);
      r.top.forEach((t, k) => assert.ok(Math.abs(t.probability - reference.top[k].probability) < 1e-5, `image ${r.index}`));
    }
    // The model learned the shapes (five classes: chance is 20%), and the threads report what it learned.
    const label = new Map(run.testImages.map((image) => [image.path, image.label]));
    const right = two.results.filter((r) => r.top[0].label === label.get(r.image)).length;
    assert.ok(right / two.results.length > 0.4, `accuracy ${right / two.results.length}`);
  });
});
