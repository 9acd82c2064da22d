// Installing the native backend with npm: a clear reason when it cannot (no npm, offline, the TensorFlow
// library's download blocked), and the trainer finding a backend installed into its own folder.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  hasNativeBackend, installNativeBackend, NATIVE_BACKEND_DIR_ENV, NativeInstallError,
} from '../../../src/core/nativeBackendInstall';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

const root = makeTempDir();
after(() => removeTempDir(root));

/** An executable standing in for npm: prints `output` on stderr and exits with `code`. */
function fakeNpm(name: string, output: string, code: number, script = ''): string {
  const path = join(root, name);
  writeFileSync(path, `#!/usr/bin/env node\nprocess.stderr.write(${JSON.stringify(output)});\n${script}\nprocess.exit(${code});\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('installing the native backend', () => {
  test('no npm on the machine: says npm is needed and that training stays on WebAssembly', async () => {
    await assert.rejects(
      installNativeBackend({ dir: join(root, 'a'), npm: join(root, 'no-such-npm') }),
      (error: unknown) => error instanceof NativeInstallError && /npm was not found/.test(error.message) && /WebAssembly/.test(error.message),
    );
  });

  test('offline: the registry cannot be reached', async () => {
    const npm = fakeNpm('npm-offline', 'npm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org/@tensorflow%2ftfjs-node failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org\n', 1);
    const lines: string[] = [];
    await assert.rejects(
      installNativeBackend({ dir: join(root, 'b'), npm, onOutput: (line) => lines.push(line) }),
      (error: unknown) => error instanceof NativeInstallError && /could not reach the package registry/.test(error.message)
        && /ENOTFOUND/.test(error.log),
    );
    assert.ok(lines.some((line) => line.includes('ENOTFOUND')), 'npm output is passed on line by line');
    assert.equal(hasNativeBackend(join(root, 'b')), false);
  });

  test('the TensorFlow C library download is blocked (what happens on a firewalled machine)', async () => {
    const npm = fakeNpm('npm-blocked', [
      'npm error path /x/node_modules/@tensorflow/tfjs-node',
      'npm error command failed',
      'npm error command sh -c node scripts/install.js',
      'npm error * Downloading libtensorflow',
      'npm error Error: getaddrinfo EAI_AGAIN storage.googleapis.com',
    ].join('\n'), 1);
    await assert.rejects(
      installNativeBackend({ dir: join(root, 'c'), npm }),
      (error: unknown) => error instanceof NativeInstallError && /could not download the TensorFlow C library/.test(error.message),
    );
  });

  test('a backend installed into its own folder is found and used by the trainer', async () => {
    const dir = join(root, 'installed');
    const tfjsCore = resolve(require.resolve('@tensorflow/tfjs-core'));
    const cpuBackend = resolve(require.resolve('@tensorflow/tfjs-backend-cpu'));
    // A stand-in for @tensorflow/tfjs-node: registers a backend named 'tensorflow' (the cpu kernels under that name).
    const packageDir = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    const index = [
      `const tf = require(${JSON.stringify(tfjsCore)});`,
      `const { MathBackendCPU } = require(${JSON.stringify(cpuBackend)});`,
      "for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });",
      "tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);",
    ].join('\n');
    const npm = fakeNpm('npm-ok', 'added 1 package\n', 0, `
      const fs = require('node:fs');
      fs.mkdirSync(${JSON.stringify(packageDir)}, { recursive: true });
      fs.writeFileSync(${JSON.stringify(join(packageDir, 'package.json'))}, '{"name":"@tensorflow/tfjs-node","main":"index.js"}');
      fs.writeFileSync(${JSON.stringify(join(packageDir, 'index.js'))}, ${JSON.stringify(index)});`);
    await installNativeBackend({ dir, npm });
    assert.equal(hasNativeBackend(dir), true);
    const selectBackend = resolve(__dirname, '../../../src/core/backend/selectBackend.ts');
    const probe = `
      const tf = require('@tensorflow/tfjs-core');
      const { initBackend } = require(${JSON.stringify(selectBackend)});
      initBackend('native').then((info) => {
        const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
        console.log(JSON.stringify({ name: info.name, native: info.native, active: tf.getBackend(), sum: Array.from(sum) }));
      });`;
    const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], {
      encoding: 'utf8', env: { ...process.env, ...env }, cwd: resolve(__dirname, '../../..'),
    });
    const found = run({ [NATIVE_BACKEND_DIR_ENV]: dir });
    assert.equal(found.status, 0, found.stderr);
    assert.deepEqual(JSON.parse(found.stdout.trim().split('\n').at(-1)!), { name: 'tensorflow', native: true, active: 'tensorflow', sum: [4, 6] });
    const missing = run({ [NATIVE_BACKEND_DIR_ENV]: join(root, 'empty') });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /native TensorFlow backend is not available: @tensorflow\/tfjs-node is not installed/);
    mkdirSync(join(root, 'empty'), { recursive: true });
  });
});
