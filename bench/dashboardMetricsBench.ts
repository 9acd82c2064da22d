// `node --import tsx bench/dashboardMetricsBench.ts [--batches 1000000] [--epochs 50]`: what opening the dashboard of
// a long run costs the extension host. Writes a run whose metrics.jsonl holds that many batch lines, then, in a
// fresh process (so the peak memory is the dashboard's alone), builds the snapshot the dashboard page gets
// (RunFollower, the extension host's code, without VS Code) and prints the time, the process's peak resident
// memory above its baseline, and the size of the messages posted to the page.
// A benchmark, not a test: it prints numbers and asserts nothing.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { noAugmentation } from '../src/core/data/augment';
import { defaultModelSpec } from '../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../src/core/runSpec';
import { defaultTrainingSpec } from '../src/core/runSpecDefaults';
import { RunStore } from '../src/core/runs/runStore';
import { RunFollower } from '../src/extension/webviews/dashboard/runFollower';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '1000000' }, epochs: { type: 'string', default: '50' }, measure: { type: 'string' } } });
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A run of `epochs` epochs and `batches` batch lines in all, written as a trainer would (one JSON object a line). */
async function writeLongRun(runsDir: string, batches: number, epochs: number): Promise<string> {
  const spec: RunSpec = {
    data: { path: join(runsDir, 'no-dataset'), format: 'folder', valSplit: 0.1, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'), training: { ...defaultTrainingSpec(), epochs }, augment: noAugmentation(),
  };
  const writer = await new RunStore(runsDir).create({ spec, name: 'long-run' });
  await writer.start({ heartbeatIntervalMs: 0 });
  const classes = Array.from({ length: 10 }, (_, i) => `class-${i}`);
  const perEpoch = Math.ceil(batches / epochs);
  await writer.append({
    type: 'runStart', time: new Date().toISOString(), backend: 'wasm', format: 'folder', classes, imageShape: [32, 32, 3],
    trainCount: perEpoch * 64, valCount: 500, testCount: 0, parameterCount: 122_570, epochs, batchesPerEpoch: perEpoch, startEpoch: 1,
  });
  await writer.close();
  // The batch lines go straight to the file: the writer's one-append-at-a-time durability is not what is measured.
  const out = createWriteStream(join(writer.runDir, 'metrics.jsonl'), { flags: 'a' });
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let batch = 1; batch <= perEpoch && step < batches; batch++, step++) {
      const loss = 2.3 * Math.exp(-3 * step / batches) + 0.05 + Math.sin(step) * 0.05;
      await write(`${JSON.stringify({ type: 'batchEnd', epoch, batch, batchesPerEpoch: perEpoch, loss, acc: 1 - loss / 2.5, learningRate: 0.001, imagesPerSecond: 800 + (step % 17) })}\n`);
    }
    await write(`${JSON.stringify({ type: 'epochEnd', time: new Date().toISOString(), epoch, loss: 0.5, acc: 0.8, valLoss: 0.6, valAcc: 0.75, learningRate: 0.001, imagesPerSecond: 810, durationMs: 30_000, isBest: true })}\n`);
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return writer.id;
}

/** In a fresh process: the dashboard's snapshot of the run, with time, peak memory and message sizes. */
async function measure(runsDir: string, runId: string): Promise<void> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  const sizes: number[] = [];
  let batchPoints = 0;
  const follower = new RunFollower(new RunStore(runsDir), runId, {
    send: (message) => {
      sizes.push(JSON.stringify(message).length);
      if (message.type === 'snapshot') batchPoints = message.snapshot.batches.step.length;
    },
    imageUri: (path) => path,
    imageFolders: () => ({ workspaceFolders: [], chosenFolders: [], home: tmpdir() }),
  });
  const started = performance.now();
  await follower.sendSnapshot();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  console.log(`dashboard snapshot: ${ms.toFixed(0)} ms; extension-host peak memory ${mb(peak)} (baseline ${mb(baseline)}, +${mb(peak - baseline)}); ` +
    `${sizes.length} message(s) to the page, ${(sizes.reduce((a, b) => a + b, 0) / 1024).toFixed(0)} KB; ${batchPoints} batch points`);
}

async function main(): Promise<void> {
  if (values.measure) {
    const [runsDir, runId] = values.measure.split('::');
    await measure(runsDir, runId);
    return;
  }
  const batches = Number(values.batches);
  const epochs = Number(values.epochs);
  const runsDir = mkdtempSync(join(tmpdir(), 'classifier-lab-metrics-bench-'));
  try {
    const runId = await writeLongRun(runsDir, batches, epochs);
    const size = statSync(join(runsDir, runId, 'metrics.jsonl')).size;
    console.log(`metrics.jsonl: ${batches.toLocaleString('en-US')} batch lines over ${epochs} epochs, ${mb(size)}`);
    const child = spawnSync(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', 'tsx', '--expose-gc', process.argv[1], '--measure', `${runsDir}::${runId}`], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

void main();
