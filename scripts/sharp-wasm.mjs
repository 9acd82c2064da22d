// Installs libvips' universal WebAssembly build (@img/sharp-wasm32) into a node_modules folder:
// `node scripts/sharp-wasm.mjs [NODE_MODULES]` (default: the repository's own).
//
// Why a script: the package declares `"cpu": ["wasm32"]`, so npm skips it on every real machine
// (`npm ci` stays clean and installs only this platform's native build), and installing it by hand
// takes `--force` or `--cpu=wasm32`, which would drop the native build or disturb the tree. Here the
// ordinary npm client fetches exactly the version sharp pins (`npm pack`, from the registry or npm's
// cache), its sha512 is checked against package-lock.json, and it is unpacked beside sharp. Its one
// JavaScript dependency, @emnapi/runtime, is an ordinary dependency of the extension.
// scripts/package-vsix.mjs calls this for its staging folder, so the .vsix always carries it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARP_WASM = '@img/sharp-wasm32';

/** The version sharp pins and the integrity package-lock.json records for it. */
function wanted() {
  const sharp = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'sharp', 'package.json'), 'utf8'));
  const version = sharp.optionalDependencies?.[SHARP_WASM];
  if (!version) throw new Error(`sharp ${sharp.version} does not list ${SHARP_WASM}`);
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const locked = lock.packages?.[`node_modules/${SHARP_WASM}`];
  if (!locked || locked.version !== version) throw new Error(`package-lock.json does not record ${SHARP_WASM}@${version}: run npm install`);
  return { version, integrity: locked.integrity };
}

function installedVersion(nodeModules) {
  const manifest = join(nodeModules, SHARP_WASM, 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

/** Makes NODE_MODULES/@img/sharp-wasm32 the pinned version; returns its folder. Throws with a reason. */
export function ensureSharpWasm(nodeModules = join(repoRoot, 'node_modules')) {
  const { version, integrity } = wanted();
  const target = join(nodeModules, SHARP_WASM);
  if (installedVersion(nodeModules) === version) return target;
  // Already put into the repository's own node_modules by this script: copy it (no registry round trip).
  const local = join(repoRoot, 'node_modules');
  if (resolve(nodeModules) !== local && installedVersion(local) === version) {
    cpSync(join(local, SHARP_WASM), target, { recursive: true });
    return target;
  }
  const work = mkdtempSync(join(tmpdir(), 'sharp-wasm-'));
  try {
    const pack = spawnSync('npm', ['pack', `${SHARP_WASM}@${version}`, '--json', '--pack-destination', work], {
      cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (pack.status !== 0) throw new Error(`npm pack ${SHARP_WASM}@${version} failed (exit ${pack.status}); is the npm registry reachable?`);
    const tarball = join(work, JSON.parse(pack.stdout)[0].filename);
    const [algorithm, expected] = integrity.split(/-(.*)/s);
    const actual = createHash(algorithm).update(readFileSync(tarball)).digest('base64');
    if (actual !== expected) throw new Error(`${SHARP_WASM}@${version} does not match the integrity in package-lock.json`);
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error(`could not unpack ${tarball}`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(unpacked, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const target = ensureSharpWasm(process.argv[2] ? resolve(process.argv[2]) : undefined);
    console.log(`${SHARP_WASM} ${installedVersion(dirname(dirname(target)))} in ${target}`);
  } catch (error) {
    console.error(`sharp-wasm: ${error.message}`);
    process.exit(1);
  }
}
