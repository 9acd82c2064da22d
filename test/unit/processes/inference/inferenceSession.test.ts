// The inference process's work when an explanation fails: the classification stands and the answer says
// why there is no heat map, so the result tab can end "Computing the heat map…" with the reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ImageClassifier } from '../../../../src/core/classify/imageClassifier';
import type { FromInference } from '../../../../src/protocol/inference';
import { InferenceSession } from '../../../../src/processes/inference/inferenceSession';
import { saliencyOutcome, NO_HEAT_MAP } from '../../../../src/extension/webviews/classify/saliencyOutcome';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let dir: string;
let image: string;

/** A loaded model whose prediction works and whose explanation fails, as Grad-CAM does on a model it cannot read. */
function classifierThatCannotExplain(): ImageClassifier {
  return {
    run: { id: 'run', name: 'shapes', summary: { epochs: 1 }, spec: { model: { kind: 'cnn' } } },
    classes: ['circle', 'cross'],
    inputShape: [32, 32, 3],
    predictPixels: (pixels: Uint8Array[]) => pixels.map(() => [0.25, 0.75]),
    explain: () => {
      throw new Error('Grad-CAM needs a convolution followed by a plain chain of layers');
    },
    dispose: () => undefined,
  } as unknown as ImageClassifier;
}

before(() => {
  dir = makeTempDir();
  image = writeFolderDataset(join(dir, 'images'), makeShapesDataset(2, 32, 3)).paths[0];
});
after(() => removeTempDir(dir));

describe('a heat map that cannot be computed', () => {
  test('the result keeps its classes and says why it has no heat map', async () => {
    const sent: FromInference[] = [];
    const session = new InferenceSession((message) => { sent.push(message); }, Promise.resolve(), { decodeWorkers: 0, loadClassifier: async () => classifierThatCannotExplain() });
    try {
      await session.classify({ type: 'classify', id: 7, runDir: join(dir, 'run'), images: [image], topK: 2, saliency: true });
    } finally {
      session.dispose();
    }
    const result = sent.find((m) => m.type === 'result');
    assert.ok(result?.type === 'result', JSON.stringify(sent));
    assert.deepEqual(result.top.map((c) => c.label), ['cross', 'circle']);
    assert.equal(result.saliency, undefined);
    assert.match(result.saliencyError ?? '', /^The heat map could not be computed: Grad-CAM needs a convolution/);
    assert.deepEqual(sent.at(-1), { ...sent.at(-1), type: 'done', classified: 1, failed: 0 });
    // What the tab then sends its page: the reason, which ends "Computing the heat map…".
    assert.deepEqual(saliencyOutcome(0, result), { type: 'saliency', index: 0, error: result.saliencyError });
  });

  test('an answer without a map and without a reason still ends the wait', () => {
    assert.deepEqual(saliencyOutcome(3, {}), { type: 'saliency', index: 3, error: NO_HEAT_MAP });
  });
});
