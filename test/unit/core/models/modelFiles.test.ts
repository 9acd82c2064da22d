import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { createModel } from '../../../../src/core/models/createModel';
import { loadModelFromDir, ModelFileError, saveModelToDir } from '../../../../src/core/models/modelFiles';
import type { ImageShape, ModelSpec } from '../../../../src/core/runSpec';
import { probeBatch } from './probeBatch';

const BACKEND = 'wasm';

const smallSpecs: ModelSpec[] = [
  { kind: 'cnn', options: { filters: [4, 8], denseUnits: 8, dropout: 0.25 } },
  { kind: 'rnn', options: { cell: 'lstm', units: [6, 5], dropout: 0.1 } },
  { kind: 'rnn', options: { cell: 'gru', units: [6], dropout: 0 } },
  { kind: 'attention', options: { patchSize: 4, embedDim: 8, depth: 2, heads: 2, mlpDim: 16, dropout: 0.1 } },
];
const shape: ImageShape = [12, 12, 3];

function predict(model: tfl.LayersModel): Float32Array {
  return tf.tidy(() => (model.predict(probeBatch(shape)) as tf.Tensor).dataSync() as Float32Array);
}

function describeSpec(spec: ModelSpec): string {
  return spec.kind === 'rnn' ? `${spec.kind} (${spec.options.cell})` : spec.kind;
}

describe('saveModelToDir / loadModelFromDir', () => {
  let root = '';
  before(async () => {
    await initBackend(BACKEND);
    root = await fs.mkdtemp(join(tmpdir(), 'classifier-lab-model-files-'));
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  for (const spec of smallSpecs) {
    test(`a ${describeSpec(spec)} model predicts exactly the same after a round trip`, async () => {
      const model = createModel(spec, shape, 5);
      const dir = join(root, `round-trip-${describeSpec(spec)}`);
      await saveModelToDir(model, dir);
      const loaded = await loadModelFromDir(dir);
      assert.deepEqual(predict(loaded), predict(model));
      assert.equal(loaded.countParams(), model.countParams());
      assert.deepEqual(loaded.layers.map((l) => l.getClassName()), model.layers.map((l) => l.getClassName()));
      model.dispose();
      loaded.dispose();
    });
  }

  test('writes the tfjs layers-model files: model.json with a weights manifest, and weights.bin', async () => {
    const model = createModel(smallSpecs[3], shape, 5);
    const dir = join(root, 'layout');
    await saveModelToDir(model, dir);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['model.json', 'weights.bin']);
    const json = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.match(json.generatedBy, /^TensorFlow\.js tfjs-layers v/);
    assert.equal(json.modelTopology.class_name, 'Model');
    assert.equal(json.weightsManifest.length, 1);
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    const specs = json.weightsManifest[0].weights as { name: string; shape: number[]; dtype: string }[];
    assert.ok(specs.some((w) => w.name === 'block1_norm1/gamma'));
    const floats = specs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(floats, model.countParams());
    assert.equal((await fs.stat(join(dir, 'weights.bin'))).size, 4 * floats);
    assert.equal(json.trainingConfig, undefined);
    model.dispose();
  });

  test('a model with custom layers loads in a fresh process', async () => {
    const model = createModel(smallSpecs[3], shape, 5);
    const dir = join(root, 'fresh-process');
    await saveModelToDir(model, dir);
    const helper = join(__dirname, 'predictFromModelDir.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', helper, dir, BACKEND], { timeout: 60_000 });
    const theirs = JSON.parse(stdout) as number[];
    const ours = predict(model);
    assert.equal(theirs.length, ours.length);
    theirs.forEach((v, i) => assert.ok(Math.abs(v - ours[i]) < 1e-6, `${v} vs ${ours[i]}`));
    model.dispose();
  });

  test('with includeOptimizer, Adam\'s state comes back and training resumes exactly', async () => {
    // No dropout: the continued steps must be deterministic to compare.
    const model = createModel({ kind: 'attention', options: { patchSize: 4, embedDim: 8, depth: 1, heads: 2, mlpDim: 16, dropout: 0 } }, shape, 5);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = probeBatch(shape);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    const dir = join(root, 'with-optimizer');
    await saveModelToDir(model, dir, { includeOptimizer: true });
    const json = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.trainingConfig.optimizer_config.class_name, 'Adam');

    const resumed = await loadModelFromDir(dir);
    assert.ok(resumed.optimizer, 'the loaded model is compiled');
    const saved = await model.optimizer.getWeights();
    const restored = await resumed.optimizer.getWeights();
    assert.equal(restored.length, saved.length);
    assert.equal(restored[0].name, 'iter');
    assert.equal(restored[0].tensor.dataSync()[0], 3);
    restored.forEach((w, i) => assert.deepEqual(w.tensor.dataSync(), saved[i].tensor.dataSync(), w.name));

    // One more step on each: identical weights only if the moments were restored.
    await model.trainOnBatch(x, y);
    await resumed.trainOnBatch(x, y);
    assert.deepEqual(predict(resumed), predict(model));
    tf.dispose([x, y]);
    model.dispose();
    resumed.dispose();
  });

  test('saving leaves no tensors behind, with or without the optimizer', async () => {
    const model = createModel(smallSpecs[0], shape, 5);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = probeBatch(shape);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    await saveModelToDir(model, join(root, 'no-leak'), { includeOptimizer: true });
    await saveModelToDir(model, join(root, 'no-leak'));
    assert.equal(tf.memory().numTensors, before);
    // The weights survived the save.
    assert.equal(predict(model).length, 20);
    tf.dispose([x, y]);
    model.dispose();
  });

  test('without includeOptimizer, only the model weights are written', async () => {
    const model = createModel(smallSpecs[0], shape, 5);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const dir = join(root, 'without-optimizer');
    await saveModelToDir(model, dir);
    assert.equal((await fs.stat(join(dir, 'weights.bin'))).size, 4 * model.countParams());
    model.dispose();
  });

  test('saving again replaces the folder, leaving no temporary files', async () => {
    const first = createModel(smallSpecs[0], shape, 5);
    const second = createModel(smallSpecs[0], shape, 5);
    const dir = join(root, 'replaced', 'model');
    await saveModelToDir(first, dir);
    await saveModelToDir(second, dir);
    assert.deepEqual(await fs.readdir(join(root, 'replaced')), ['model']);
    const loaded = await loadModelFromDir(dir);
    assert.deepEqual(predict(loaded), predict(second));
    [first, second, loaded].forEach((m) => m.dispose());
  });

  test('loads the layouts other tfjs writers produce: compact JSON, "./" paths, several weight shards', async () => {
    const model = createModel(smallSpecs[3], shape, 5);
    const saved = join(root, 'sharded-source');
    await saveModelToDir(model, saved);
    const json = JSON.parse(await fs.readFile(join(saved, 'model.json'), 'utf8'));
    const weights = await fs.readFile(join(saved, 'weights.bin'));
    const dir = join(root, 'sharded');
    await fs.mkdir(dir);
    const cut = 1000;
    await fs.writeFile(join(dir, 'group1-shard1of2.bin'), weights.subarray(0, cut));
    await fs.writeFile(join(dir, 'group1-shard2of2.bin'), weights.subarray(cut));
    json.weightsManifest[0].paths = ['./group1-shard1of2.bin', 'group1-shard2of2.bin'];
    await fs.writeFile(join(dir, 'model.json'), JSON.stringify(json));
    const loaded = await loadModelFromDir(dir);
    assert.deepEqual(predict(loaded), predict(model));
    model.dispose();
    loaded.dispose();
  });

  // Keras' default recurrent initializer cannot run here (it needs tfjs' chained tensor methods), but
  // a loaded model never runs initializers: its weights come from the file.
  test('loads recurrent layers saved with Keras\' default orthogonal initializer', async () => {
    const model = createModel(smallSpecs[1], shape, 5);
    const dir = join(root, 'orthogonal');
    await saveModelToDir(model, dir);
    const text = await fs.readFile(join(dir, 'model.json'), 'utf8');
    const orthogonal = '"recurrent_initializer":{"class_name":"Orthogonal","config":{"gain":1,"seed":null}}';
    const patched = text.replace(/"recurrent_initializer":\{"class_name":"VarianceScaling","config":\{[^}]*\}\}/g, orthogonal);
    assert.equal(patched.split('"Orthogonal"').length - 1, 2);
    await fs.writeFile(join(dir, 'model.json'), patched);
    const loaded = await loadModelFromDir(dir);
    assert.deepEqual(predict(loaded), predict(model));
    model.dispose();
    loaded.dispose();
  });

  test('a model folder a crash left mid-swap (only its complete replacement on disk) still loads', async () => {
    const model = createModel(smallSpecs[0], shape, 5);
    const saved = join(root, 'mid-swap-source');
    await saveModelToDir(model, saved);
    // The swap renamed the old folder aside and died before renaming the new one into place.
    await fs.rename(saved, join(root, '.mid-swap.4242.0badc0de.next'));
    const loaded = await loadModelFromDir(join(root, 'mid-swap'));
    assert.deepEqual(predict(loaded), predict(model));
    model.dispose();
    loaded.dispose();
  });

  describe('a damaged model folder gives an error naming the file', () => {
    let good = '';
    before(async () => {
      const model = createModel(smallSpecs[0], shape, 5);
      good = join(root, 'good');
      await saveModelToDir(model, good);
      model.dispose();
    });

    async function damaged(name: string, damage: (dir: string) => Promise<void>): Promise<string> {
      const dir = join(root, name);
      await fs.cp(good, dir, { recursive: true });
      await damage(dir);
      return dir;
    }

    async function assertLoadFails(dir: string, message: RegExp): Promise<void> {
      await assert.rejects(loadModelFromDir(dir), (error: Error) => {
        assert.ok(error instanceof ModelFileError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
    }

    test('missing folder or model.json', async () => {
      await assertLoadFails(join(root, 'no-such-folder'), /Model file not found: .*no-such-folder.model\.json/);
      await assertLoadFails(await damaged('no-json', (dir) => fs.rm(join(dir, 'model.json'))), /not found: .*model\.json/);
    });

    test('model.json cut short or not JSON', async () => {
      const truncated = await damaged('truncated-json', async (dir) => {
        const text = await fs.readFile(join(dir, 'model.json'), 'utf8');
        await fs.writeFile(join(dir, 'model.json'), text.slice(0, text.length / 2));
      });
      await assertLoadFails(truncated, /truncated-json.model\.json is not valid JSON/);
      await assertLoadFails(await damaged('array-json', (dir) => fs.writeFile(join(dir, 'model.json'), '[1, 2]')), /model\.json is not a TensorFlow\.js model/);
      await assertLoadFails(await damaged('no-manifest', async (dir) => {
        const json = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
        delete json.weightsManifest;
        await fs.writeFile(join(dir, 'model.json'), JSON.stringify(json));
      }), /model\.json has no valid weightsManifest/);
    });

    test('weights.bin missing, short or too long', async () => {
      await assertLoadFails(await damaged('no-weights', (dir) => fs.rm(join(dir, 'weights.bin'))), /not found: .*weights\.bin/);
      const short = await damaged('short-weights', async (dir) => {
        const bytes = await fs.readFile(join(dir, 'weights.bin'));
        await fs.writeFile(join(dir, 'weights.bin'), bytes.subarray(0, bytes.length - 4));
      });
      await assertLoadFails(short, /weights\.bin is too short/);
      const long = await damaged('long-weights', (dir) => fs.appendFile(join(dir, 'weights.bin'), Buffer.alloc(8)));
      await assertLoadFails(long, /weights\.bin is longer than expected/);
    });

    test('a weights path outside the folder', async () => {
      const dir = await damaged('escaping-path', async (d) => {
        const json = JSON.parse(await fs.readFile(join(d, 'model.json'), 'utf8'));
        json.weightsManifest[0].paths = ['../good/weights.bin'];
        await fs.writeFile(join(d, 'model.json'), JSON.stringify(json));
      });
      await assertLoadFails(dir, /outside its folder: \.\.\/good\/weights\.bin/);
    });

    test('a topology asking for far more weights than its manifest is refused before anything is allocated', async () => {
      const dir = await damaged('huge-dense', async (d) => {
        const json = JSON.parse(await fs.readFile(join(d, 'model.json'), 'utf8'));
        const layers = (json.modelTopology.model_config ?? json.modelTopology).config.layers as { class_name: string; config: { units?: number } }[];
        const dense = layers.find((layer) => layer.class_name === 'Dense');
        assert.ok(dense, 'the CNN has a Dense layer');
        dense.config.units = 8_000_000;
        await fs.writeFile(join(d, 'model.json'), JSON.stringify(json));
      });
      const tensorsBefore = tf.memory().numTensors;
      const rssBefore = process.memoryUsage().rss;
      await assertLoadFails(dir, /huge-dense.model\.json describes a model that cannot be rebuilt: its layer "dense" asks for a weight "kernel" of shape \[\d+, 8000000\]/);
      const grown = process.memoryUsage().rss - rssBefore;
      assert.ok(grown < 200 * 1024 * 1024, `loading grew the process by ${(grown / 1e6).toFixed(0)} MB`);
      assert.equal(tf.memory().numTensors, tensorsBefore, 'no weights of the refused model are left behind');
    });

    test('oversized model files are refused by their size', async () => {
      const bigJson = await damaged('big-json', async (d) => {
        await fs.writeFile(join(d, 'model.json'), '{');
        await fs.truncate(join(d, 'model.json'), 5 * 1024 * 1024);
      });
      await assertLoadFails(bigJson, /big-json.model\.json is 5\.0 MiB, more than the 4 MiB such a file may be/);
      const bigWeights = await damaged('big-weights', (d) => fs.truncate(join(d, 'weights.bin'), 300 * 1024 * 1024));
      await assertLoadFails(bigWeights, /weights of .*big-weights.model\.json are larger than 256 MiB/);
    });

    test('a topology naming an unknown layer class', async () => {
      const dir = await damaged('unknown-layer', async (d) => {
        const text = await fs.readFile(join(d, 'model.json'), 'utf8');
        await fs.writeFile(join(d, 'model.json'), text.replace('"class_name":"Conv2D"', '"class_name":"Conv9D"'));
      });
      await assertLoadFails(dir, /unknown-layer.model\.json describes a model that cannot be rebuilt: .*Conv9D/);
    });
  });
});
