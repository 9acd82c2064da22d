// Installs sharp's prebuilt libvips packages into a node_modules folder: the universal WebAssembly build
// (@img/sharp-wasm32) and, for a VS Code target platform, the native build (@img/sharp-<platform> and the
// @img/sharp-libvips-<platform> it loads).
// `node scripts/sharp-builds.mjs [--target TARGET] [NODE_MODULES]` (default: the wasm build, into the
// repository's own node_modules).
//
// Why a script: npm installs only the build for the machine it runs on. @img/sharp-wasm32 declares
// `"cpu": ["wasm32"]`, so npm skips it on every real machine, and another platform's native build is
// skipped likewise; installing them by hand takes `--force` or `--cpu`/`--os`, which would drop this
// machine's build or disturb the tree. Here the ordinary npm client fetches exactly the version sharp pins
// (`npm pack`, from the registry or npm's cache), its hash is checked against the integrity package-lock.json
// records, and it is unpacked beside sharp (the native binding finds its libvips through a relative
// run-time search path, so the two must be siblings). A package npm ci already installed at that version
// (this machine's native build) is copied instead. The wasm build's one JavaScript dependency,
// @emnapi/runtime, is an ordinary dependency of the extension.
// scripts/package-vsix.mjs calls this for its staging folder.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARP_WASM = '@img/sharp-wasm32';

/**
 * VS Code's target platforms (`vsce package --target`) for which sharp ships a native build, and the
 * name sharp gives that platform (its `${process.platform}${musl ? 'musl' : ''}-${process.arch}`):
 * Alpine is Linux with musl, and armhf is Node's `arm`. VS Code's `web` target runs no Node.
 */
export const SHARP_PLATFORMS = Object.freeze({
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-armhf': 'linux-arm',
  'alpine-x64': 'linuxmusl-x64',
  'alpine-arm64': 'linuxmusl-arm64',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
});

export class SharpBuildError extends Error {}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** sharp's manifest and package-lock.json, read once per call from the repository. */
function manifests(root = repoRoot) {
  return { sharp: readJson(join(root, 'node_modules', 'sharp', 'package.json')), lock: readJson(join(root, 'package-lock.json')) };
}

/** The version sharp pins for package `name` and the integrity package-lock.json records for it. */
export function pinnedPackage(name, { sharp, lock } = manifests()) {
  const version = sharp.optionalDependencies?.[name];
  if (!version) throw new SharpBuildError(`sharp ${sharp.version} does not list ${name}`);
  const locked = lock.packages?.[`node_modules/${name}`];
  if (!locked || locked.version !== version || !locked.integrity) throw new SharpBuildError(`package-lock.json does not record ${name}@${version} with its integrity: run npm install`);
  return { name, version, integrity: locked.integrity };
}

/**
 * The packages of target's native libvips build, the binding first: @img/sharp-<platform>, and the
 * libvips package it depends on (none on Windows, where the binding package carries libvips' DLLs).
 * Each pinned by sharp and recorded in package-lock.json. Throws for a target without a native build.
 */
export function nativeSharpPackages(target, pinned = manifests()) {
  const platform = Object.hasOwn(SHARP_PLATFORMS, target) ? SHARP_PLATFORMS[target] : undefined;
  if (!platform) throw new SharpBuildError(`sharp has no native build for the VS Code target "${target}"; targets with one: ${Object.keys(SHARP_PLATFORMS).join(', ')}`);
  const binding = pinnedPackage(`@img/sharp-${platform}`, pinned);
  // What the binding itself depends on, as package-lock.json records it.
  const needs = Object.keys(pinned.lock.packages[`node_modules/${binding.name}`].optionalDependencies ?? {});
  return [binding, ...needs.map((name) => pinnedPackage(name, pinned))];
}

/**
 * Throws unless the file's bytes match the Subresource Integrity string (`sha512-<base64>`, possibly
 * several separated by spaces), saying which package was refused and what to do.
 */
export function checkIntegrity(file, integrity, what) {
  const bytes = readFileSync(file);
  const hashes = integrity.trim().split(/\s+/).map((entry) => entry.split(/-(.*)/s)).filter(([algorithm]) => ['sha512', 'sha384', 'sha256'].includes(algorithm));
  if (hashes.length === 0) throw new SharpBuildError(`${what}: package-lock.json records no sha512 integrity for it ("${integrity.slice(0, 20)}")`);
  const found = hashes.map(([algorithm]) => `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`);
  if (hashes.some(([algorithm, expected], i) => found[i] === `${algorithm}-${expected}`)) return;
  throw new SharpBuildError(`${what}: the tarball npm fetched does not match the integrity in package-lock.json (expected ${integrity.slice(0, 24)}..., got ${found[0].slice(0, 24)}...); refusing to unpack it. If npm's cache is damaged, run \`npm cache verify\` and try again; if package-lock.json was edited, restore it.`);
}

function installedVersion(packageDir) {
  const manifest = join(packageDir, 'package.json');
  return existsSync(manifest) ? readJson(manifest).version : undefined;
}

/** `npm pack name@version` into `dir`; returns the tarball's path. */
function npmPack(name, version, dir) {
  const pack = spawnSync('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', dir], {
    cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32',
  });
  if (pack.status !== 0) throw new SharpBuildError(`npm pack ${name}@${version} failed (exit ${pack.status ?? pack.signal}); is the npm registry reachable?`);
  return join(dir, JSON.parse(pack.stdout)[0].filename);
}

/**
 * Makes NODE_MODULES/<name> the version sharp pins; returns its folder. Throws a SharpBuildError with
 * a reason; a tarball that fails the integrity check is never unpacked and the folder is left as it was.
 * `fetch(name, version, dir)` returns the tarball's path (default: npm pack).
 */
export function ensureSharpPackage(name, nodeModules = join(repoRoot, 'node_modules'), { fetch = npmPack, pinned = manifests() } = {}) {
  const { version, integrity } = pinnedPackage(name, pinned);
  const target = join(nodeModules, name);
  if (installedVersion(target) === version) return target;
  // Already in the repository's own node_modules (npm ci installed it, or this script put it there): copy it.
  const local = join(repoRoot, 'node_modules', name);
  if (resolve(target) !== local && installedVersion(local) === version) {
    cpSync(local, target, { recursive: true });
    return target;
  }
  const work = mkdtempSync(join(tmpdir(), 'sharp-build-'));
  try {
    const tarball = fetch(name, version, work);
    checkIntegrity(tarball, integrity, `${name}@${version}`);
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new SharpBuildError(`could not unpack ${name}@${version} (${tarball})`);
    if (installedVersion(unpacked) !== version) throw new SharpBuildError(`the tarball of ${name}@${version} holds no package.json of that version`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(unpacked, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Makes NODE_MODULES/@img/sharp-wasm32 the pinned version; returns its folder. */
export function ensureSharpWasm(nodeModules = join(repoRoot, 'node_modules')) {
  return ensureSharpPackage(SHARP_WASM, nodeModules);
}

/** Installs target's native libvips build into NODE_MODULES; returns the packages with their folders. */
export function ensureNativeSharp(target, nodeModules = join(repoRoot, 'node_modules')) {
  return nativeSharpPackages(target).map((pinned) => ({ ...pinned, dir: ensureSharpPackage(pinned.name, nodeModules) }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { values, positionals } = parseArgs({ options: { target: { type: 'string' } }, allowPositionals: true });
    const nodeModules = positionals[0] ? resolve(positionals[0]) : undefined;
    const installed = values.target
      ? ensureNativeSharp(values.target, nodeModules)
      : [{ ...pinnedPackage(SHARP_WASM), dir: ensureSharpWasm(nodeModules) }];
    for (const { name, version, dir } of installed) console.log(`${name} ${version} in ${dir}`);
  } catch (error) {
    console.error(`sharp-builds: ${error instanceof SharpBuildError ? error.message : error?.stack ?? error}`);
    process.exit(1);
  }
}
