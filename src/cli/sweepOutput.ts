// What `classifier-lab sweep` prints: one JSON line per finished trial and one at the end (--json), or
// readable lines per trial and a closing summary with the best trial and the parameter importance.
import { join, relative } from 'node:path';
import type { SweepOutcome } from '../core/sweeps/runSweep';
import type { SweepRecord, TrialRecord } from '../core/sweeps/sweepRecord';
import type { TrialParams } from '../core/sweeps/sweepSpec';

const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : Number(value.toPrecision(3)).toString();
  return Array.isArray(value) ? value.join(',') : String(value);
}

export function formatParams(params: TrialParams): string {
  return Object.entries(params).map(([name, value]) => `${name}=${formatValue(value)}`).join(' ');
}

function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length > 0 && !rel.startsWith('..') ? rel : path;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** `{"type":"trialEnd","trial","runDir","params","valAcc","status"}`, plus rung and epochs for halving, error when failed. */
export function trialEndLine(record: Pick<SweepRecord, 'spec'>, trial: TrialRecord, runDir: string | undefined): Record<string, unknown> {
  return {
    type: 'trialEnd',
    trial: trial.trial,
    runDir: runDir ?? null,
    params: trial.params,
    valAcc: trial.valAcc ?? null,
    status: trial.status,
    ...(record.spec.method === 'halving' ? { rung: trial.rung ?? 0, epochs: trial.epochs } : {}),
    ...(trial.error !== undefined ? { error: trial.error } : {}),
  };
}

/** `{"type":"sweepEnd","sweepDir","best":{"runDir","params","valAcc"},"importance":{"<param>":number},"status"}`. */
export function sweepEndLine(outcome: SweepOutcome): Record<string, unknown> {
  const { record, sweepDir, runsDir } = outcome;
  const best = record.best;
  return {
    type: 'sweepEnd',
    sweepDir,
    best: best ? { runDir: join(runsDir, best.runId), params: best.params, valAcc: best.valAcc ?? null } : null,
    importance: Object.fromEntries((record.importance ?? []).map((entry) => [entry.param, entry.importance])),
    status: record.status,
  };
}

export class SweepOutput {
  constructor(private readonly json: boolean, private readonly total: number | undefined) {}

  started(record: SweepRecord, sweepDir: string, resumed: boolean): void {
    if (this.json) return;
    const { spec } = record;
    const budget = [spec.trials !== undefined ? `${spec.trials} trials` : '', spec.budgetMinutes !== undefined ? `${spec.budgetMinutes} min` : ''].filter(Boolean).join(', ');
    process.stderr.write(`${resumed ? 'Resuming' : 'Sweep'} "${record.name}": ${spec.method}${budget ? ` (${budget})` : ''}, optimising ${spec.metric}\n${shortPath(sweepDir)}\n`);
    if (record.rungs) {
      process.stderr.write(`rungs: ${record.rungs.map((rung) => `${rung.trials} x ${rung.epochs} epoch${rung.epochs === 1 ? '' : 's'}`).join(', then ')}\n`);
    }
  }

  trialStarted(trial: TrialRecord): void {
    if (this.json) return;
    const rung = trial.rung !== undefined ? ` rung ${trial.rung}, ${trial.epochs} epochs` : '';
    process.stderr.write(`trial ${trial.trial}${this.total ? `/${this.total}` : ''}${rung}: ${formatParams(trial.params)}${trial.runId ? ' (resumed)' : ''}\n`);
  }

  epochEnded(trial: number, epoch: number, epochs: number | undefined, valAcc: number): void {
    if (this.json) return;
    process.stderr.write(`  trial ${trial} epoch ${epoch}${epochs ? `/${epochs}` : ''}: val acc ${percent(valAcc)}\n`);
  }

  trialEnded(record: SweepRecord, trial: TrialRecord, runDir: string | undefined): void {
    if (this.json) {
      printJson(trialEndLine(record, trial, runDir));
      return;
    }
    const result = trial.status === 'completed' ? `val acc ${percent(trial.valAcc)}` : trial.status + (trial.error ? `: ${trial.error}` : '');
    process.stdout.write(`trial ${trial.trial}${this.total ? `/${this.total}` : ''} ${result} | ${formatParams(trial.params)}${runDir ? ` | ${shortPath(runDir)}` : ''}\n`);
  }

  finished(outcome: SweepOutcome): void {
    if (this.json) {
      printJson(sweepEndLine(outcome));
      return;
    }
    const { record, runsDir } = outcome;
    const counts = new Map<string, number>();
    for (const trial of record.trials) counts.set(trial.status, (counts.get(trial.status) ?? 0) + 1);
    const why = record.stopReason === 'budget' ? ' (time budget reached)' : '';
    const out: string[] = [
      '',
      `Sweep ${record.status}${why}: ${record.trials.length} trials (${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}) in ${duration(record.elapsedMs)}`,
    ];
    if (record.best) {
      out.push(`best: trial ${record.best.trial}, ${record.spec.metric} ${record.spec.metric === 'valAcc' ? percent(record.best.value) : record.best.value.toFixed(4)} | ${formatParams(record.best.params)}`);
      out.push(`  ${shortPath(join(runsDir, record.best.runId))}`);
    }
    const importance = record.importance ?? [];
    if (importance.length > 0 && importance.some((entry) => entry.importance > 0)) {
      out.push('parameter importance (random-forest permutation; rank correlation with the metric):');
      const width = Math.max(...importance.map((entry) => entry.param.length));
      for (const entry of importance) {
        const bar = '#'.repeat(Math.round(entry.importance * 30));
        const correlation = entry.correlation !== undefined ? `  (${entry.correlation >= 0 ? '+' : ''}${entry.correlation.toFixed(2)})` : '';
        out.push(`  ${entry.param.padEnd(width)}  ${entry.importance.toFixed(2)}  ${bar}${correlation}`);
      }
    } else if (record.trials.length > 0) {
      out.push('parameter importance: needs at least 4 completed trials with different results.');
    }
    if (record.status === 'cancelled') out.push(`Resume with: classifier-lab sweep --resume ${shortPath(outcome.sweepDir)}`);
    process.stdout.write(out.join('\n') + '\n');
  }
}
