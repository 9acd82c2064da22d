// The extension host must never load TensorFlow.js (training happens in trainer processes): bundle
// the extension entry as the build does and check what it would require.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const repoRoot = resolve(__dirname, '../../..');

describe('the extension bundle', () => {
  test('requires no @tensorflow package, directly or through anything it imports', async () => {
    const result = await build({
      entryPoints: [resolve(repoRoot, 'src/extension/extension.ts')],
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, metafile: true, logLevel: 'silent',
      external: ['vscode', '@tensorflow/*'],
    });
    const code = result.outputFiles[0].text;
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    assert.ok(required.includes('vscode'), 'the bundle was not built from the extension entry');
    assert.deepEqual(required.filter((name) => name.startsWith('@tensorflow')), []);
    const tfInputs = Object.keys(result.metafile.inputs).filter((path) => path.includes('@tensorflow') || path.includes('src/core/backend/'));
    assert.deepEqual(tfInputs, []);
  });
});
