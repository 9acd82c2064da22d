// Preload (`node --require ./bench/forceLibvipsWasm.cjs ...`) that hides sharp's native builds, so
// libvips runs as WebAssembly (@img/sharp-wasm32), as in the universal .vsix. For measurements only.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (/^@img\/sharp-(?!wasm32)|sharp[\\/]src[\\/]build/.test(request)) throw new Error(`${request} hidden to measure the wasm build`);
  return resolve.call(this, request, ...rest);
};
