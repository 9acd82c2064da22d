// A sweep as its tab shows it: sweep.json's spec and trials with each trial's run (name, test accuracy,
// training time) and each searched parameter placed on an axis. No VS Code API here.
import type { RunRecord } from '../../../core/runs/runRecord';
import type { SweepRecord } from '../../../core/sweeps/sweepRecord';
import { importanceTrials } from '../../../core/sweeps/sweepResults';
import { isRange } from '../../../core/sweeps/sweepSpec';
import { runSpecFromTrainOptions } from '../../../core/trainOptions';
import type { SweepParamValue, SweepParamView, SweepTrialView, SweepView } from '../../../protocol/sweepView';
import { plannedTrials, RESUMABLE_SWEEP_STATUSES, spaceText } from '../../views/sweepPresentation';

/** A list of positive numbers spanning this factor or more is drawn on a log axis (learning rates, sizes). */
const LOG_SPAN = 20;

/** A parameter value as text: lists joined by commas (`64,64`), numbers as written. */
export function paramValueText(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** How each searched parameter is placed: numbers on an axis (log for log ranges and wide lists of positives), the rest as categories. */
export function sweepParams(record: Pick<SweepRecord, 'spec'>): SweepParamView[] {
  return Object.entries(record.spec.space).map(([name, entry]): SweepParamView => {
    if (isRange(entry)) return { name, kind: 'number', log: entry.log === true, min: entry.min, max: entry.max };
    if (entry.every((value) => typeof value === 'number')) {
      const numbers = entry as number[];
      const min = Math.min(...numbers);
      const max = Math.max(...numbers);
      return { name, kind: 'number', log: min > 0 && max / min >= LOG_SPAN, min, max };
    }
    return { name, kind: 'category', log: false, categories: [...new Set(entry.map(paramValueText))] };
  });
}

function placed(param: SweepParamView, value: unknown): SweepParamValue {
  return param.kind === 'number' && typeof value === 'number' ? value : paramValueText(value);
}

function baseEpochsOf(record: Pick<SweepRecord, 'spec'>): number {
  try {
    return runSpecFromTrainOptions(record.spec.base).training.epochs;
  } catch {
    return typeof record.spec.base.epochs === 'number' ? record.spec.base.epochs : 0;
  }
}

export function sweepView(record: SweepRecord, runOf: (runId: string) => RunRecord | undefined, runningHere: boolean): SweepView {
  const params = sweepParams(record);
  const trials = record.trials.map((trial): SweepTrialView => {
    const run = trial.runId !== undefined ? runOf(trial.runId) : undefined;
    const values: Record<string, SweepParamValue> = {};
    for (const param of params) if (trial.params[param.name] !== undefined) values[param.name] = placed(param, trial.params[param.name]);
    return {
      trial: trial.trial, status: trial.status, params: values, epochs: trial.epochs,
      ...(trial.value !== undefined ? { value: trial.value } : {}),
      ...(trial.valAcc !== undefined ? { valAcc: trial.valAcc } : {}),
      ...(trial.valLoss !== undefined ? { valLoss: trial.valLoss } : {}),
      ...(trial.lastEpoch !== undefined ? { lastEpoch: trial.lastEpoch } : {}),
      ...(trial.rung !== undefined ? { rung: trial.rung } : {}),
      ...(trial.runId !== undefined ? { runId: trial.runId } : {}),
      ...(run ? { runName: run.name } : {}),
      ...(run?.summary.testAcc !== undefined ? { testAcc: run.summary.testAcc } : {}),
      ...(run?.summary.durationMs !== undefined ? { durationMs: run.summary.durationMs } : {}),
      ...(trial.error !== undefined ? { error: trial.error } : {}),
    };
  });
  const { spec } = record;
  const planned = plannedTrials(record);
  return {
    id: record.id, name: record.name, status: record.status, method: spec.method, metric: spec.metric, seed: spec.seed,
    createdAt: record.createdAt, elapsedMs: record.elapsedMs,
    ...(spec.budgetMinutes !== undefined ? { budgetMinutes: spec.budgetMinutes } : {}),
    ...(planned !== undefined ? { plannedTrials: planned } : {}),
    spaceText: spaceText(record), baseEpochs: baseEpochsOf(record),
    runningHere, resumable: !runningHere && RESUMABLE_SWEEP_STATUSES.includes(record.status),
    params, trials,
    importance: (record.importance ?? []).map((entry) => ({ param: entry.param, importance: entry.importance, ...(entry.correlation !== undefined ? { correlation: entry.correlation } : {}) })),
    importanceTrials: importanceTrials(record).length,
    ...(record.best ? { best: { trial: record.best.trial, runId: record.best.runId, value: record.best.value } } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
  };
}
