// scripts/sharp-builds.mjs, which puts sharp's libvips builds into the package's staging folder: each
// VS Code target maps to the native packages sharp pins for that platform (recorded, with their
// integrity, in package-lock.json), and a tarball whose hash is not the one package-lock.json records
// is refused with a message saying so, leaving nothing unpacked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

const repo = resolve(__dirname, '../../..');

interface Pinned { name: string; version: string; integrity: string }
interface Manifests { sharp: { version: string; optionalDependencies: Record<string, string> }; lock: { packages: Record<string, { version: string; integrity: string }> } }
interface SharpBuilds {
  SHARP_PLATFORMS: Record<string, string>;
  SharpBuildError: new (message: string) => Error;
  nativeSharpPackages(target: string): Pinned[];
  ensureSharpPackage(name: string, nodeModules: string, options: { fetch(name: string, version: string, dir: string): string; pinned: Manifests }): string;
}

async function sharpBuilds(): Promise<SharpBuilds> {
  const script = pathToFileURL(join(repo, 'scripts', 'sharp-builds.mjs')).href;
  return (await import(script)) as SharpBuilds;
}

/** An npm-style tarball (a package/ folder, gzipped) of a package with this manifest. */
function tarball(dir: string, manifest: object): string {
  const root = join(dir, 'src');
  mkdirSync(join(root, 'package', 'lib'), { recursive: true });
  writeFileSync(join(root, 'package', 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(root, 'package', 'lib', 'libvips-cpp.so.8.17.3'), 'not really a library');
  const file = join(dir, 'package.tgz');
  const tar = spawnSync('tar', ['-czf', file, '-C', root, 'package']);
  assert.equal(tar.status, 0, String(tar.stderr));
  return file;
}

const integrityOf = (file: string) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;

/** sharp and package-lock.json as they would pin one made-up package. */
function pinning(name: string, version: string, integrity: string): Manifests {
  return {
    sharp: { version: '0.34.5', optionalDependencies: { [name]: version } },
    lock: { packages: { [`node_modules/${name}`]: { version, integrity } } },
  };
}

describe('sharp builds for the VS Code targets', () => {
  test('each target names sharp\'s native packages for its platform: Alpine is musl, armhf is arm, Windows has libvips inside the binding', async () => {
    const { nativeSharpPackages } = await sharpBuilds();
    const names = (target: string) => nativeSharpPackages(target).map((p) => p.name);
    assert.deepEqual(names('linux-x64'), ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64']);
    assert.deepEqual(names('linux-arm64'), ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64']);
    assert.deepEqual(names('linux-armhf'), ['@img/sharp-linux-arm', '@img/sharp-libvips-linux-arm']);
    assert.deepEqual(names('alpine-x64'), ['@img/sharp-linuxmusl-x64', '@img/sharp-libvips-linuxmusl-x64']);
    assert.deepEqual(names('alpine-arm64'), ['@img/sharp-linuxmusl-arm64', '@img/sharp-libvips-linuxmusl-arm64']);
    assert.deepEqual(names('darwin-x64'), ['@img/sharp-darwin-x64', '@img/sharp-libvips-darwin-x64']);
    assert.deepEqual(names('darwin-arm64'), ['@img/sharp-darwin-arm64', '@img/sharp-libvips-darwin-arm64']);
    assert.deepEqual(names('win32-x64'), ['@img/sharp-win32-x64']);
    assert.deepEqual(names('win32-arm64'), ['@img/sharp-win32-arm64']);
  });

  test('every package is the version sharp pins, with the sha512 integrity package-lock.json records', async () => {
    const { SHARP_PLATFORMS, nativeSharpPackages } = await sharpBuilds();
    const sharp = JSON.parse(readFileSync(join(repo, 'node_modules', 'sharp', 'package.json'), 'utf8')) as Manifests['sharp'];
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Manifests['lock'];
    for (const target of Object.keys(SHARP_PLATFORMS)) {
      for (const pinned of nativeSharpPackages(target)) {
        assert.equal(pinned.version, sharp.optionalDependencies[pinned.name], `${target}: ${pinned.name}`);
        assert.equal(pinned.integrity, lock.packages[`node_modules/${pinned.name}`].integrity);
        assert.match(pinned.integrity, /^sha512-/);
      }
    }
  });

  test('a target without a native build is refused, naming the targets that have one', async () => {
    const { nativeSharpPackages, SharpBuildError } = await sharpBuilds();
    for (const target of ['web', 'linux-ppc64', 'toString']) {
      assert.throws(() => nativeSharpPackages(target), (error: Error) => {
        assert.ok(error instanceof SharpBuildError);
        assert.match(error.message, new RegExp(`no native build for the VS Code target "${target}"; targets with one: linux-x64, .*win32-arm64`));
        return true;
      });
    }
  });
});

describe('fetching a sharp package', () => {
  const name = '@img/sharp-made-up-x64';

  test('a tarball with the recorded integrity is unpacked beside sharp', async () => {
    const { ensureSharpPackage } = await sharpBuilds();
    const dir = makeTempDir('classifier-lab-sharp-builds-');
    try {
      const file = tarball(dir, { name, version: '1.2.3' });
      const nodeModules = join(dir, 'node_modules');
      const installed = ensureSharpPackage(name, nodeModules, { fetch: () => file, pinned: pinning(name, '1.2.3', integrityOf(file)) });
      assert.equal(installed, join(nodeModules, name));
      assert.equal(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version, '1.2.3');
      assert.ok(existsSync(join(installed, 'lib', 'libvips-cpp.so.8.17.3')));
    } finally {
      removeTempDir(dir);
    }
  });

  test('a tampered tarball is refused with a clear message, and nothing is unpacked', async () => {
    const { ensureSharpPackage, SharpBuildError } = await sharpBuilds();
    const dir = makeTempDir('classifier-lab-sharp-builds-');
    try {
      const file = tarball(dir, { name, version: '1.2.3' });
      const recorded = integrityOf(file);
      // One byte more after the hash was recorded: still a valid gzip stream to tar, not the same package.
      appendFileSync(file, Buffer.from([0]));
      const nodeModules = join(dir, 'node_modules');
      assert.throws(() => ensureSharpPackage(name, nodeModules, { fetch: () => file, pinned: pinning(name, '1.2.3', recorded) }), (error: Error) => {
        assert.ok(error instanceof SharpBuildError);
        assert.match(error.message, new RegExp(`^${name}@1\\.2\\.3: the tarball npm fetched does not match the integrity in package-lock.json \\(expected sha512-.*, got sha512-.*\\); refusing to unpack it\\. .*npm cache verify`));
        return true;
      });
      assert.equal(existsSync(join(nodeModules, name)), false, 'nothing was unpacked');
    } finally {
      removeTempDir(dir);
    }
  });

  test('a tarball of another version than the pinned one is refused', async () => {
    const { ensureSharpPackage } = await sharpBuilds();
    const dir = makeTempDir('classifier-lab-sharp-builds-');
    try {
      const file = tarball(dir, { name, version: '9.9.9' });
      const nodeModules = join(dir, 'node_modules');
      assert.throws(() => ensureSharpPackage(name, nodeModules, { fetch: () => file, pinned: pinning(name, '1.2.3', integrityOf(file)) }), /holds no package\.json of that version/);
      assert.equal(existsSync(join(nodeModules, name)), false);
    } finally {
      removeTempDir(dir);
    }
  });
});
