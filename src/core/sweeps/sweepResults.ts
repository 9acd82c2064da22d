// A sweep's results from its trials: each trial's metrics read from its run folder, the best trial, and
// the importance of each searched parameter.
import type { RunStore } from '../runs/runStore';
import { parameterImportance } from './parameterImportance';
import { rankTrials } from './planNextTrial';
import type { ParameterImportance, SweepBest, SweepRecord, TrialRecord } from './sweepRecord';

export interface TrialMetrics {
  /** Best validation accuracy over the run's epochs. */
  valAcc?: number;
  /** Lowest validation loss over the run's epochs. */
  valLoss?: number;
  lastEpoch?: number;
}

/** What a trial's run reached, from its metrics.jsonl (empty when the run has no finished epoch). */
export async function readTrialMetrics(store: RunStore, runId: string): Promise<TrialMetrics> {
  const events = await store.readMetrics(runId);
  const metrics: TrialMetrics = {};
  for (const event of events) {
    if (event.type !== 'epochEnd') continue;
    // A trial without a validation split is scored by its training numbers (as the run picks its best epoch).
    const acc = event.valAcc ?? event.acc;
    const loss = event.valLoss ?? event.loss;
    if (Number.isFinite(acc) && (metrics.valAcc === undefined || acc > metrics.valAcc)) metrics.valAcc = acc;
    if (Number.isFinite(loss) && (metrics.valLoss === undefined || loss < metrics.valLoss)) metrics.valLoss = loss;
    metrics.lastEpoch = Math.max(metrics.lastEpoch ?? 0, event.epoch);
  }
  return metrics;
}

/**
 * The best trial: by the metric among completed trials (for halving, those of the highest rung that
 * completed any, the configurations trained longest). When none completed, the best of the trials the
 * budget stopped, whose runs still hold their best epoch's model.
 */
export function sweepBest(record: Pick<SweepRecord, 'spec' | 'trials'>): SweepBest | undefined {
  let candidates = record.trials.filter((trial) => trial.runId !== undefined);
  if (record.spec.method === 'halving') {
    const completed = candidates.filter((trial) => trial.status === 'completed');
    const top = completed.reduce((highest, trial) => Math.max(highest, trial.rung ?? 0), 0);
    candidates = completed.length > 0 ? completed.filter((trial) => (trial.rung ?? 0) === top) : candidates;
  }
  let [best] = rankTrials(record.spec, candidates);
  if (!best) {
    const stopped = candidates.filter((trial) => trial.status === 'cancelled').map((trial) => ({ ...trial, status: 'completed' as const }));
    [best] = rankTrials(record.spec, stopped);
  }
  if (!best) return undefined;
  return { trial: best.trial, runId: best.runId!, params: best.params, value: best.value!, ...(best.valAcc !== undefined ? { valAcc: best.valAcc } : {}) };
}

/** The trials importance is estimated from: completed with a value; for halving, the first rung (equal epochs). */
export function importanceTrials(record: Pick<SweepRecord, 'spec' | 'trials'>): TrialRecord[] {
  return record.trials.filter((trial) => trial.status === 'completed' && typeof trial.value === 'number' && Number.isFinite(trial.value) &&
    (record.spec.method !== 'halving' || (trial.rung ?? 0) === 0));
}

/** The forest is fitted on at most this many trials (an evenly spread selection of them), to stay quick. */
export const MAX_IMPORTANCE_TRIALS = 1000;

/** Importance of every searched parameter (see parameterImportance.ts), most important first. */
export function sweepImportance(record: Pick<SweepRecord, 'spec' | 'trials'>): ParameterImportance[] {
  let trials = importanceTrials(record);
  if (trials.length > MAX_IMPORTANCE_TRIALS) {
    const step = trials.length / MAX_IMPORTANCE_TRIALS;
    trials = Array.from({ length: MAX_IMPORTANCE_TRIALS }, (_, i) => trials[Math.floor(i * step)]);
  }
  const samples = trials.map((trial) => ({ params: trial.params, value: trial.value! }));
  return parameterImportance(samples, Object.keys(record.spec.space), record.spec.seed);
}
