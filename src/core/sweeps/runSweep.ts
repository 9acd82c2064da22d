// The sweep scheduler: plans trials with the sweep's method, hands them to a trial runner (as many at
// once as it takes), records each trial's run and metrics in sweep.json as it ends (in any order), keeps
// the time budget, and stops everything on cancel. Resuming continues where the last process stopped:
// finished trials are never run again; unfinished ones continue their runs from the last checkpoint.
import { RunStore } from '../runs/runStore';
import type { RunSpec } from '../runSpec';
import { runSpecFromTrainOptions, withChanges } from '../trainOptions';
import { planNextTrial, sweepRungs } from './planNextTrial';
import type { SweepRecord, TrialRecord } from './sweepRecord';
import { readTrialMetrics, sweepBest, sweepImportance } from './sweepResults';
import type { SweepStore } from './sweepStore';
import type { TrialOutcome, TrialRequest, TrialRunner } from './trialRunner';

/** How often a running sweep rewrites sweep.json's `updatedAt`, so readers on other machines know it lives. */
export const SWEEP_HEARTBEAT_MS = 30_000;
/** Up to this many trials, the importance is recomputed after every trial; beyond, when the sweep ends. */
const LIVE_IMPORTANCE_TRIALS = 200;

export interface RunSweepOptions {
  store: SweepStore;
  /** The sweep folder's name in the store (made by `store.create`, or an earlier sweep to resume). */
  id: string;
  runner: TrialRunner;
  /** Aborting cancels the sweep: running trials are stopped and end cancelled; resuming continues them. */
  signal?: AbortSignal;
  onTrialStart?(trial: TrialRecord): void;
  /** `runDir` is the trial's absolute run folder, when it got one. */
  onTrialEnd?(trial: TrialRecord, runDir: string | undefined): void;
  heartbeatIntervalMs?: number;
}

export interface SweepOutcome {
  record: SweepRecord;
  sweepDir: string;
  /** Absolute runs folder of the trials. */
  runsDir: string;
}

type Finished = { trial: TrialRecord; outcome: TrialOutcome };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The run spec of a trial: the base with the trial's parameters and epochs. Throws a TrainOptionError. */
export function trialRunSpec(record: Pick<SweepRecord, 'spec'>, trial: Pick<TrialRecord, 'params' | 'epochs'>): RunSpec {
  return runSpecFromTrainOptions(withChanges(record.spec.base, { ...trial.params, epochs: trial.epochs }));
}

export async function runSweep(options: RunSweepOptions): Promise<SweepOutcome> {
  const { store, runner } = options;
  const sweepDir = store.sweepDir(options.id);
  const existing = await store.read(options.id);
  if (existing.status === 'completed') return { record: existing, sweepDir, runsDir: store.runsDirOf(existing) };
  const record = await store.claim(options.id);
  const spec = record.spec;
  const runsDir = store.runsDirOf(record);
  const runStore = new RunStore(runsDir);
  const baseEpochs = runSpecFromTrainOptions(spec.base).training.epochs;
  if (spec.method === 'halving') record.rungs = sweepRungs(spec, baseEpochs);

  const segmentStart = Date.now();
  const elapsedBefore = record.elapsedMs;
  const elapsed = () => elapsedBefore + (Date.now() - segmentStart);
  let writing: Promise<void> = Promise.resolve();
  /** Queues a write of the record as it is now; writes land in order, and a failed one does not block the next. */
  const save = (): Promise<void> => {
    record.elapsedMs = elapsed();
    const snapshot = structuredClone(record);
    writing = writing.catch(() => undefined).then(() => store.write(snapshot));
    return writing;
  };

  const inflight = new Map<number, { promise: Promise<Finished>; controller: AbortController }>();
  let stopReason: SweepRecord['stopReason'];
  const stopTrials = (reason: 'user' | 'budget') => {
    for (const { controller } of inflight.values()) controller.abort(reason);
  };
  const onAbort = () => {
    stopReason ??= 'cancelled';
    stopTrials('user');
  };
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();
  let budgetTimer: NodeJS.Timeout | undefined;
  if (spec.budgetMinutes !== undefined) {
    const left = spec.budgetMinutes * 60_000 - elapsed();
    if (left <= 0) stopReason ??= 'budget';
    else {
      budgetTimer = setTimeout(() => {
        stopReason ??= 'budget';
        stopTrials('budget');
      }, left);
    }
  }
  const heartbeat = setInterval(() => void save().catch(() => undefined), options.heartbeatIntervalMs ?? SWEEP_HEARTBEAT_MS);
  heartbeat.unref();

  const start = async (trial: TrialRecord): Promise<void> => {
    let runSpec: RunSpec;
    try {
      runSpec = trialRunSpec(record, trial);
    } catch (error) {
      // A combination of values that cannot work together (e.g. heads not dividing embedDim).
      trial.status = 'failed';
      trial.error = message(error);
      trial.endedAt = new Date().toISOString();
      await save();
      options.onTrialEnd?.(trial, undefined);
      return;
    }
    const controller = new AbortController();
    trial.status = 'running';
    trial.startedAt = new Date().toISOString();
    delete trial.endedAt;
    delete trial.stoppedBy;
    delete trial.error;
    await save();
    options.onTrialStart?.(trial);
    const request: TrialRequest = {
      sweepId: record.id,
      trial: trial.trial,
      spec: runSpec,
      name: `${record.name} #${trial.trial}`,
      runsDir,
      resumeRunId: trial.runId,
      signal: controller.signal,
      onRunCreated: (runId) => {
        if (trial.runId === runId) return;
        trial.runId = runId;
        void save().catch(() => undefined);
      },
    };
    const promise = Promise.resolve()
      .then(() => runner.run(request))
      .then((outcome): Finished => ({ trial, outcome }), (error: unknown): Finished => ({ trial, outcome: { status: 'failed', error: message(error) } }));
    inflight.set(trial.trial, { promise, controller });
  };

  const settle = async ({ trial, outcome }: Finished): Promise<void> => {
    trial.endedAt = new Date().toISOString();
    if (outcome.runId) trial.runId = outcome.runId;
    if (trial.runId) {
      const metrics = await readTrialMetrics(runStore, trial.runId).catch(() => ({}));
      Object.assign(trial, metrics);
      const value = spec.metric === 'valAcc' ? trial.valAcc : trial.valLoss;
      if (value !== undefined) trial.value = value;
    }
    if (outcome.status === 'cancelled' && stopReason !== undefined && stopReason !== 'done') {
      trial.status = 'cancelled';
      trial.stoppedBy = stopReason === 'budget' ? 'budget' : 'user';
    } else if (outcome.status === 'cancelled') {
      // Its run was stopped on its own (from the run list, say) while the sweep went on: it is over.
      trial.status = 'failed';
      trial.error = 'Its run was stopped before it finished.';
    } else {
      trial.status = outcome.status;
      if (outcome.error) trial.error = outcome.error;
    }
    record.best = sweepBest(record);
    // Kept current for viewers while the sweep runs; large sweeps get it at the end only.
    if (record.trials.length <= LIVE_IMPORTANCE_TRIALS) record.importance = sweepImportance(record);
    await save();
    options.onTrialEnd?.(trial, trial.runId ? runStore.runDir(trial.runId) : undefined);
  };

  // Trials an earlier process left unfinished (pending, running when it died, or cancelled by the user) go first.
  const again = record.trials.filter((trial) => trial.status === 'pending' || trial.status === 'running' ||
    (trial.status === 'cancelled' && trial.stoppedBy !== 'budget'));
  try {
    for (;;) {
      while (stopReason === undefined && inflight.size < Math.max(1, runner.capacity)) {
        const resumed = again.shift();
        if (resumed) {
          await start(resumed);
          continue;
        }
        const next = planNextTrial(spec, baseEpochs, record.trials);
        if (next.kind !== 'start') {
          if (next.kind === 'done' && inflight.size === 0) stopReason = 'done';
          break;
        }
        const trial: TrialRecord = { trial: record.trials.length + 1, ...next.trial, status: 'pending' };
        record.trials.push(trial);
        await start(trial);
      }
      if (inflight.size === 0) break;
      const finished = await Promise.race([...inflight.values()].map((entry) => entry.promise));
      inflight.delete(finished.trial.trial);
      await settle(finished);
    }
  } catch (error) {
    stopTrials('user');
    await Promise.allSettled([...inflight.values()].map((entry) => entry.promise));
    record.status = 'failed';
    record.error = message(error);
    throw error;
  } finally {
    clearTimeout(budgetTimer);
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onAbort);
    if (record.status !== 'failed') {
      record.status = stopReason === 'cancelled' ? 'cancelled' : 'completed';
      record.stopReason = stopReason ?? 'done';
    }
    record.endedAt = new Date().toISOString();
    delete record.process;
    record.best = sweepBest(record);
    if (!record.best) delete record.best;
    record.importance = sweepImportance(record);
    await save().catch(() => undefined);
  }
  return { record, sweepDir, runsDir };
}
