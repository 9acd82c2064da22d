// Cold photo work with each packaged extension, side by side: the universal package (libvips as
// WebAssembly) against a platform's package (libvips native, WebAssembly as its fallback). Each .vsix is
// unpacked and its own processes are forked from there, as the installed extension forks them (no
// NODE_PATH, nothing from this checkout):
//   - a cold first classification: a new inference process (dist/inference.js) classifies a 12-MP
//     (4000x3000) JPEG stored sideways, with its heat map, as the Classify tab asks; timed from the fork
//     to the result (TensorFlow.js start, the model, libvips' load and the decode);
//   - a photo folder load: a new trainer process (dist/trainer.js) loads a folder of 60 such photos as a
//     run loads it (empty decoded cache, one training thread); timed from the fork to the run's start
//     event, which comes once the dataset is loaded and the model built.
// Rounds alternate the packages (and which goes first); medians and every value are printed, with the
// load average, because the machine is shared. A benchmark: it prints numbers, it asserts nothing.
//
//   npm run package && npm run package -- --target linux-x64
//   node --import tsx bench/benchPackagedPhotos.ts --vsix classifier-lab.vsix --vsix classifier-lab-linux-x64.vsix [--rounds N]
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { noAugmentation } from '../src/core/data/augment';
import { defaultTrainingSpec } from '../src/core/runSpecDefaults';
import type { RunSpec } from '../src/core/runSpec';
import type { FromInference, ToInference } from '../src/protocol/inference';
import type { FromTrainer, ToTrainer } from '../src/protocol/trainer';
import { trainShapesRun } from '../test/fixtures/trainedRun';
import { encodePhoto } from './photoFiles';

const USAGE = 'usage: node --import tsx bench/benchPackagedPhotos.ts --vsix A.vsix --vsix B.vsix [--rounds N] [--photos N]';
const { values } = parseArgs({ options: { vsix: { type: 'string', multiple: true }, rounds: { type: 'string', default: '5' }, photos: { type: 'string', default: '60' } } });
const packages = (values.vsix ?? []).map((path) => resolve(path));
const rounds = Number(values.rounds);
const photoCount = Number(values.photos);
if (packages.length === 0 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(photoCount) || photoCount < 2) throw new Error(USAGE);
for (const path of packages) if (!existsSync(path)) throw new Error(`${path} does not exist (npm run package builds it). ${USAGE}`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const TIMEOUT_MS = 180_000;

/** The environment an installed extension's processes get: nothing that reaches this checkout's modules. */
function packageEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  return env;
}

/** Unpacks a .vsix (a zip file) and returns its extension folder. */
function unpack(vsix: string, into: string): string {
  mkdirSync(into, { recursive: true });
  const unzip = spawnSync('unzip', ['-q', vsix, 'extension/*', '-d', into], { encoding: 'utf8' });
  if (unzip.error || unzip.status !== 0) throw new Error(`could not unpack ${vsix} with unzip: ${unzip.error?.message ?? unzip.stderr}`);
  return join(into, 'extension');
}

/** The libvips build a package's sharp loads, as its processes would. */
function libvipsOf(extensionDir: string): string {
  const probe = spawnSync(process.execPath, ['-e', 'const v = require(process.argv[1]).versions; console.log(`libvips ${v.vips} ${v.emscripten ? "WebAssembly" : "native"}`)', join(extensionDir, 'node_modules', 'sharp')], { cwd: tmpdir(), env: packageEnv(), encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : `libvips did not load: ${probe.stderr.split('\n')[0]}`;
}

/** Milliseconds from forking a new inference process to the photo's result. */
function coldClassify(extensionDir: string, runDir: string, photo: string): Promise<number> {
  const started = performance.now();
  const child = fork(join(extensionDir, 'dist', 'inference.js'), [], { cwd: extensionDir, env: packageEnv(), execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise<number>((resolveTime, reject) => {
    const timer = setTimeout(() => reject(new Error(`no result within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    const settle = () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    child.on('message', (message: FromInference) => {
      if (message.type === 'result') {
        resolveTime(performance.now() - started);
        settle();
      } else if (message.type === 'error') {
        reject(new Error(message.message));
        settle();
      }
    });
    child.once('exit', (code) => reject(new Error(`the inference process exited (${code}) early:\n${stderr.slice(-1500)}`)));
    const request: ToInference = { type: 'classify', id: 1, runDir, images: [photo], topK: 5, saliency: true };
    child.send(request);
  });
}

/** Milliseconds from forking a new trainer process to its run's start (the dataset loaded, the model built). */
function coldFolderLoad(extensionDir: string, spec: RunSpec, scratch: string): Promise<number> {
  const cache = mkdtempSync(join(scratch, 'decoded-cache-'));
  const runsDir = mkdtempSync(join(scratch, 'runs-'));
  const started = performance.now();
  const child = fork(join(extensionDir, 'dist', 'trainer.js'), [], {
    cwd: extensionDir, env: packageEnv({ CLASSIFIER_LAB_DECODED_CACHE: cache }), execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise<number>((resolveTime, reject) => {
    const timer = setTimeout(() => reject(new Error(`no run start within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    const settle = () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    child.on('message', (message: FromTrainer) => {
      if (message.type === 'event' && message.event.type === 'runStart') {
        resolveTime(performance.now() - started);
        settle();
      } else if (message.type === 'finished') {
        reject(new Error(`the run ended ${message.status} before it started: ${message.error ?? ''}`));
        settle();
      }
    });
    child.once('exit', (code) => reject(new Error(`the trainer exited (${code}) before the run started:\n${stderr.slice(-1500)}`)));
    const start: ToTrainer = { type: 'start', runsDir, spec, backend: 'wasm', threads: 1 };
    child.send(start);
  });
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'classifier-lab-packaged-photos-'));
  try {
    const extensions = packages.map((vsix, k) => ({ vsix, name: basename(vsix), dir: unpack(vsix, join(scratch, `package-${k}`)) }));
    process.stdout.write('Training a small CNN (32x32x3) to classify with; writing the photos...\n');
    const run = await trainShapesRun(join(scratch, 'model'), { epochs: 2, count: 240, name: 'bench-photos' });
    const photos = join(scratch, 'photos');
    for (let i = 0; i < photoCount; i++) {
      const label = i % 2 === 0 ? 'cats' : 'dogs';
      mkdirSync(join(photos, label), { recursive: true });
      writeFileSync(join(photos, label, `${i}.jpg`), await encodePhoto(4000, 3000, i, 'jpeg', i % 3 === 0 ? 6 : undefined));
    }
    const photo = join(photos, 'cats', '0.jpg'); // stored sideways (EXIF orientation 6)
    const spec: RunSpec = {
      data: { path: photos, format: 'folder', valSplit: 0.1, imageSize: 32, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [8, 16], denseUnits: 16, dropout: 0 } },
      training: { ...defaultTrainingSpec(), epochs: 1, batchSize: 16 },
      augment: noAugmentation(),
    };
    const loadBefore = loadavg()[0];
    const times = extensions.map(() => ({ classify: [] as number[], folder: [] as number[] }));
    for (let round = 0; round < rounds; round++) {
      const order = extensions.map((_, k) => k);
      if (round % 2 === 1) order.reverse();
      for (const k of order) times[k].classify.push(await coldClassify(extensions[k].dir, run.runDir, photo));
      for (const k of order) times[k].folder.push(await coldFolderLoad(extensions[k].dir, spec, scratch));
      process.stdout.write(`round ${round + 1}/${rounds} done (load average ${loadavg()[0].toFixed(1)})\n`);
    }
    const loadAfter = loadavg()[0];
    process.stdout.write(`\nmedian of ${rounds} rounds, packages alternating; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores shared):\n`);
    process.stdout.write(`| package | libvips | cold first classification, 12-MP photo | folder of ${photoCount} 12-MP photos loaded (cold trainer, to run start) |\n| --- | --- | --- | --- |\n`);
    extensions.forEach((extension, k) => {
      const size = (readFileSync(extension.vsix).length / 1024 / 1024).toFixed(1);
      process.stdout.write(`| ${extension.name} (${size} MB) | ${libvipsOf(extension.dir)} | ${median(times[k].classify).toFixed(0)} ms | ${(median(times[k].folder) / 1000).toFixed(2)} s |\n`);
    });
    extensions.forEach((extension, k) => {
      process.stdout.write(`  ${extension.name}: classification ${times[k].classify.map((t) => t.toFixed(0)).join(' ')} ms; folder ${times[k].folder.map((t) => (t / 1000).toFixed(2)).join(' ')} s\n`);
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
