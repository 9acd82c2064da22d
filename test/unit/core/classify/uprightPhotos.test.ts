// A photo taken with the camera held sideways is trained on and classified upright: its pixels are
// stored turned and its EXIF orientation says how to turn them back. Two classes that differ only by
// which way the picture is turned ("red on top" against "red on the left") make it visible: read
// sideways, a "top" photo is a "left" one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageClassifier } from '../../../../src/core/classify/imageClassifier';
import { noAugmentation } from '../../../../src/core/data/augment';
import { runTraining } from '../../../../src/core/runTraining';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { plainJpeg, rotatedJpeg, twoBands, type RgbPixels } from '../../../fixtures/photoFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

/** The picture turned a quarter anticlockwise: what was on top is on the left. */
function turnedLeft(picture: RgbPixels): RgbPixels {
  const { width, height, data } = picture;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out.set(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3), ((width - 1 - x) * height + y) * 3);
  }
  return { width: height, height: width, data: out };
}

function redOnTop(variant: number): RgbPixels {
  return twoBands(240 + variant * 8, 320, [200 + variant * 4, 30, 30], [30, 30 + variant * 5, 200]);
}

describe('EXIF-rotated photos', () => {
  let dir: string;
  before(() => { dir = makeTempDir(); });
  after(() => removeTempDir(dir));

  test('are trained on upright and classified upright', async () => {
    const data = join(dir, 'photos');
    mkdirSync(join(data, 'top'), { recursive: true });
    mkdirSync(join(data, 'left'), { recursive: true });
    for (let i = 0; i < 8; i++) {
      // Half of the "top" training photos are stored sideways with the tag, as a phone writes them.
      writeFileSync(join(data, 'top', `${i}.jpg`), i % 2 === 0 ? await plainJpeg(redOnTop(i)) : await rotatedJpeg(redOnTop(i)));
      writeFileSync(join(data, 'left', `${i}.jpg`), await plainJpeg(turnedLeft(redOnTop(i))));
    }
    const outcome = await runTraining({
      spec: {
        data: { path: data, format: 'folder', imageSize: 16, valSplit: 0, cifar100Labels: 'fine' },
        model: { kind: 'cnn', options: { filters: [8], denseUnits: 8, dropout: 0 } },
        training: { ...defaultTrainingSpec(), epochs: 12, batchSize: 4, learningRate: 0.01 },
        augment: noAugmentation(),
      },
      runsDir: join(dir, 'runs'),
      backend: 'wasm',
    });
    assert.equal(outcome.status, 'completed', outcome.error);
    const classifier = await ImageClassifier.fromRun(outcome.runDir);
    try {
      const sideways = [];
      for (let i = 0; i < 4; i++) {
        const path = join(dir, `new-${i}.jpg`);
        writeFileSync(path, await rotatedJpeg(redOnTop(i + 1)));
        sideways.push(path);
      }
      const results = await classifier.classify(sideways, 1);
      assert.deepEqual(results.map((r) => r.top[0].label), ['top', 'top', 'top', 'top'], 'sideways photos of red-on-top pictures are "top"');
    } finally {
      classifier.dispose();
    }
  });
});
