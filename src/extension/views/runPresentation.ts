// How a run reads in the Experiments view: label, description, icon, menu context and tooltip text.
import type { AugmentSpec, RunSpec } from '../../core/runSpec';
import type { RunRecord, RunSummary } from '../../core/runs/runRecord';
import type { RunStatus } from '../../core/train/trainingEvents';
import { entryStatus } from './groupRuns';
import { formatPercent, progressText } from '../training/runProgress';
import type { RunEntry } from './runEntries';
import { slurmEndWord, slurmRows, slurmWaitingText } from './slurmRunText';

export interface StatusIcon {
  /** Codicon id, e.g. `pass` or `loading~spin`. */
  id: string;
  /** Theme colour id, when the icon is coloured. */
  color?: string;
}

/** The icon of each status, for runs and sweeps alike. */
export const STATUS_ICONS: Readonly<Record<RunStatus, StatusIcon>> = {
  running: { id: 'loading~spin' },
  queued: { id: 'clock' },
  completed: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  cancelled: { id: 'circle-slash', color: 'disabledForeground' },
  interrupted: { id: 'debug-pause', color: 'editorWarning.foreground' },
};

export function statusIcon(entry: RunEntry): StatusIcon {
  return STATUS_ICONS[entryStatus(entry)];
}

export function runLabel(entry: RunEntry): string {
  return entry.kind === 'queued' ? entry.training.name : entry.record.name;
}

/**
 * A run's best accuracy, named for what it is: `val acc 97.0%`, or `train acc 93.5%` for a run without
 * a validation split (its best epoch was chosen by training accuracy); undefined before its first epoch.
 */
export function bestAccuracyText(summary: RunSummary): string | undefined {
  if (summary.bestValAcc !== undefined) return `val acc ${formatPercent(summary.bestValAcc)}`;
  if (summary.bestTrainAcc !== undefined) return `train acc ${formatPercent(summary.bestTrainAcc)}`;
  return undefined;
}

/**
 * The text beside the name: live progress while training, else the best accuracy (validation, or
 * training for a run without a validation split), with the status when the run did not complete.
 */
export function runDescription(entry: RunEntry): string {
  const { training } = entry;
  if (training?.phase === 'queued') return training.request.resumeRunId ? 'queued to resume' : 'queued';
  if (entry.kind === 'queued') return entry.training.progress ? progressText(entry.training.progress) : entry.training.stateText ?? 'starting…';
  const { record } = entry;
  if (record.status === 'running') {
    if (training?.progress) return progressText(training.progress);
    const live = bestAccuracyText(record.summary);
    return live !== undefined ? `running · ${live}` : 'starting…';
  }
  const accuracy = bestAccuracyText(record.summary);
  if (record.status === 'completed') return accuracy ?? 'completed';
  if (record.status === 'queued') return slurmWaitingText(record, entry.job) ?? 'waiting to start';
  const status = slurmEndWord(record) ?? record.status;
  return accuracy ? `${accuracy} · ${status}` : status;
}

/** The `viewItem` value menus match on: `run.<status>`; a run without a saved model gets no `.model` suffix. */
export function runContextValue(entry: RunEntry): string {
  const status = entryStatus(entry);
  if (entry.kind === 'queued') return 'run.queued';
  const hasModel = entry.record.summary.bestEpoch !== undefined;
  return `run.${status}${hasModel ? '.model' : ''}`;
}

/** Escapes text from run files (names, notes, paths) so markdown shows it as written (links, emphasis, tables, HTML). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

function augmentText(augment: AugmentSpec): string {
  const parts: string[] = [];
  if (augment.flip) parts.push('flip');
  if (augment.rotateDegrees > 0) parts.push(`rotate ±${augment.rotateDegrees}°`);
  if (augment.cropPadding > 0) parts.push(`crop (pad ${augment.cropPadding} px)`);
  if (augment.brightness > 0 || augment.contrast > 0 || augment.saturation > 0) parts.push('colour jitter');
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (!Number.isFinite(date.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function specRows(spec: RunSpec): [string, string][] {
  const { training } = spec;
  const optimizer = training.optimizer === 'sgd' && training.momentum > 0 ? `sgd (momentum ${training.momentum})` : training.optimizer;
  const rows: [string, string][] = [
    ['Model', spec.model.kind.toUpperCase()],
    ['Epochs', String(training.epochs)],
    ['Batch size', String(training.batchSize)],
    ['Learning rate', `${training.learningRate} · ${optimizer}`],
    ['Loss', training.labelSmoothing > 0 ? `${training.loss} (label smoothing ${training.labelSmoothing})` : training.loss],
    ['Augmentation', augmentText(spec.augment)],
    ['Validation split', formatPercent(spec.data.valSplit, 0)],
  ];
  if (spec.data.limit !== undefined) rows.push(['Example limit', String(spec.data.limit)]);
  if (training.earlyStoppingPatience > 0) rows.push(['Early stopping', `after ${training.earlyStoppingPatience} epochs without improvement`]);
  rows.push(['Seed', String(training.seed)]);
  return rows;
}

function recordRows(record: RunRecord): [string, string][] {
  const rows: [string, string][] = [];
  const { summary, dataset } = record;
  const atEpoch = summary.bestEpoch !== undefined ? `epoch ${summary.bestEpoch}` : undefined;
  if (summary.bestValAcc !== undefined) {
    rows.push(['Best val acc', `${formatPercent(summary.bestValAcc)}${atEpoch ? ` (${atEpoch})` : ''}`]);
  } else if (summary.bestTrainAcc !== undefined) {
    rows.push(['Best train acc', `${formatPercent(summary.bestTrainAcc)} (${atEpoch ? `${atEpoch}; ` : ''}no validation split)`]);
  }
  if (summary.testAcc !== undefined) rows.push(['Test acc', formatPercent(summary.testAcc)]);
  rows.push(['Epochs done', `${summary.lastEpoch ?? 0} of ${summary.epochs}`]);
  if (dataset) {
    rows.push(['Images', `${dataset.trainCount.toLocaleString('en-US')} train · ${dataset.valCount.toLocaleString('en-US')} val · ${dataset.testCount.toLocaleString('en-US')} test (${dataset.classes.length} classes, ${dataset.imageShape.join('×')})`]);
  }
  const created = formatTime(record.createdAt);
  if (created) rows.push(['Created', created]);
  const started = formatTime(record.startedAt);
  if (started) rows.push(['Started', started]);
  const ended = formatTime(record.endedAt);
  if (ended) rows.push(['Ended', ended]);
  if (summary.durationMs !== undefined) rows.push(['Training time', formatDuration(summary.durationMs)]);
  if (summary.imagesPerSecond !== undefined) rows.push(['Throughput', `${Math.round(summary.imagesPerSecond).toLocaleString('en-US')} images/s`]);
  if (record.backend) rows.push(['Backend', record.backendFallbackReason ? `${record.backend} (native not used: ${record.backendFallbackReason})` : record.backend]);
  if (record.resumedFrom !== undefined) rows.push(['Resumed from', `epoch ${record.resumedFrom}`]);
  return rows;
}

/** Markdown for the row's hover: name and status, hyperparameters, results and timings, notes, error. */
export function runTooltip(entry: RunEntry): string {
  const status = entryStatus(entry);
  const spec = entry.kind === 'queued' ? entry.training.request.spec : entry.record.spec;
  const lines = [`**${escapeMarkdown(runLabel(entry))}** — ${status}`, ''];
  if (entry.training?.progress) lines.push(escapeMarkdown(progressText(entry.training.progress)), '');
  lines.push(`Dataset: \`${spec.data.path.replace(/`/g, "'")}\``, '');
  const rows = specRows(spec);
  if (entry.kind === 'run') {
    const { model } = entry.record;
    if (model) rows[0] = ['Model', `${model.kind.toUpperCase()} · ${model.parameterCount.toLocaleString('en-US')} parameters`];
    rows.push(...recordRows(entry.record), ...slurmRows(entry.record, entry.job));
  }
  lines.push('| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${escapeMarkdown(value)} |`));
  if (entry.kind === 'run') {
    const { record } = entry;
    if (record.tags && record.tags.length > 0) lines.push('', `Tags: ${record.tags.map((tag) => `\`${tag.replace(/`/g, "'")}\``).join(' ')}`);
    if (record.notes) lines.push('', escapeMarkdown(record.notes));
    if (record.error) lines.push('', `**Error:** ${escapeMarkdown(record.error)}`);
  }
  return lines.join('\n');
}
