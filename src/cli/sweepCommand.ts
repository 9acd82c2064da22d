// `classifier-lab sweep`: starts a sweep from a spec file, or resumes one, training its trials here (one at
// a time) or in child processes (--parallel N); Ctrl+C cancels the sweep, --resume continues it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSweepSpec, SweepSpecError } from '../core/sweeps/parseSweepSpec';
import { InProcessTrialRunner } from '../core/sweeps/inProcessTrialRunner';
import { plannedTrialCount } from '../core/sweeps/planNextTrial';
import { runSweep } from '../core/sweeps/runSweep';
import { openSweepFolder, SweepStore, sweepsDirFor } from '../core/sweeps/sweepStore';
import type { TrialRunner } from '../core/sweeps/trialRunner';
import { runSpecFromTrainOptions } from '../core/trainOptions';
import { autoTrainingThreads } from '../core/train/trainingThreads';
import { cancelOnSignals } from './cancelOnSignals';
import { ChildProcessTrialRunner, serveTrialChild, TRIAL_CHILD_FLAG } from './childProcessTrialRunner';
import { DEFAULT_RUNS_DIR, parseThreadsFlag } from './parseTrainArgs';
import { SweepOutput } from './sweepOutput';
import { UsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

const MAX_PARALLEL = 16;

function readSpecFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `No sweep spec at ${file}.` : `Cannot read the sweep spec ${file}: ${errorMessage(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The sweep spec ${file} is not valid JSON: ${errorMessage(error)}`);
  }
}

export async function sweep(args: string[]): Promise<number> {
  if (args[0] === TRIAL_CHILD_FLAG) return serveTrialChild();
  const { values } = parseArgs({
    args, strict: true,
    options: {
      spec: { type: 'string' }, resume: { type: 'string' }, 'runs-dir': { type: 'string' }, parallel: { type: 'string' },
      backend: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  if ((values.spec === undefined) === (values.resume === undefined)) {
    throw new UsageError('sweep needs --spec FILE (a new sweep) or --resume SWEEP_DIR (continue one).');
  }
  if (values.resume !== undefined && values['runs-dir'] !== undefined) {
    throw new UsageError('--runs-dir goes with --spec: a resumed sweep keeps its runs folder.');
  }
  const parallel = values.parallel === undefined ? 1 : Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > MAX_PARALLEL) {
    throw new UsageError(`--parallel must be a whole number from 1 to ${MAX_PARALLEL} (got "${values.parallel}").`);
  }
  const backend = values.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'native' && backend !== 'wasm') throw new UsageError(`--backend must be auto, native or wasm (got "${backend}").`);
  const threads = parseThreadsFlag(values.threads);
  const json = values.json === true;

  let store: SweepStore;
  let id: string;
  const resumed = values.resume !== undefined;
  if (values.spec !== undefined) {
    const file = resolve(values.spec);
    let spec;
    try {
      spec = parseSweepSpec(readSpecFile(file), dirname(file));
    } catch (error) {
      if (error instanceof SweepSpecError) throw new UsageError(`Invalid sweep spec ${values.spec}: ${error.message}`);
      throw error;
    }
    const runsDir = resolve(values['runs-dir'] ?? DEFAULT_RUNS_DIR);
    store = new SweepStore(sweepsDirFor(runsDir));
    id = (await store.create(spec, runsDir)).id;
  } else {
    const opened = await openSweepFolder(values.resume!);
    store = opened.store;
    id = opened.record.id;
  }
  const initial = await store.read(id);
  const output = new SweepOutput(json, plannedTrialCount(initial.spec, runSpecFromTrainOptions(initial.spec.base).training.epochs));
  const epochsOf = new Map<number, number>();
  const onEpochEnd = (trial: number, epoch: number, valAcc: number) => output.epochEnded(trial, epoch, epochsOf.get(trial), valAcc);
  const runner: TrialRunner = parallel > 1
    ? new ChildProcessTrialRunner({
      parallel, backend, threads: threads === 'auto' ? autoTrainingThreads(parallel) : threads,
      onEpochEnd: (trial, event) => onEpochEnd(trial, event.epoch, event.valAcc ?? event.acc),
    })
    : new InProcessTrialRunner({
      backend, threads,
      onEvent: (event, trial) => {
        if (event.type === 'epochEnd') onEpochEnd(trial, event.epoch, event.valAcc ?? event.acc);
        else if (event.type === 'log' && event.level !== 'info' && !json) process.stderr.write(`  ${event.level}: ${event.message}\n`);
      },
    });
  output.started(initial, store.sweepDir(id), resumed);
  if (initial.status === 'completed') {
    process.stderr.write('This sweep has finished: nothing left to run.\n');
  }
  const controller = cancelOnSignals('Cancelling the sweep: its running trials stop after their current batch (Ctrl+C again to quit now)...');
  const outcome = await runSweep({
    store, id, runner, signal: controller.signal,
    onTrialStart: (trial) => {
      epochsOf.set(trial.trial, trial.epochs);
      output.trialStarted(trial);
    },
    onTrialEnd: (trial, runDir) => output.trialEnded(initial, trial, runDir),
  });
  output.finished(outcome);
  if (outcome.record.status === 'cancelled') return 130;
  const trials = outcome.record.trials;
  return trials.length > 0 && trials.every((trial) => trial.status === 'failed') ? 1 : 0;
}
