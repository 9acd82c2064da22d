// Installs code-server (a real VS Code workbench + Node extension host served over HTTP) into the
// git-ignored .cache/code-server/, without touching the project's package.json. It is what
// `npm run open` falls back to when no desktop `code` CLI exists, and what the end-to-end tests run in.
//
// `node scripts/provision-code-server.mjs [--browser]`
//   --browser  also makes sure Debian's chromium is installed (the e2e tests drive it).
//
// Idempotent: a marker file records the installed version; a second run returns in milliseconds.
// Works offline apart from the npm registry and Debian's apt: @vscode/ripgrep's postinstall would
// download rg from GitHub, so it is handed Debian's rg through the cache folder it checks first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync, chmodSync, mkdtempSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
// The @vscode/ripgrep release code-server 4.100.3 pins, and the rg build its postinstall looks for.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BINARY_VERSION = 'v13.0.0-10';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const codeServerDir = process.env.CLASSIFIER_LAB_CODE_SERVER_DIR
  ? resolve(process.env.CLASSIFIER_LAB_CODE_SERVER_DIR)
  : join(repoRoot, '.cache', 'code-server');
const markerFile = join(codeServerDir, 'provisioned.json');

/** Path of code-server's launcher script (run it with `node`). */
export const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CLASSIFIER_LAB_CHROMIUM ?? '/usr/bin/chromium';

// Debian packages: the Kerberos headers and pkg-config build code-server's native modules, rg is the
// search binary it ships, the compilers build node-pty; chromium only matters for the tests.
const buildPackages = [
  { pkg: 'libkrb5-dev', present: () => existsSync('/usr/include/krb5.h') || dpkgInstalled('libkrb5-dev') },
  { pkg: 'pkg-config', present: () => onPath('pkg-config') },
  { pkg: 'ripgrep', present: () => existsSync('/usr/bin/rg') },
  { pkg: 'make', present: () => onPath('make') },
  { pkg: 'g++', present: () => onPath('g++') },
  { pkg: 'python3', present: () => onPath('python3') },
];
const browserPackages = [{ pkg: 'chromium', present: () => existsSync(chromiumPath) }];

export class ProvisionError extends Error {}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function run(command, args, options, what) {
  const r = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (r.error) throw new ProvisionError(`${what}: could not run ${command}: ${r.error.message}`);
  if (r.status !== 0) throw new ProvisionError(`${what} failed (${command} ${args.join(' ')} exited with ${r.status ?? r.signal}).`);
}

/** Installs whichever of the named Debian packages are missing (as root), or explains how to. */
export function ensureDebianPackages(wanted, log = console.log) {
  const missing = wanted.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) {
    throw new ProvisionError(
      `Missing system packages: ${missing.join(' ')}.\n` +
      `Install them first, e.g. \`sudo apt-get install -y ${missing.join(' ')}\`, then run this again.`);
  }
  log(`Installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env }, 'apt-get update');
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env }, `apt-get install ${missing.join(' ')}`);
}

export function isCodeServerProvisioned() {
  if (!existsSync(markerFile) || !existsSync(codeServerEntry)) return false;
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8')).version === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

function ripgrepTarget() {
  if (process.platform !== 'linux') return undefined;
  if (process.arch === 'x64') return 'x86_64-unknown-linux-musl';
  if (process.arch === 'arm64') return 'aarch64-unknown-linux-musl';
  return undefined;
}

// Puts Debian's rg where @vscode/ripgrep's postinstall looks before it tries GitHub:
// $TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<rg version>-<target>.tar.gz holding `rg`.
function seedRipgrepCache(tmpDir) {
  const target = ripgrepTarget();
  if (!target) return;
  const cacheDir = join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, `ripgrep-${RIPGREP_BINARY_VERSION}-${target}.tar.gz`);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpDir, 'rg-'));
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  chmodSync(join(staging, 'rg'), 0o755);
  run('tar', ['-czf', archive, '-C', staging, 'rg'], {}, 'Packing Debian rg for @vscode/ripgrep');
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Makes sure code-server (and, with `browser`, Debian chromium) is ready to run; installs what is
 * missing. Returns the launcher path. Throws ProvisionError with a readable message on failure.
 */
export function ensureCodeServer({ browser = false, log = console.log } = {}) {
  ensureDebianPackages(browser ? [...buildPackages, ...browserPackages] : buildPackages, log);
  if (isCodeServerProvisioned()) return codeServerEntry;

  const started = Date.now();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (one time, about 2 minutes and 300 MB)...`);
  mkdirSync(codeServerDir, { recursive: true });
  rmSync(markerFile, { force: true });
  writeFileSync(join(codeServerDir, 'package.json'), JSON.stringify({
    name: 'classifier-lab-code-server', private: true, description: 'Local code-server for running and testing Classifier Lab.',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
  }, null, 2) + '\n');
  const tmpDir = join(codeServerDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  seedRipgrepCache(tmpDir);
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: codeServerDir,
    env: {
      ...process.env,
      TMPDIR: tmpDir,
      // code-server's postinstall refuses to run as root without this; node-pty runs `npx node-gyp`.
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
    },
  }, `npm install code-server@${CODE_SERVER_VERSION}`);
  if (!existsSync(codeServerEntry)) {
    throw new ProvisionError(`code-server installed but ${codeServerEntry} is missing; delete ${codeServerDir} and retry.`);
  }
  const smoke = spawnSync(process.execPath, [codeServerEntry, '--version'], { encoding: 'utf8' });
  if (smoke.status !== 0) {
    throw new ProvisionError(`code-server does not start (${(smoke.stderr || smoke.stdout).trim()}); delete ${codeServerDir} and retry.`);
  }
  rmSync(tmpDir, { recursive: true, force: true });
  writeFileSync(markerFile, JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }) + '\n');
  log(`code-server ${CODE_SERVER_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return codeServerEntry;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const entry = ensureCodeServer({ browser: process.argv.includes('--browser') });
    console.log(`code-server ${CODE_SERVER_VERSION}: ${entry}`);
  } catch (error) {
    console.error(error instanceof ProvisionError ? `provision-code-server: ${error.message}` : error);
    process.exit(1);
  }
}
