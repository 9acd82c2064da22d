// Loads libvips (through the `sharp` package) once per process, on first use: the native build for
// this platform when it is installed, else the universal WebAssembly build (@img/sharp-wasm32) that
// the extension package ships. Decoding work runs on libvips' own threads, never on the JavaScript one.
import type sharpModule from 'sharp';
import { errorMessage } from '../errorMessage';

export type Sharp = typeof sharpModule;

/** Which libvips is decoding: the platform's native library or the WebAssembly build. */
export type LibvipsBuild = 'native' | 'wasm';

export interface LibvipsInfo {
  build: LibvipsBuild;
  /** The libvips version, e.g. "8.17.3". */
  version: string;
  /** The sharp version, e.g. "0.34.5". */
  sharp: string;
}

let loaded: { sharp: Sharp; info: LibvipsInfo } | undefined;
let failure: Error | undefined;
const loadListeners: ((info: LibvipsInfo) => void)[] = [];

function load(): { sharp: Sharp; info: LibvipsInfo } {
  if (loaded) return loaded;
  if (failure) throw failure;
  let sharp: Sharp;
  try {
    // Loaded on demand: a process that never decodes a photo never pays for it (the wasm build takes
    // about a second to compile). sharp is kept out of the bundles and resolved from node_modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sharp = require('sharp') as Sharp;
  } catch (error) {
    failure = new Error(`the libvips image decoder could not be loaded (${errorMessage(error).split('\n')[0]}); reinstall Classifier Lab`);
    throw failure;
  }
  // One libvips thread per image: images are decoded side by side (one per slot of the caller's
  // concurrency), which keeps every core busy with many images and never oversubscribes the cores a
  // training step is using. The operation cache only helps when the same image is processed twice.
  sharp.concurrency(1);
  sharp.cache(false);
  const versions = sharp.versions as Record<string, string | undefined>;
  loaded = {
    sharp,
    info: { build: versions.emscripten ? 'wasm' : 'native', version: versions.vips ?? 'unknown', sharp: versions.sharp ?? 'unknown' },
  };
  for (const listener of loadListeners.splice(0)) listener(loaded.info);
  return loaded;
}

/**
 * Calls `listener` once with the build, when this thread first loads libvips (at once if it already
 * has). A process that never decodes a photo never calls it.
 */
export function onLibvipsLoaded(listener: (info: LibvipsInfo) => void): void {
  if (loaded) listener(loaded.info);
  else loadListeners.push(listener);
}

/** The build in a user's words: "libvips 8.17.3 (native build for linux-x64, sharp 0.34.5)". */
export function describeLibvips(info: LibvipsInfo, platform = `${process.platform}-${process.arch}`): string {
  return `libvips ${info.version} (${info.build === 'native' ? `native build for ${platform}` : 'WebAssembly build'}, sharp ${info.sharp})`;
}

/** The sharp module; throws an Error saying libvips could not be loaded. */
export function libvips(): Sharp {
  return load().sharp;
}

/** Which libvips build this process uses (loading it if needed); undefined when it cannot be loaded. */
export function libvipsInfo(): LibvipsInfo | undefined {
  try {
    return load().info;
  } catch {
    return undefined;
  }
}

/**
 * Loads libvips ahead of the first image, off the critical path (a process that will classify photos
 * calls this at start). A failure is remembered and reported by the first decode that needs it.
 */
export function preloadLibvips(): void {
  setImmediate(() => {
    try {
      load();
    } catch {
      // reported when an image needs it
    }
  });
}
