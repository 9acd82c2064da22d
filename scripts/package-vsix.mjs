// Builds the installable extension: one universal classifier-lab.vsix with the production bundles,
// the TensorFlow.js packages the trainer loads at run time (wasm binaries included), libvips' WebAssembly
// build and nothing else; or, with --target, a package for one VS Code platform that also carries that
// platform's native libvips build (VS Code installs the package made for the user's platform when the
// Marketplace has one, else the universal one).
// `node scripts/package-vsix.mjs [--target TARGET|all] [--out PATH]`. Default: the universal package,
// classifier-lab.vsix in the repository root; with --target linux-x64, classifier-lab-linux-x64.vsix;
// `--target all` builds the universal package and one per target (--out then names a folder).
//
// It packages from a throw-away staging folder under .cache/vsix/, so the development build in dist/
// (source maps, what F5, `npm run open` and the tests load) is left alone: the production bundles
// are built into the staging folder, next to copies of the manifest, README, LICENSE, media/ and the
// files the README links to, and the installed production dependencies (hard links). What goes in
// is decided by .vscodeignore (plus, for a target, lines letting in its native libvips packages); the
// result is then checked, and the script fails when a bundle requires a module the package lacks, when
// a target's native build is incomplete, or when sources, tests, source maps, dev packages or a native
// build the package is not for got in. The staging folder and the production build serve every target.
// Never prompts (CI has no stdin): every question vsce could ask is answered by a flag.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { ensureNativeSharp, ensureSharpWasm, SHARP_PLATFORMS, SHARP_WASM, SharpBuildError } from './sharp-builds.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vsceCli = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
const buildScript = join(repoRoot, 'scripts', 'build.mjs');
// Bundles the extension cannot work without (whatever else the build writes into dist/ is checked too).
const requiredBundles = ['extension.js', 'trainer.js', 'cli.js', 'decodeWorker.js', 'replicaWorker.js'];
const requiredFiles = [
  'package.json',
  'LICENSE.txt',
  'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  // libvips for every platform: photos are decoded with it.
  'node_modules/@img/sharp-wasm32/lib/sharp-wasm32.node.js',
  'node_modules/@img/sharp-wasm32/lib/sharp-wasm32.node.wasm',
  'node_modules/@emnapi/runtime/package.json',
];
// Folders of the repository that never belong in the package.
const forbiddenTopLevel = ['src', 'test', 'webview', 'scripts', 'bench', 'sample-workspace', '.cache', '.ci', '.vscode', '.test-artifacts', '.classifier-lab', 'out'];

class PackageError extends Error {}

const TARGETS = Object.keys(SHARP_PLATFORMS);

/** The packages to build (undefined: the universal one) and where each goes. */
function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' }, target: { type: 'string' } } }));
  } catch (error) {
    throw new PackageError(`${error.message}\n  usage: node scripts/package-vsix.mjs [--target ${TARGETS.join('|')}|all] [--out PATH]`);
  }
  const packageName = (target) => `classifier-lab${target ? `-${target}` : ''}.vsix`;
  if (values.target === 'all') {
    const dir = resolve(values.out ?? repoRoot);
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new PackageError(`--target all writes one package per target: --out must name a folder (${dir} is a file).`);
    return { targets: [undefined, ...TARGETS], outFor: (target) => join(dir, packageName(target)) };
  }
  if (values.target !== undefined && !TARGETS.includes(values.target)) {
    throw new PackageError(`--target ${values.target}: not a VS Code target with a native libvips build. Use one of ${TARGETS.join(', ')}, or all (without --target: the universal package).`);
  }
  const out = resolve(values.out ?? join(repoRoot, packageName(values.target)));
  return { targets: [values.target], outFor: () => out };
}

function run(command, args, cwd, what) {
  // stdin closed: a prompt nobody answers must fail, not wait.
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) throw new PackageError(`${what} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new PackageError(`${what} failed (exit code ${result.status ?? result.signal}).`);
}

/** Relative link targets in a Markdown file (`[text](path)` and `![alt](path)`), without anchors. */
function relativeLinks(markdown) {
  const targets = new Set();
  for (const match of markdown.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1].split('#')[0];
    if (target && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('/')) targets.add(decodeURI(target));
  }
  return [...targets];
}

/**
 * Folders of the installed production dependencies, nested ones included: what `npm ls --production`
 * would list, worked out here because npm ls (which vsce runs) fails on any extraneous or invalid
 * package in a developer's node_modules. The staging folder gets exactly these, so vsce's listing
 * there is clean. Missing optional packages (the native backend) are skipped.
 */
function productionPackages() {
  const found = new Set();
  const visit = (fromDir, manifest) => {
    const wanted = [
      ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
      ...Object.keys(manifest.peerDependencies ?? {}).map((name) => ({ name, optional: Boolean(manifest.peerDependenciesMeta?.[name]?.optional) })),
    ];
    for (const { name, optional } of wanted) {
      // Node's lookup: node_modules folders from the depending package up to the repository root.
      let packageDir;
      for (let dir = fromDir; ; dir = dirname(dir)) {
        const candidate = join(dir, 'node_modules', name);
        if (basename(dir) !== 'node_modules' && existsSync(join(candidate, 'package.json'))) { packageDir = candidate; break; }
        if (dir === repoRoot || dirname(dir) === dir) break;
      }
      if (!packageDir) {
        if (optional) continue;
        throw new PackageError(`${name} (needed by ${relative(repoRoot, fromDir) || 'the extension'}) is not installed: run npm ci.`);
      }
      if (found.has(packageDir)) continue;
      found.add(packageDir);
      visit(packageDir, JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')));
    }
  };
  visit(repoRoot, JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));
  return [...found].sort();
}

/** Mirrors a folder with hard links (copies across file systems): fast, and nothing is written to the source. */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    // A package's own node_modules holds nested dependencies, staged on their own when they are production ones.
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') linkTree(source, target);
    } else if (entry.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

function stage(stageDir, readmeLinks) {
  // The build script resolves its entries and writes dist/ relative to its working directory, so
  // running it in the staging folder with src/ and webview/ linked in keeps the real dist/ untouched.
  for (const folder of ['src', 'webview']) {
    if (existsSync(join(repoRoot, folder))) symlinkSync(join(repoRoot, folder), join(stageDir, folder), 'dir');
  }
  for (const packageDir of productionPackages()) linkTree(packageDir, join(stageDir, relative(repoRoot, packageDir)));
  // npm never installs libvips' wasm build on a real machine (it declares cpu wasm32): fetch it here.
  ensureSharpWasm(join(stageDir, 'node_modules'));
  const linked = readmeLinks.filter((link) => !forbiddenTopLevel.includes(link.split('/')[0]));
  for (const file of ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md', 'media', ...linked]) {
    const from = join(repoRoot, file);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(stageDir, file)), { recursive: true });
    cpSync(from, join(stageDir, file), { recursive: true });
  }
}

function buildProduction(stageDir) {
  const started = Date.now();
  run(process.execPath, [buildScript, '--production'], stageDir, 'the production build');
  for (const bundle of requiredBundles) {
    const path = join(stageDir, 'dist', bundle);
    if (!existsSync(path) || statSync(path).mtimeMs < started - 1000) {
      throw new PackageError(`the production build did not write dist/${bundle} into the staging folder (does scripts/build.mjs still write dist/ relative to its working directory?).`);
    }
  }
}

/** Names and sizes of the entries of a zip file, read from its central directory. */
function zipEntries(path) {
  const zip = readFileSync(path);
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) { end = at; break; }
  }
  if (end < 0) throw new PackageError(`${path} is not a zip file.`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new PackageError(`${path}: damaged central directory.`);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const method = zip.readUInt16LE(at + 10);
    const offset = zip.readUInt32LE(at + 42);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size, compressed, method, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The text of one entry of a zip file (stored or deflated), '' when it has none by that name. */
function zipText(path, entries, name) {
  const entry = entries.find((e) => e.name === name);
  if (!entry) return '';
  const zip = readFileSync(path);
  // The local header: 30 bytes, then the name and an extra field whose lengths it gives.
  const start = entry.offset + 30 + zip.readUInt16LE(entry.offset + 26) + zip.readUInt16LE(entry.offset + 28);
  const data = zip.subarray(start, start + entry.compressed);
  if (entry.method === 0) return data.toString('utf8');
  if (entry.method === 8) return inflateRawSync(data).toString('utf8');
  throw new PackageError(`${path}: ${name} is compressed with method ${entry.method}, which this check cannot read.`);
}

/** Bare module names a bundle loads with require("x") or import("x"), minus Node's own and vscode. */
function externalModules(source) {
  const names = new Set();
  for (const match of source.matchAll(/\b(?:require|import)\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
    const specifier = match[1];
    if (isBuiltin(specifier) || specifier === 'vscode') continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names];
}

/** Files under a folder, relative to it, with '/' separators. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'));
}

// libvips itself in a native build: libvips-cpp.so.8.17.3 (Linux), libvips-cpp.8.17.3.dylib (macOS),
// libvips-42.dll and libvips-cpp-8.17.3.dll (Windows, inside the binding's own package).
const LIBVIPS_LIBRARY = /(^|\/)libvips[^/]*\.(so(\.\d+)*|dylib|dll)$/;

/**
 * What is wrong with the package's native code: a target package must carry its platform's native
 * libvips build whole (every staged file, the binding sharp loads and libvips' shared library), and no
 * package may carry another platform's build or any other native addon.
 */
function nativeBuildProblems(vsixPath, files, entries, target, natives) {
  const problems = [];
  const ours = new Set(natives.map(({ name }) => name));
  for (const { name, dir } of natives) {
    for (const file of filesUnder(dir)) {
      if (!files.has(`node_modules/${name}/${file}`)) problems.push(`missing node_modules/${name}/${file} (the ${target} native libvips build)`);
    }
  }
  if (target) {
    const binding = natives[0];
    const bindingFile = JSON.parse(readFileSync(join(binding.dir, 'package.json'), 'utf8')).exports?.['./sharp.node']?.replace(/^\.\//, '');
    if (!bindingFile || !files.has(`node_modules/${binding.name}/${bindingFile}`)) problems.push(`${binding.name}: the binding sharp loads (its "./sharp.node" export, ${bindingFile ?? 'not declared'}) is not in the package`);
    const libraries = [...files].filter((file) => natives.some(({ name }) => file.startsWith(`node_modules/${name}/`)) && LIBVIPS_LIBRARY.test(file));
    if (libraries.length === 0) problems.push(`no libvips shared library in ${natives.map(({ name }) => name).join(' or ')}`);
    const manifest = zipText(vsixPath, entries, 'extension.vsixmanifest');
    if (!manifest.includes(`TargetPlatform="${target}"`)) problems.push(`extension.vsixmanifest does not declare TargetPlatform="${target}"`);
  } else if (/TargetPlatform=/.test(zipText(vsixPath, entries, 'extension.vsixmanifest'))) {
    problems.push('extension.vsixmanifest of the universal package declares a target platform');
  }
  for (const file of files) {
    const owner = /^node_modules\/(@img\/sharp-[^/]+)\//.exec(file)?.[1];
    if (owner && owner !== SHARP_WASM && !ours.has(owner)) {
      problems.push(`node_modules/${owner}: ${target ? `a native build for another platform than ${target}` : 'a native build'} does not belong in the ${target ?? 'universal'} package`);
    } else if (file.endsWith('.node') && !(owner && ours.has(owner))) {
      problems.push(`${file}: native addons stay out of the ${target ?? 'universal'} package`);
    }
  }
  return problems;
}

// Notes already printed (each package of one run would repeat them).
const noted = new Set();

function check(vsixPath, stageDir, readmeLinks, target, natives) {
  const entries = zipEntries(vsixPath);
  const files = new Set(entries.map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length)));
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(stageDir, 'package.json'), 'utf8'));
  // Everything the production build wrote (bundles, and binaries read from beside them) must be in.
  const built = readdirSync(join(stageDir, 'dist')).filter((name) => !name.endsWith('.map'));
  for (const file of [...requiredFiles, ...requiredBundles.map((b) => `dist/${b}`), ...built.map((name) => `dist/${name}`)]) {
    if (!files.has(file)) problems.push(`missing ${file}`);
  }
  // Links to developer files (tests, CI) cannot work from the editor's extension page; say so, as a
  // reminder that a repository URL in package.json would let vsce point them at the repository.
  const unshipped = readmeLinks.filter((link) => !files.has(link));
  const note = `package: note: README links to files that are not packaged (they will not open from the extension page): ${unshipped.join(', ')}`;
  if (unshipped.length > 0 && !noted.has(note)) {
    noted.add(note);
    console.warn(note);
  }
  // Every package a Node bundle loads at run time must be in, with its entry point.
  for (const bundle of built.filter((name) => name.endsWith('.js'))) {
    for (const name of externalModules(readFileSync(join(stageDir, 'dist', bundle), 'utf8'))) {
      const packageJson = `node_modules/${name}/package.json`;
      if (!files.has(packageJson)) {
        // The native backend is optional by design: loaded in a try/catch, absent from the universal package.
        if (manifest.optionalDependencies?.[name]) continue;
        problems.push(`dist/${bundle} requires ${name}, which is not in the package`);
        continue;
      }
      const main = JSON.parse(readFileSync(join(repoRoot, packageJson), 'utf8')).main ?? 'index.js';
      const mainFile = `node_modules/${name}/${main.replace(/^\.\//, '')}`;
      if (![mainFile, `${mainFile}.js`, `${mainFile}/index.js`].some((f) => files.has(f))) problems.push(`${name}'s entry point ${main} is not in the package`);
    }
  }
  const devPackages = Object.keys(manifest.devDependencies ?? {});
  for (const file of files) {
    const top = file.split('/')[0];
    if (forbiddenTopLevel.includes(top)) problems.push(`${file} should not be packaged`);
    else if (file.endsWith('.map')) problems.push(`${file}: source maps stay out of the package`);
    else if (/\.(ts|mts|cts)$/.test(file) && !file.endsWith('.d.ts')) problems.push(`${file}: sources stay out of the package`);
    else if (devPackages.some((p) => file.startsWith(`node_modules/${p}/`))) problems.push(`${file} belongs to a dev dependency`);
  }
  problems.push(...nativeBuildProblems(vsixPath, files, entries, target, natives));
  if (problems.length > 0) throw new PackageError(`the package is not right:\n  ${[...new Set(problems)].join('\n  ')}`);
  return entries;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

function summarise(vsixPath, entries) {
  // Group by what a reader recognises: dist/, each node_modules package, top-level files.
  const groups = new Map();
  for (const entry of entries) {
    const name = entry.name.replace(/^extension\//, '');
    const parts = name.split('/');
    const group = parts[0] === 'node_modules'
      ? parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/')
      : parts.length > 1 ? `${parts[0]}/` : '(top level)';
    const sum = groups.get(group) ?? { files: 0, size: 0, compressed: 0 };
    sum.files += 1;
    sum.size += entry.size;
    sum.compressed += entry.compressed;
    groups.set(group, sum);
  }
  const size = statSync(vsixPath).size;
  const shown = relative(process.cwd(), vsixPath);
  console.log(`\n${shown.startsWith('..') ? vsixPath : shown}: ${kib(size)} (${entries.length} files)`);
  for (const [group, sum] of [...groups].sort((a, b) => b[1].compressed - a[1].compressed)) {
    console.log(`  ${group.padEnd(46)} ${String(sum.files).padStart(3)} files ${kib(sum.size).padStart(9)} -> ${kib(sum.compressed).padStart(8)}`);
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A staging folder of this process's own, after removing those of runs that were killed. */
function freshStageDir() {
  const parent = join(repoRoot, '.cache', 'vsix');
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    const pid = /^stage-(\d+)$/.exec(name)?.[1];
    if (pid && !isAlive(Number(pid))) rmSync(join(parent, name), { recursive: true, force: true });
  }
  const dir = join(parent, `stage-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return dir;
}

/**
 * The staging folder's .vscodeignore: the repository's, which keeps every native build out, plus for a
 * target the lines that let in that platform's native libvips packages.
 */
function writeIgnoreFile(stageDir, target, natives) {
  const lines = [readFileSync(join(repoRoot, '.vscodeignore'), 'utf8').trimEnd()];
  if (target) lines.push('', `# The ${target} package: libvips' native build for that platform (added by scripts/package-vsix.mjs).`, ...natives.map(({ name }) => `!node_modules/${name}/**`));
  writeFileSync(join(stageDir, '.vscodeignore'), `${lines.join('\n')}\n`);
}

/** Packages the staging folder for `target` (undefined: the universal package) into `out`, checked. */
function packageOne(stageDir, target, out, manifest, readmeLinks) {
  const started = Date.now();
  // Put beside sharp in the staging folder, where its run-time search path finds its libvips.
  const natives = target ? ensureNativeSharp(target, join(stageDir, 'node_modules')) : [];
  writeIgnoreFile(stageDir, target, natives);
  mkdirSync(dirname(out), { recursive: true });
  // Written beside the destination and renamed once checked: a failed run leaves no package, and
  // nobody reads a half-written one.
  const pending = join(dirname(out), `.${basename(out)}.${process.pid}.pending`);
  try {
    run(process.execPath, [
      vsceCli, 'package', '--no-yarn', '--out', pending,
      ...(target ? ['--target', target] : []),
      // Without a repository URL vsce would ask, and could not turn the README's relative links into
      // absolute ones: they stay relative and the linked files travel in the package.
      ...(manifest.repository ? [] : ['--allow-missing-repository', '--no-rewrite-relative-links']),
    ], stageDir, `vsce package${target ? ` --target ${target}` : ''}`);
    const entries = check(pending, stageDir, readmeLinks, target, natives);
    renameSync(pending, out);
    summarise(out, entries);
  } finally {
    rmSync(pending, { force: true });
    // The next target's package must not see this one's native build (the checks would refuse it).
    for (const { dir } of natives) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`(${target ?? 'universal'} package in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function main() {
  const { targets, outFor } = parseOptions();
  if (!existsSync(vsceCli)) throw new PackageError('@vscode/vsce is not installed: run npm install (or npm ci).');
  const started = Date.now();
  const readmePath = join(repoRoot, 'README.md');
  const readmeLinks = existsSync(readmePath) ? relativeLinks(readFileSync(readmePath, 'utf8')).filter((l) => existsSync(join(repoRoot, l))) : [];
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const stageDir = freshStageDir();
  try {
    stage(stageDir, readmeLinks);
    buildProduction(stageDir);
    for (const target of targets) packageOne(stageDir, target, outFor(target), manifest, readmeLinks);
    console.log(`(packaged in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    rmSync(stageDir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`package: ${error instanceof PackageError || error instanceof SharpBuildError ? error.message : error?.stack ?? error}`);
  process.exit(1);
}
