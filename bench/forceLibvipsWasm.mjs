// Preload (`node --import ./bench/forceLibvipsWasm.mjs --import tsx ...`) that hides sharp's native
// builds, so libvips runs as WebAssembly (@img/sharp-wasm32), as in the universal .vsix. For measurements only.
import Module from 'node:module';

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (/^@img\/sharp-(?!wasm32)|sharp[\\/]src[\\/]build/.test(request)) throw new Error(`${request} hidden to measure the wasm build`);
  return resolve.call(this, request, ...rest);
};
