// The `classifier-lab` command line: train, resume, eval, classify, runs and inspect, over the same engine as the editor.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { initBackend } from '../core/backend/selectBackend';
import { ImageClassifier } from '../core/classify/imageClassifier';
import { evaluateRun } from '../core/classify/evaluateRun';
import { releaseRunFromEarlierAttempt } from '../core/cluster/requeuedJob';
import { DATASET_FORMATS, TTA_KINDS, type DatasetFormat, type TtaKind } from '../core/runSpec';
import { printable, printableJson, printableLines } from '../core/runs/printable';
import type { RunRecord } from '../core/runs/runRecord';
import { RunStore } from '../core/runs/runStore';
import { openRunFolder } from '../core/runs/openRunFolder';
import { runTraining } from '../core/runTraining';
import type { BestEpochSummary } from '../core/train/trainingEvents';
import { cacheCommand, CACHE_USAGE, takeCacheFlags } from './cacheCommand';
import { cancelOnSignals } from './cancelOnSignals';
import { collectImagePaths } from './collectImagePaths';
import { doctor } from './doctorCommand';
import { oneOf } from './flagValues';
import { inspect } from './inspectCommand';
import { LR_FIND_USAGE, lrFind } from './lrFindCommand';
import { DEFAULT_RUNS_DIR, parseThreadsFlag, parseTrainArgs } from './parseTrainArgs';
import { listPresetsCommand, saveTrainPreset } from './presetCommands';
import { RECIPE_USAGE } from './recipeFlags';
import { ProgressDisplay } from './progressDisplay';
import { runExitCode } from './runExitCode';
import { followCommand, resumeOnSlurm, trainOnSlurm, type TrainingOutput } from './slurmCommands';
import { takeExecutorFlags } from './slurmFlags';
import { stoppedBySlurm } from './slurmJobSignal';
import { sweep } from './sweepCommand';
import { UsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

const HELP = `Classifier Lab: train and track image classifiers with TensorFlow.js.

Usage:
  classifier-lab train --data PATH [--format auto|folder|cifar10|cifar100|idx] [--model cnn|rnn|attention|resnet]
      [--epochs N] [--batch-size N] [--learning-rate X] [--optimizer adam|sgd|rmsprop] [--momentum X]
      [--loss crossentropy|mse] [--label-smoothing X] [--augment flip,rotate[=DEG],crop[=PX],color[=S]] [--image-size N]
      [--val-split F] [--limit N] [--seed N] [--patience N] [--cifar100-labels fine|coarse]
      [--runs-dir DIR] [--name NAME] [--backend auto|native|wasm] [--threads auto|N] [--json]
      ${RECIPE_USAGE}
  ${LR_FIND_USAGE}
  classifier-lab presets [--presets-dir DIR] [--json]
  classifier-lab resume --run RUN_DIR [--backend auto|native|wasm] [--threads auto|N] [--json]
  classifier-lab train|resume ... --executor slurm [--partition P] [--cpus-per-task N] [--mem M] [--time T]
      [--account A] [--sbatch-arg ARG]... [--setup-script FILE] [--detach]
  classifier-lab follow --run RUN_DIR [--json]
  classifier-lab eval --run RUN_DIR --data PATH [--format F] [--tta none|flip] [--threads auto|N] [--json]
  classifier-lab classify --run RUN_DIR IMAGE_OR_FOLDER... [--top K] [--tta none|flip] [--json]
  classifier-lab runs [--runs-dir DIR] [--json]
  classifier-lab inspect --data PATH [--format F] [--run RUN_DIR] [--cifar100-labels fine|coarse] [--json]
  classifier-lab sweep --spec FILE [--runs-dir DIR] [--parallel N] [--backend B] [--threads auto|N] [--json]
  classifier-lab sweep --resume SWEEP_DIR [--parallel N] [--backend B] [--threads auto|N] [--json]
  classifier-lab doctor --run RUN_DIR [--json]
  ${CACHE_USAGE}

train takes --model-option name=value (repeatable) to set the model's options, e.g. --model rnn
--model-option layers=2 --model-option units=64; each model's options are listed in the README.
--augment takes names with optional strengths: rotate=10 (degrees), crop=2 (pixels), color=0.3, or
brightness=, contrast=, saturation= one at a time. inspect looks for unreadable and odd files,
duplicates, near-duplicates, label conflicts, train/test leaks, imbalance and (with --run) likely
mislabelled images; it changes nothing.

Runs are folders under --runs-dir (default ${DEFAULT_RUNS_DIR}). With --preset NAME a built-in or saved preset
gives the settings and the other flags override them; --save-preset NAME saves the settings given (without
--data it only saves). With --json every command prints one
JSON object per line. Ctrl+C stops training after the current batch and keeps the run (status cancelled).

Folder datasets are decoded once and their resized pixels kept in a cache ($CLASSIFIER_LAB_DECODED_CACHE,
else ~/.cache/classifier-lab/decoded-images; 2 GB, least recently used evicted): later runs, resumes and
sweep trials on the folder start in seconds. Every command takes --no-cache or --cache-dir DIR.

With --executor slurm the run is submitted to Slurm as a job (sbatch) that trains it in the runs folder, which
must be on a file system the compute nodes share; the trainer uses --cpus-per-task threads. The command then
follows the job, printing the same output, and exits with the run's code (0 completed, 1 failed, 130
cancelled, 75 interrupted by Slurm: resume it). Ctrl+C cancels the job (scancel). --detach returns after
submission; follow prints a submitted run's progress until its job ends (Ctrl+C there only stops following).

With --val-split 0 there is no validation split: the best epoch is chosen, and reported, by training accuracy.
`;

const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);

function printJson(value: unknown): void {
  process.stdout.write(printableJson(value) + '\n');
}

/** `best val acc 97.1% at epoch 4`, or for a run without a validation split `best train acc ... (no validation split)`. */
function describeBest(best: BestEpochSummary | null): string {
  if (!best) return 'no finished epoch';
  if (best.valAcc !== undefined) return `best val acc ${percent(best.valAcc)} at epoch ${best.epoch}`;
  return `best train acc ${percent(best.trainAcc)} at epoch ${best.epoch} (no validation split)`;
}

/** The best accuracy of a listed run, saying which split it was measured on. */
function bestOfRun(run: RunRecord): string {
  if (run.summary.bestValAcc !== undefined) return `${percent(run.summary.bestValAcc)} val`;
  if (run.summary.bestTrainAcc !== undefined) return `${percent(run.summary.bestTrainAcc)} train`;
  return '-';
}

function trainingOutput(json: boolean): TrainingOutput {
  const display = new ProgressDisplay();
  return {
    onEvent(event) {
      if (!json) {
        display.show(event);
        return;
      }
      if (event.type === 'epochEnd') {
        printJson({
          type: 'epochEnd', epoch: event.epoch, loss: event.loss, acc: event.acc,
          ...(event.valAcc !== undefined ? { valLoss: event.valLoss, valAcc: event.valAcc } : {}),
          imagesPerSecond: event.imagesPerSecond,
        });
      } else if (event.type === 'log' && event.level !== 'info') {
        process.stderr.write(`${event.level}: ${printableLines(event.message)}\n`);
      }
    },
    finish(outcome) {
      if (json) {
        printJson({
          type: 'runEnd', status: outcome.status, runDir: outcome.runDir, best: outcome.best,
          ...(outcome.testAcc !== undefined ? { testAcc: outcome.testAcc } : {}),
          ...(outcome.error ? { error: outcome.error } : {}),
        });
        return;
      }
      process.stdout.write(display.summary());
      const test = outcome.testAcc !== undefined ? `, test acc ${percent(outcome.testAcc)}` : '';
      process.stdout.write(`Run ${outcome.status}: ${describeBest(outcome.best)}${test}\n${printable(outcome.runDir)}\n`);
      if (outcome.error) process.stderr.write(`error: ${printableLines(outcome.error)}\n`);
    },
  };
}

async function train(args: string[]): Promise<number> {
  const executor = takeExecutorFlags(args);
  const command = await parseTrainArgs(executor.rest);
  if (command.savePreset) {
    const file = await saveTrainPreset(command);
    if (command.json) printJson({ type: 'presetSaved', name: command.savePreset.name, file });
    else process.stdout.write(`Saved preset "${command.savePreset.name}": ${file}\n`);
    if (!command.spec.data.path) return 0;
  }
  if (executor.executor === 'slurm') return trainOnSlurm(command, executor, trainingOutput(command.json));
  const controller = cancelOnSignals();
  const output = trainingOutput(command.json);
  const outcome = await runTraining({
    spec: command.spec, runsDir: command.runsDir, name: command.name, backend: command.backend, threads: command.threads,
    signal: controller.signal, isInterrupted: stoppedBySlurm(), onEvent: (event) => output.onEvent(event),
  });
  output.finish(outcome);
  return runExitCode(outcome.status);
}

async function resume(args: string[]): Promise<number> {
  const executor = takeExecutorFlags(args);
  const { values } = parseArgs({
    args: executor.rest, strict: true,
    options: { run: { type: 'string' }, backend: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.run) throw new UsageError('resume needs --run RUN_DIR.');
  const threads = parseThreadsFlag(values.threads);
  const backend = values.backend ?? 'auto';
  if (!['auto', 'native', 'wasm'].includes(backend)) throw new UsageError(`--backend must be auto, native or wasm (got "${backend}").`);
  if (executor.executor === 'slurm') {
    return resumeOnSlurm({ runDir: values.run, backend: backend as 'auto', threads, json: values.json === true }, executor, trainingOutput(values.json === true));
  }
  const { store, record } = await openRunFolder(values.run);
  await releaseRunFromEarlierAttempt(store, record.id);
  const controller = cancelOnSignals();
  const output = trainingOutput(values.json === true);
  const outcome = await runTraining({
    spec: record.spec, runsDir: store.runsDir, resumeRunId: record.id, backend: backend as 'auto', threads,
    signal: controller.signal, isInterrupted: stoppedBySlurm(), onEvent: (event) => output.onEvent(event),
  });
  output.finish(outcome);
  return runExitCode(outcome.status);
}

/** `--tta none|flip` of eval and classify; absent = the run's own setting. */
function ttaFlag(value: string | undefined): TtaKind | undefined {
  return value === undefined ? undefined : oneOf<TtaKind>('tta', value, TTA_KINDS, 'none');
}

async function evaluate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args, strict: true,
    options: {
      run: { type: 'string' }, data: { type: 'string' }, format: { type: 'string' }, tta: { type: 'string' },
      threads: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  if (!values.run || !values.data) throw new UsageError('eval needs --run RUN_DIR and --data PATH.');
  const format = (values.format ?? 'auto') as DatasetFormat;
  if (!DATASET_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')}.`);
  await initBackend('auto');
  const result = await evaluateRun(values.run, resolve(values.data), {
    format, tta: ttaFlag(values.tta), threads: parseThreadsFlag(values.threads),
    onWarning: (message) => process.stderr.write(`warning: ${printableLines(message)}\n`),
  });
  if (values.json) {
    printJson({ type: 'eval', accuracy: result.accuracy, loss: result.loss, split: result.split, count: result.count, classes: result.classes, confusion: result.confusion, perClass: result.perClass });
    return 0;
  }
  process.stdout.write(`Accuracy ${percent(result.accuracy)} on ${result.count} ${result.split === 'test' ? 'test' : ''} images (loss ${result.loss.toFixed(4)})\n`);
  const width = Math.max(5, ...result.classes.map((c) => printable(c).length));
  process.stdout.write(`${'class'.padEnd(width)}  precision  recall     f1  support\n`);
  for (const m of result.perClass) {
    process.stdout.write(`${printable(m.label).padEnd(width)}  ${percent(m.precision).padStart(9)}  ${percent(m.recall).padStart(6)} ${percent(m.f1).padStart(6)}  ${String(m.support).padStart(7)}\n`);
  }
  return 0;
}

async function classify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, strict: true, allowPositionals: true,
    options: { run: { type: 'string' }, top: { type: 'string' }, tta: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.run) throw new UsageError('classify needs --run RUN_DIR and at least one image.');
  if (positionals.length === 0) throw new UsageError('classify needs at least one image file or folder.');
  const top = values.top === undefined ? 5 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top needs a whole number of at least 1 (got "${values.top}").`);
  const images = await collectImagePaths(positionals.map((p) => resolve(p)));
  await initBackend('auto');
  const classifier = await ImageClassifier.fromRun(values.run, { tta: ttaFlag(values.tta) });
  let failures = 0;
  try {
    for (const image of images) {
      try {
        const [result] = await classifier.classify([image], top);
        if (values.json) printJson({ type: 'classification', image: result.image, top: result.top });
        else process.stdout.write(`${printable(result.image)}: ${result.top.map((t) => `${printable(t.label)} ${percent(t.probability)}`).join(', ')}\n`);
      } catch (error) {
        // One unreadable image is reported and the rest are still classified.
        failures += 1;
        if (values.json) printJson({ type: 'error', image, message: errorMessage(error) });
        else process.stderr.write(`error: ${printableLines(errorMessage(error))}\n`);
      }
    }
  } finally {
    classifier.dispose();
  }
  return failures > 0 ? 1 : 0;
}

async function listRuns(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'runs-dir': { type: 'string' }, json: { type: 'boolean' } } });
  const store = new RunStore(resolve(values['runs-dir'] ?? DEFAULT_RUNS_DIR));
  const { runs, unreadable } = await store.scan();
  if (values.json) {
    for (const run of runs) {
      printJson({
        type: 'run', id: run.id, name: run.name, status: run.status, model: run.spec.model.kind,
        createdAt: run.createdAt, bestEpoch: run.summary.bestEpoch, bestValAcc: run.summary.bestValAcc,
        bestTrainAcc: run.summary.bestTrainAcc, testAcc: run.summary.testAcc, runDir: store.runDir(run.id),
      });
    }
    for (const bad of unreadable) printJson({ type: 'unreadableRun', id: bad.id, reason: bad.reason });
    return 0;
  }
  if (runs.length === 0 && unreadable.length === 0) {
    process.stdout.write(`No runs in ${printable(store.runsDir)}. Start one with: classifier-lab train --data PATH\n`);
    return 0;
  }
  // Names come from run.json files: never let one move the cursor or recolour the terminal.
  const rows = runs.map((run) => [run.id, printable(run.name), run.status, run.spec.model.kind, bestOfRun(run), percent(run.summary.testAcc)]);
  const header = ['id', 'name', 'status', 'model', 'best acc', 'test'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  for (const bad of unreadable) process.stderr.write(`warning: ${bad.id} is unreadable: ${printable(bad.reason)}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...given] = argv;
  try {
    const args = takeCacheFlags(given);
    switch (command) {
      case 'cache': return await cacheCommand(args);
      case 'train': return await train(args);
      case 'resume': return await resume(args);
      case 'eval': return await evaluate(args);
      case 'classify': return await classify(args);
      case 'runs': return await listRuns(args);
      case 'follow': return await followCommand(args, trainingOutput);
      case 'inspect': return await inspect(args);
      case 'sweep': return await sweep(args);
      case 'doctor': return await doctor(args);
      case 'presets': return await listPresetsCommand(args);
      case 'lr-find': return await lrFind(args);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    const message = errorMessage(error);
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`classifier-lab: ${printableLines(message)}\nRun "classifier-lab --help" for usage.\n`);
      return 2;
    }
    process.stderr.write(`classifier-lab: ${printableLines(message)}\n`);
    if (process.env.CLASSIFIER_LAB_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
