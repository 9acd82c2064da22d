// How a sweep reads in the Experiments view and pickers: its progress (`7/12 trials, best 93.1%`), status
// icon, menu context and tooltip. No VS Code API here.
import { plannedTrialCount } from '../../core/sweeps/planNextTrial';
import type { SweepRecord } from '../../core/sweeps/sweepRecord';
import type { SweepMetric } from '../../core/sweeps/sweepSpec';
import { runSpecFromTrainOptions } from '../../core/trainOptions';
import { formatPercent } from '../training/runProgress';
import { escapeMarkdown, formatDuration, STATUS_ICONS, type StatusIcon } from './runPresentation';

/** Statuses a sweep can be resumed from: its process stopped before the method was done. */
export const RESUMABLE_SWEEP_STATUSES: readonly SweepRecord['status'][] = ['interrupted', 'cancelled', 'failed', 'queued'];

export function sweepIcon(sweep: Pick<SweepRecord, 'status'>): StatusIcon {
  return STATUS_ICONS[sweep.status] ?? STATUS_ICONS.interrupted;
}

/** A metric value as a user reads it: accuracy as a percentage, loss as a number. */
export function sweepValueText(metric: SweepMetric, value: number): string {
  return metric === 'valAcc' ? formatPercent(value) : `loss ${Number(value.toPrecision(3))}`;
}

/** How many trials the method plans (undefined for a sweep bounded by time alone). */
export function plannedTrials(sweep: Pick<SweepRecord, 'spec'>): number | undefined {
  try {
    return plannedTrialCount(sweep.spec, runSpecFromTrainOptions(sweep.spec.base).training.epochs);
  } catch {
    return sweep.spec.trials;
  }
}

/** Trials that will not run again: completed or failed. */
export function finishedTrials(sweep: Pick<SweepRecord, 'trials'>): number {
  return sweep.trials.filter((trial) => trial.status === 'completed' || trial.status === 'failed').length;
}

/** `7/12 trials, best 93.1%`, with the status first when the sweep is not running or done: `interrupted · 7/12 trials, ...`. */
export function sweepDescription(sweep: Pick<SweepRecord, 'spec' | 'trials' | 'best' | 'status'>): string {
  const planned = plannedTrials(sweep);
  const done = finishedTrials(sweep);
  const progress = planned !== undefined ? `${done}/${planned} trials` : `${done} trial${done === 1 ? '' : 's'}`;
  const best = sweep.best ? `, best ${sweepValueText(sweep.spec.metric, sweep.best.value)}` : '';
  const status = sweep.status === 'running' || sweep.status === 'completed' ? '' : `${sweep.status} · `;
  return `${status}${progress}${best}`;
}

/** The `viewItem` menus match on: `sweep.<status>`, with `.here` when this window runs it. */
export function sweepContextValue(sweep: Pick<SweepRecord, 'status'>, runningHere: boolean): string {
  return `sweep.${sweep.status}${runningHere ? '.here' : ''}`;
}

function paramText(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : typeof value === 'number' ? String(Number(value.toPrecision(4))) : String(value);
}

/** What the method searches, in words: `learningRate 0.0001–0.01 (log), batchSize 32 | 64`. */
export function spaceText(sweep: Pick<SweepRecord, 'spec'>): string {
  return Object.entries(sweep.spec.space).map(([name, entry]) => Array.isArray(entry)
    ? `${name} ${entry.map(paramText).join(' | ')}`
    : `${name} ${paramText(entry.min)}–${paramText(entry.max)}${entry.log ? ' (log)' : ''}`).join(', ');
}

/** Markdown for a sweep row's hover. */
export function sweepTooltip(sweep: SweepRecord): string {
  const { spec } = sweep;
  const budget = [spec.trials !== undefined ? `${spec.trials} trials` : undefined, spec.budgetMinutes !== undefined ? `${spec.budgetMinutes} min` : undefined].filter(Boolean).join(', ');
  const rows: [string, string][] = [
    ['Method', `${spec.method}${spec.method === 'random' || spec.method === 'halving' ? ` (seed ${spec.seed})` : ''}`],
    ['Searches', spaceText(sweep)],
    ['Metric', spec.metric === 'valAcc' ? 'best validation accuracy (higher is better)' : 'lowest validation loss (lower is better)'],
    ...(budget ? [['Budget', budget] as [string, string]] : []),
    ['Progress', sweepDescription({ ...sweep, status: 'running' })],
    ['Time spent', formatDuration(sweep.elapsedMs)],
  ];
  if (sweep.best) rows.push(['Best trial', `#${sweep.best.trial}: ${Object.entries(sweep.best.params).map(([k, v]) => `${k}=${paramText(v)}`).join(', ')}`]);
  const top = sweep.importance?.filter((entry) => entry.importance > 0).slice(0, 3);
  if (top && top.length > 0) rows.push(['Mattered most', top.map((entry) => `${entry.param} (${Math.round(entry.importance * 100)}%)`).join(', ')]);
  const lines = [`**${escapeMarkdown(sweep.name)}** — sweep, ${sweep.status}`, '', '| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${escapeMarkdown(value)} |`)];
  if (sweep.error) lines.push('', `**Error:** ${escapeMarkdown(sweep.error)}`);
  return lines.join('\n');
}
