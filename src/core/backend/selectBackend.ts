// Picks and prepares the TensorFlow.js backend: the native TensorFlow library (tfjs-node) when it
// loads, else the wasm backend with our gradient kernels. The rest of the engine imports
// @tensorflow/tfjs-core and tfjs-layers directly; every backend registers with that one global engine.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// tfjs-core's CommonJS build registers no gradient functions; tfjs-layers' build registers them
// all when it loads. Without them tf.grads / optimizer.minimize fail on any backend.
import '@tensorflow/tfjs-layers';
import { NATIVE_BACKEND_DIR_ENV } from './nativeBackendInstall';
import { registerWasmGradientKernels } from './wasmGradientKernels';

/** 'cpu' is the pure-JS reference backend, for tests only: it trains conv nets at ~1 image/s. */
export type BackendPreference = 'auto' | 'native' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tf.getBackend(): 'tensorflow' | 'wasm' | 'cpu'. */
  name: string;
  /** True for the native TensorFlow library (tfjs-node). */
  native: boolean;
  /** The kernels are vectorised: wasm SIMD128, or the native library's own CPU builds. */
  simd: boolean;
  /** Threads the kernels run on (wasm runs one thread in Node). */
  threads: number;
  /** One line for logs and the UI, e.g. "wasm (SIMD, Classifier Lab gradient kernels)". */
  description: string;
  /** Set when 'auto' fell back from the native backend: why it did not load. */
  fallbackReason?: string;
}

const NATIVE_PACKAGE = '@tensorflow/tfjs-node';
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const INSTALL_HINT = `install it with \`npm install ${NATIVE_PACKAGE}\` (it downloads the TensorFlow C library ` +
  'when it installs), or use the wasm backend';

// Resolves packages from wherever this code lives: src/ under tsx, or dist/*.js once bundled
// (@tensorflow/* stays external, in node_modules beside dist/).
const requireHere = createRequire(__filename);

const prepared = new Map<BackendPreference, Promise<BackendInfo>>();

/**
 * Makes the preferred backend the active one and says what it is. Repeated calls with the same
 * preference return the same info (and re-activate that backend if another one was set since).
 */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  let pending = prepared.get(preference);
  if (pending === undefined) {
    pending = prepare(preference).then((info) => Object.freeze(info));
    prepared.set(preference, pending);
    // A failed attempt is not remembered, so a caller may retry (say, after installing tfjs-node).
    pending.catch(() => prepared.delete(preference));
  }
  const info = await pending;
  if (tf.getBackend() !== info.name) await activate(info.name);
  return info;
}

async function prepare(preference: BackendPreference): Promise<BackendInfo> {
  switch (preference) {
    case 'auto': {
      const native = await tryNative();
      if (native.info !== undefined) return native.info;
      return { ...(await prepareWasm()), fallbackReason: native.reason };
    }
    case 'native': {
      const native = await tryNative();
      if (native.info !== undefined) return native.info;
      throw new Error(`The native TensorFlow backend is not available: ${native.reason}. To use it, ${INSTALL_HINT}.`);
    }
    case 'wasm':
      return prepareWasm();
    case 'cpu':
      return prepareCpu();
    default:
      throw new Error(`Unknown backend preference '${String(preference)}' (expected auto, native, wasm or cpu).`);
  }
}

type NativeAttempt = { info: BackendInfo; reason?: undefined } | { info?: undefined; reason: string };

/**
 * Where the native backend may be: beside the engine's own packages (a developer's `npm install`), or
 * in the folder the "Install Native Backend" command installed it into (NATIVE_BACKEND_DIR_ENV). A copy of
 * tfjs-core loaded from that folder shares this one's engine and kernel registry (tfjs keeps both global).
 */
function resolveNative(): string | undefined {
  try {
    return requireHere.resolve(NATIVE_PACKAGE);
  } catch {
    const dir = process.env[NATIVE_BACKEND_DIR_ENV];
    if (!dir) return undefined;
    try {
      return requireHere.resolve(NATIVE_PACKAGE, { paths: [dir] });
    } catch {
      return undefined;
    }
  }
}

async function tryNative(): Promise<NativeAttempt> {
  const path = resolveNative();
  if (path === undefined) return { reason: `${NATIVE_PACKAGE} is not installed` };
  try {
    // Loading it registers the 'tensorflow' backend with the shared engine.
    requireHere(path);
    await activate('tensorflow');
  } catch (error) {
    return { reason: `${NATIVE_PACKAGE} failed to load (${firstLine(error)})` };
  }
  const threads = cpus().length;
  return {
    info: {
      name: 'tensorflow',
      native: true,
      simd: true,
      threads,
      description: `tensorflow (native TensorFlow library, ${plural(threads, 'thread')})`,
    },
  };
}

async function prepareWasm(): Promise<BackendInfo> {
  registerWasmGradientKernels();
  pointWasmAtItsBinaries();
  await activate('wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = getThreadsCount();
  // Its kernels run on one thread in Node; a run's training threads (replicas) are counted separately.
  const features = [simd ? 'SIMD' : 'no SIMD', 'Classifier Lab gradient kernels'];
  return { name: 'wasm', native: false, simd, threads, description: `wasm (${features.join(', ')})` };
}

async function prepareCpu(): Promise<BackendInfo> {
  // Loaded only on request: registering it would make it a silent fallback for the engine.
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return {
    name: 'cpu',
    native: false,
    simd: false,
    threads: 1,
    description: 'cpu (pure JavaScript reference kernels, 1 thread; far too slow to train conv nets)',
  };
}

/**
 * In Node the wasm backend reads its .wasm file from beside its own JavaScript, found through
 * __dirname. That holds while @tensorflow/* stays external to our bundles, but naming the folder
 * explicitly keeps it working if the backend ever gets bundled into dist/ too.
 */
function pointWasmAtItsBinaries(): void {
  if (tf.engine().registry.wasm !== undefined) return; // already initialised: paths are fixed
  const folder = dirname(requireHere.resolve(WASM_PACKAGE));
  if (existsSync(join(folder, 'tfjs-backend-wasm-simd.wasm'))) setWasmPaths(folder + sep);
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`The TensorFlow.js backend '${name}' failed to initialise (see the warning above).`);
  await tf.ready();
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
