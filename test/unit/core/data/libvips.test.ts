// Which libvips decodes photos, in the words the processes print: the build (native, for which platform,
// or WebAssembly) and the versions; and the listener that learns it when libvips first loads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLibvips, libvipsInfo, onLibvipsLoaded, type LibvipsInfo } from '../../../../src/core/data/libvips';

describe('libvips build', () => {
  test('is described with its version, native platform or WebAssembly, and the sharp version', () => {
    assert.equal(describeLibvips({ build: 'native', version: '8.17.3', sharp: '0.34.5' }, 'darwin-arm64'), 'libvips 8.17.3 (native build for darwin-arm64, sharp 0.34.5)');
    assert.equal(describeLibvips({ build: 'wasm', version: '8.17.3', sharp: '0.34.5' }), 'libvips 8.17.3 (WebAssembly build, sharp 0.34.5)');
  });

  test('a listener learns the build once, when libvips loads, and a late one at once', () => {
    const early: LibvipsInfo[] = [];
    onLibvipsLoaded((info) => early.push(info));
    assert.deepEqual(early, [], 'nothing is loaded before something needs libvips');
    const info = libvipsInfo();
    assert.ok(info, 'libvips loads here (npm installed a build of it)');
    libvipsInfo();
    assert.deepEqual(early, [info], 'called once');
    const late: LibvipsInfo[] = [];
    onLibvipsLoaded((loaded) => late.push(loaded));
    assert.deepEqual(late, [info]);
    // This checkout decodes with the native build npm installed for this machine.
    assert.equal(info.build, 'native');
  });
});
