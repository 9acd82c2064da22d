// Bundles each entry point on its own: the extension host entry, the trainer and inference processes,
// the CLI and the webview apps (dashboard and comparison; Classify Image; the dataset tab; the augmentation preview). TensorFlow.js stays external in the Node bundles so that the optional native
// backend (tfjs-node) and the wasm backend share one tfjs-core engine from node_modules.
import { build } from 'esbuild';
import { existsSync, mkdirSync, chmodSync, copyFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// sharp stays external too: it finds its libvips build (native for this platform, else wasm) at run time.
const nodeExternals = ['vscode', '@tensorflow/*', 'sharp'];

const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', platform: 'node', external: nodeExternals },
  { in: 'src/processes/trainer/trainerProcess.ts', out: 'dist/trainer.js', platform: 'node', external: nodeExternals },
  { in: 'src/cli/cli.ts', out: 'dist/cli.js', platform: 'node', external: nodeExternals, banner: '#!/usr/bin/env node' },
  { in: 'src/core/data/decodeWorker.ts', out: 'dist/decodeWorker.js', platform: 'node', external: nodeExternals },
  { in: 'src/core/train/replicas/replicaWorker.ts', out: 'dist/replicaWorker.js', platform: 'node', external: nodeExternals },
  { in: 'src/processes/inference/inferenceProcess.ts', out: 'dist/inference.js', platform: 'node', external: nodeExternals },
  { in: 'src/processes/inspect/inspectProcess.ts', out: 'dist/inspect.js', platform: 'node', external: nodeExternals },
  { in: 'src/processes/lrFinder/lrFinderProcess.ts', out: 'dist/lrFinder.js', platform: 'node', external: nodeExternals },
  { in: 'webview/dashboard/main.ts', out: 'dist/webview.js', platform: 'browser', external: [] },
  { in: 'webview/classify/main.ts', out: 'dist/classifyWebview.js', platform: 'browser', external: [] },
  { in: 'webview/sweep/main.ts', out: 'dist/sweepWebview.js', platform: 'browser', external: [] },
  { in: 'webview/runsTable/main.ts', out: 'dist/runsTableWebview.js', platform: 'browser', external: [] },
  { in: 'webview/dataset/main.ts', out: 'dist/datasetWebview.js', platform: 'browser', external: [] },
  { in: 'webview/augmentPreview/main.ts', out: 'dist/augmentPreviewWebview.js', platform: 'browser', external: [] },
  { in: 'webview/lrFinder/main.ts', out: 'dist/lrFinderWebview.js', platform: 'browser', external: [] },
].filter((e) => existsSync(e.in));

mkdirSync('dist', { recursive: true });
await Promise.all(entries.map((e) => build({
  entryPoints: [e.in],
  outfile: e.out,
  bundle: true,
  platform: e.platform,
  format: e.platform === 'node' ? 'cjs' : 'iife',
  target: e.platform === 'node' ? 'node20' : 'es2022',
  external: e.external,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  banner: e.banner ? { js: e.banner } : undefined,
})));
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
// The WebP decoder's wasm binary, read from beside the Node bundles (src/core/data/decodeWebp.ts).
copyFileSync('node_modules/@jsquash/webp/codec/dec/webp_dec.wasm', 'dist/webp_dec.wasm');
console.log(`built ${entries.map((e) => e.out).join(', ')}${watch ? ' (watch is not supported; rerun)' : ''}`);
