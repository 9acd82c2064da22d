// Backend selection: the native backend when it loads, else wasm with our gradient kernels.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';

const repoRoot = resolve(__dirname, '../../../..');

function nativeInstalled(): boolean {
  try {
    createRequire(__filename).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

const withoutNative = { skip: nativeInstalled() ? '@tensorflow/tfjs-node is installed here' : false };

describe('initBackend', () => {
  test("'auto' falls back to wasm with our kernels and says why", withoutNative, async () => {
    const info = await initBackend('auto');
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.native, false);
    assert.ok(info.threads >= 1);
    assert.match(info.description, /^wasm \((no )?SIMD, Classifier Lab gradient kernels\)$/);
    assert.match(info.fallbackReason ?? '', /@tensorflow\/tfjs-node is not installed/);
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined, 'conv nets can train');
  });

  test('repeated calls return the same info', async () => {
    const first = await initBackend('auto');
    const again = await Promise.all([initBackend('auto'), initBackend('auto')]);
    assert.equal(again[0], first);
    assert.equal(again[1], first);
    assert.equal(await initBackend('wasm'), await initBackend('wasm'));
  });

  test("'native' without tfjs-node fails with how to install it", withoutNative, async () => {
    await assert.rejects(initBackend('native'), /not installed.*npm install @tensorflow\/tfjs-node/s);
  });

  test("'cpu' is there for reference, and 'auto' switches back from it", async () => {
    const cpu = await initBackend('cpu');
    assert.equal(cpu.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.match(cpu.description, /too slow to train/);
    const auto = await initBackend('auto');
    assert.equal(tf.getBackend(), auto.name);
  });

  test('an unknown preference is refused', async () => {
    await assert.rejects(initBackend('gpu' as never), /Unknown backend preference 'gpu'/);
  });
});

describe('from an esbuild bundle, as dist/*.js runs', () => {
  // Initialises the backend, then trains one conv step, from a bundle run in another folder.
  const entrySource = `
    import * as tf from '@tensorflow/tfjs-core';
    import { initBackend } from ${JSON.stringify(join(repoRoot, 'src/core/backend/selectBackend'))};
    initBackend('auto').then((info) => {
      const x = tf.ones([2, 6, 6, 3]);
      const w = tf.variable(tf.ones([3, 3, 3, 4]));
      const grad = tf.grad((f) => tf.sum(tf.conv2d(x, f, 1, 'same')))(w);
      console.log(JSON.stringify({ name: info.name, backend: tf.getBackend(), gradSum: tf.sum(grad).dataSync()[0] }));
    });
  `;

  async function bundleAndRun(external: string[]): Promise<{ name: string; backend: string; gradSum: number }> {
    const artifacts = join(repoRoot, '.test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    const folder = mkdtempSync(join(artifacts, 'backend-bundle-'));
    try {
      writeFileSync(join(folder, 'entry.ts'), entrySource);
      await build({
        entryPoints: [join(folder, 'entry.ts')],
        outfile: join(folder, 'dist', 'cli.js'),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external,
        logLevel: 'silent',
      });
      const run = spawnSync(process.execPath, [join(folder, 'dist', 'cli.js')], {
        cwd: tmpdir(),
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 0, run.stderr.slice(0, 2000));
      return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { name: string; backend: string; gradSum: number };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  test('with @tensorflow/* external (the shipped layout) the wasm binaries are found', withoutNative, async () => {
    const result = await bundleAndRun(['@tensorflow/*']);
    // Each filter tap sees 5, 6 or 5 of the 6 rows (and columns) of a 'same' 3x3 convolution:
    // (5 + 6 + 5)^2 ones per tap, for 2 images, 3 input and 4 output channels.
    assert.deepEqual(result, { name: 'wasm', backend: 'wasm', gradSum: 2 * 3 * 4 * (5 + 6 + 5) ** 2 });
  });

  test('with the wasm backend bundled in, the binaries are still found in node_modules', withoutNative, async () => {
    const result = await bundleAndRun(['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu']);
    assert.equal(result.backend, 'wasm');
  });
});
