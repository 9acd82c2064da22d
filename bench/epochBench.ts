// One full CIFAR-shaped epoch end to end (reading, flip + crop augmentation, the training steps and the
// validation pass) against the pure training-step time of the same model on the same threads: how much
// the input pipeline and evaluation add. Also the process's peak memory over the epoch.
// A benchmark, not a test: it prints numbers.
//
//   node --import tsx bench/epochBench.ts [--data CIFAR10_DIR] [--threads auto|N] [--model cnn] [--epochs 1]
// Without --data, 50,000 + 10,000 CIFAR-10-shaped images of generated shapes are written to a temp folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../src/core/backend/selectBackend';
import { parseAugmentList } from '../src/core/data/augment';
import { createModel } from '../src/core/models/createModel';
import { defaultModelSpec } from '../src/core/models/defaultModelSpecs';
import type { ModelKind, RunSpec } from '../src/core/runSpec';
import { runTraining } from '../src/core/runTraining';
import { defaultTrainingSpec } from '../src/core/runSpecDefaults';
import { createOptimizer } from '../src/core/train/createOptimizer';
import { startReplicas } from '../src/core/train/startReplicas';
import { parseThreadsRequest, resolveTrainingThreads } from '../src/core/train/trainingThreads';
import { cifarRecord } from '../test/fixtures/cifarFixtures';
import { makeShapesDataset } from '../test/fixtures/syntheticImages';

const args = process.argv.slice(2);
const option = (name: string) => args.find((_, i) => args[i - 1] === `--${name}`);
const kind = (option('model') ?? 'cnn') as ModelKind;
const threadsRequest = parseThreadsRequest(option('threads') ?? 'auto') ?? 'auto';
const epochs = Number(option('epochs') ?? 1);
const BATCH = 64;

/** CIFAR-10's binary layout filled with generated shapes (the pixels only need the right shape). */
function writeCifarShaped(dir: string): void {
  const write = (file: string, count: number, seed: number) => {
    const data = makeShapesDataset(count, 32, seed);
    const records = new Uint8Array(count * 3073);
    for (let i = 0; i < count; i++) {
      records.set(cifarRecord([data.labels[i] % 10], data.pixels.subarray(i * 3072, (i + 1) * 3072)), i * 3073);
    }
    writeFileSync(join(dir, file), records);
  };
  for (let b = 1; b <= 5; b++) write(`data_batch_${b}.bin`, 10_000, b);
  write('test_batch.bin', 10_000, 9);
  writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
}

async function pureStepMilliseconds(threads: number): Promise<number> {
  const model = createModel(defaultModelSpec(kind), [32, 32, 3], 10);
  model.compile({ optimizer: createOptimizer(defaultTrainingSpec()), loss: 'categoricalCrossentropy' });
  const replicas = await startReplicas({
    model, imageShape: [32, 32, 3], classCount: 10, training: { ...defaultTrainingSpec(), batchSize: BATCH }, threads, backend: 'wasm',
  });
  const inputs = Float32Array.from({ length: BATCH * 3072 }, (_, i) => (i % 251) / 251);
  const labels = Int32Array.from({ length: BATCH }, (_, i) => i % 10);
  try {
    for (let i = 0; i < 5; i++) await replicas.trainStep(inputs, labels, { learningRate: 1e-3, epoch: 1 });
    const steps = 40;
    const start = performance.now();
    for (let i = 0; i < steps; i++) await replicas.trainStep(inputs, labels, { learningRate: 1e-3, epoch: 1 });
    return (performance.now() - start) / steps;
  } finally {
    await replicas.dispose();
    model.optimizer?.dispose();
    model.dispose();
  }
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const threads = resolveTrainingThreads(threadsRequest, backend);
  let data = option('data');
  let generated: string | undefined;
  if (!data) {
    generated = mkdtempSync(join(tmpdir(), 'classifier-lab-epoch-'));
    writeCifarShaped(generated);
    data = generated;
  }
  const runs = mkdtempSync(join(tmpdir(), 'classifier-lab-epoch-runs-'));
  const spec: RunSpec = {
    data: { path: data, format: 'cifar10', valSplit: 0.1, cifar100Labels: 'fine' },
    model: defaultModelSpec(kind),
    training: { ...defaultTrainingSpec(), epochs, batchSize: BATCH },
    augment: parseAugmentList('flip,crop'),
  };
  const started = performance.now();
  let trainingStarted = 0;
  let epochMs = 0;
  let batches = 0;
  let batchesPerEpoch = 0;
  let valAcc = 0;
  let testAcc: number | undefined;
  try {
    const outcome = await runTraining({
      spec, runsDir: runs, backend: 'wasm', threads,
      onEvent: (event) => {
        if (event.type === 'runStart') {
          trainingStarted = performance.now();
          batchesPerEpoch = event.batchesPerEpoch;
        }
        if (event.type === 'epochEnd') {
          epochMs += event.durationMs;
          batches += batchesPerEpoch;
          valAcc = event.valAcc ?? event.acc;
        }
        if (event.type === 'runEnd') testAcc = event.testAcc;
      },
    });
    if (outcome.status !== 'completed') throw new Error(`the run ended ${outcome.status}: ${outcome.error ?? ''}`);
  } finally {
    rmSync(runs, { recursive: true, force: true });
    if (generated) rmSync(generated, { recursive: true, force: true });
  }
  const total = performance.now() - started;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const stepMs = await pureStepMilliseconds(threads);
  const pureMs = batches * stepMs;
  console.log(`${kind} on ${data === generated ? 'generated CIFAR-shaped data' : data}, ${threads} threads, batch ${BATCH}, flip + crop, 45,000 train + 5,000 validation images`);
  console.log(`  dataset loading and set-up: ${((trainingStarted - started) / 1000).toFixed(1)} s`);
  console.log(`  epoch end to end (reading, augmentation, steps, validation): ${(epochMs / 1000).toFixed(1)} s over ${epochs} epoch(s)`);
  console.log(`  pure training steps (${batches} steps x ${stepMs.toFixed(1)} ms on a fixed batch): ${(pureMs / 1000).toFixed(1)} s`);
  console.log(`  overhead of the pipeline and validation: ${((100 * (epochMs - pureMs)) / pureMs).toFixed(1)}% (target <= 10%)`);
  console.log(`  accuracy: validation ${(100 * valAcc).toFixed(1)}%${testAcc !== undefined ? `, test ${(100 * testAcc).toFixed(1)}%` : ''}; whole run ${(total / 1000).toFixed(1)} s`);
  console.log(`  peak memory of the process (all threads): ${peakMiB.toFixed(0)} MiB (target < 1,536 MiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
