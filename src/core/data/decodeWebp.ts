// Decodes a still WebP (lossy, lossless, with or without alpha) into RGBA with libwebp compiled to
// WebAssembly (@jsquash/webp). The wasm module is compiled and instantiated synchronously on first
// use, so decodeImage stays a plain synchronous function in every process and worker thread.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbaImage } from './rgbaImage';

// An ES module: esbuild bundles it into the CommonJS bundles and tsx loads it from source. A static
// import would make TypeScript refuse this CommonJS file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { default: createWebpModule } = require('@jsquash/webp/codec/dec/webp_dec.js') as {
  default: (options: object) => Promise<unknown>;
};

// The WebAssembly API of Node; the project's type libraries (ES2022 + node) do not declare it.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const WASM_FILE = 'webp_dec.wasm';

interface WebpDecoder {
  decode(data: Uint8Array): { width: number; height: number; data: Uint8ClampedArray } | null;
}

let decoder: WebpDecoder | undefined;

/**
 * The decoder's wasm binary: next to the bundle (dist/, where the build copies it) or in
 * node_modules when running from source.
 */
function wasmBytes(): Uint8Array {
  const beside = join(__dirname, WASM_FILE);
  if (existsSync(beside)) return readFileSync(beside);
  let path: string;
  try {
    path = require.resolve(`@jsquash/webp/codec/dec/${WASM_FILE}`);
  } catch {
    throw new Error(`the WebP decoder is missing (${WASM_FILE} is not installed next to ${__dirname})`);
  }
  return readFileSync(path);
}

function loadDecoder(): WebpDecoder {
  if (decoder) return decoder;
  const module = new wasm.Module(wasmBytes());
  // Emscripten fills this object with the module's exports; with a synchronous instantiateWasm the
  // runtime is ready (and `decode` present) as soon as the factory returns.
  const emscripten: Partial<WebpDecoder> & Record<string, unknown> = {
    noInitialRun: true,
    instantiateWasm: (imports: object, receive: (instance: { exports: object }) => void) => {
      const instance = new wasm.Instance(module, imports);
      receive(instance);
      return instance.exports;
    },
  };
  createWebpModule(emscripten).catch(() => undefined);
  if (typeof emscripten.decode !== 'function') throw new Error('the WebP decoder did not start');
  decoder = emscripten as WebpDecoder;
  return decoder;
}

export function decodeWebp(bytes: Uint8Array): RgbaImage {
  const image = loadDecoder().decode(bytes);
  if (!image) throw new Error('corrupt or truncated WebP');
  const { width, height } = image;
  return { width, height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
}
