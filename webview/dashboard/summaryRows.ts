// The summary section as label/value rows: what the run is, what it trained on, how, and how well.
import type { EpochPoint, RunRecord, TestResult } from '../../src/protocol/dashboardView';
import type { RunMetrics } from './runMetrics';
import { formatBytes, formatCount, formatDuration, formatNumber, formatPercent, formatTime } from '../shared/format';

export interface SummaryRow {
  label: string;
  value: string;
  /** A stable key for tests and styling. */
  key: string;
  /** The value names another run: its id, for a link to its dashboard. */
  runId?: string;
}

export interface SummaryGroup {
  title: string;
  rows: SummaryRow[];
}

const STATUS_WORDS: Record<RunRecord['status'], string> = {
  queued: 'Queued', running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled', interrupted: 'Interrupted',
};

export function statusWord(status: RunRecord['status']): string {
  return STATUS_WORDS[status] ?? status;
}

function row(key: string, label: string, value: string): SummaryRow {
  return { key, label, value };
}

const SCHEDULE_WORDS: Record<string, string> = { constant: 'constant', step: 'step', cosine: 'cosine', onecycle: 'one-cycle' };

/** A learning-rate schedule in words: `one-cycle, 25% warm-up from 4%, to 0%`. */
function scheduleText(value: Record<string, unknown>): string {
  const kind = String(value.kind);
  const parts = [SCHEDULE_WORDS[kind] ?? kind];
  const fraction = (x: unknown) => formatPercent(Number(x), 0);
  if (typeof value.warmup === 'number' && value.warmup > 0) parts.push(`${fraction(value.warmup)} warm-up from ${fraction(value.initialFactor)}`);
  if (kind === 'step' && Array.isArray(value.milestones)) parts.push(`× ${formatNumber(Number(value.gamma))} at ${value.milestones.map(fraction).join(', ')}`);
  if ((kind === 'cosine' || kind === 'onecycle') && typeof value.finalFactor === 'number') parts.push(`to ${fraction(value.finalFactor)}`);
  return parts.join(', ');
}

function optionText(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object' && value !== null && 'kind' in value) return scheduleText(value as Record<string, unknown>);
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** Spec option names as words: `denseUnits` -> `Dense units`. */
function words(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The Slurm job that trains (or trained) the run, and how it stands: `12 · queued on Slurm: Resources`, `13 · TIMEOUT`. */
function slurmRows(run: RunRecord, jobState: string | undefined): SummaryRow[] {
  const { slurm } = run;
  if (!slurm) return [];
  return [
    row('slurmJob', 'Slurm job', `${slurm.jobId} · ${slurm.state ?? jobState ?? 'submitted'}`),
    ...(slurm.previousJobIds && slurm.previousJobIds.length > 0 ? [row('slurmPreviousJobs', 'Earlier Slurm jobs', slurm.previousJobIds.join(', '))] : []),
  ];
}

/** The most memory the epochs recorded (a live run's summary has it only once run.json is rewritten). */
function peakOf(epochs: readonly EpochPoint[]): number | undefined {
  const peaks = epochs.flatMap((p) => (p.peakRssBytes === undefined ? [] : [p.peakRssBytes]));
  return peaks.length > 0 ? Math.max(...peaks) : undefined;
}

/** True for a run trained without a validation split: its best epoch was chosen by training accuracy. */
export function hasNoValidation(run: RunRecord, epochs: readonly EpochPoint[] = []): boolean {
  if (run.summary.bestValAcc !== undefined || epochs.some((point) => point.valAcc !== undefined)) return false;
  return run.summary.bestTrainAcc !== undefined || run.dataset?.valCount === 0 || epochs.length > 0;
}

/** The header's words for the best epoch: its validation accuracy, or its training accuracy for a run without a validation split. */
export function bestAccuracyParts(run: RunRecord, metrics: Pick<RunMetrics, 'bestEpoch'>): string[] {
  const { summary } = run;
  const words = (kind: 'validation' | 'training', accuracy: number, epoch: number) =>
    `best ${kind} accuracy ${formatPercent(accuracy)} (epoch ${epoch}${kind === 'training' ? '; no validation split' : ''})`;
  if (summary.bestEpoch !== undefined && summary.bestValAcc !== undefined) return [words('validation', summary.bestValAcc, summary.bestEpoch)];
  if (summary.bestEpoch !== undefined && summary.bestTrainAcc !== undefined) return [words('training', summary.bestTrainAcc, summary.bestEpoch)];
  const best = metrics.bestEpoch();
  if (!best) return [];
  return [best.valAcc !== undefined ? words('validation', best.valAcc, best.epoch) : words('training', best.acc, best.epoch)];
}

/** `jobState`: how the run's live Slurm job stands, in words, when one trains it. */
export function summaryGroups(run: RunRecord, epochs: readonly EpochPoint[], test: TestResult | undefined, jobState?: string): SummaryGroup[] {
  const { spec, summary, dataset } = run;
  const lastEpoch = summary.lastEpoch ?? epochs[epochs.length - 1]?.epoch;
  const progress = lastEpoch === undefined ? `0 of ${summary.epochs} epochs` : `${lastEpoch} of ${summary.epochs} epochs`;
  const overview: SummaryRow[] = [
    row('status', 'Status', statusWord(run.status)),
    row('progress', 'Progress', progress),
    row('created', 'Created', formatTime(run.createdAt)),
    ...(run.startedAt ? [row('started', 'Started', formatTime(run.startedAt))] : []),
    ...(run.endedAt ? [row('ended', 'Ended', formatTime(run.endedAt))] : []),
    row('duration', 'Training time', formatDuration(summary.durationMs)),
    row('backend', 'Backend', run.backend ?? '–'),
    ...(run.backendFallbackReason ? [row('backendFallback', 'Native backend', `not used: ${run.backendFallbackReason}`)] : []),
    ...(run.threads !== undefined ? [row('threads', 'Training threads', String(run.threads))] : []),
    ...(run.resumedFrom !== undefined ? [row('resumedFrom', 'Resumed from epoch', String(run.resumedFrom))] : []),
    ...slurmRows(run, jobState),
    ...(run.initFrom ? [{
      ...row('initFrom', 'Started from run', `${run.initFrom.name}${run.initFrom.bestValAcc !== undefined ? ` (${formatPercent(run.initFrom.bestValAcc)} val)` : ''}, ${run.initFrom.headReplaced ? 'new classifier head' : 'its classifier head kept'}`),
      runId: run.initFrom.runId,
    }] : []),
    row('id', 'Run id', run.id),
  ];
  const trainingOnly = hasNoValidation(run, epochs);
  const results: SummaryRow[] = [
    row('bestEpoch', 'Best epoch', summary.bestEpoch === undefined ? '–' : String(summary.bestEpoch)),
    ...(trainingOnly ? [
      row('validation', 'Validation', 'none: no validation split, so the best epoch is the best by training accuracy'),
      row('bestTrainAcc', 'Best training accuracy', formatPercent(summary.bestTrainAcc)),
      row('bestTrainLoss', 'Best training loss', formatNumber(summary.bestTrainLoss)),
    ] : [
      row('bestValAcc', 'Best validation accuracy', formatPercent(summary.bestValAcc)),
      row('bestValLoss', 'Best validation loss', formatNumber(summary.bestValLoss)),
    ]),
    row('testAcc', 'Test accuracy', formatPercent(summary.testAcc ?? test?.acc)),
    row('imagesPerSecond', 'Images per second', summary.imagesPerSecond === undefined ? '–' : formatNumber(summary.imagesPerSecond, 3)),
    row('peakMemory', 'Peak memory', formatBytes(summary.peakRssBytes ?? peakOf(epochs))),
  ];
  const data: SummaryRow[] = [
    row('dataPath', 'Path', dataset?.root ?? spec.data.path),
    row('format', 'Format', dataset?.format ?? spec.data.format),
    ...(dataset ? [
      row('classes', 'Classes', formatCount(dataset.classes.length)),
      row('imageShape', 'Image shape', dataset.imageShape.join(' × ')),
      row('splits', 'Train / validation / test', `${formatCount(dataset.trainCount)} / ${formatCount(dataset.valCount)} / ${formatCount(dataset.testCount)}`),
    ] : []),
    row('valSplit', 'Validation split', formatPercent(spec.data.valSplit, 0)),
    ...(spec.data.limit !== undefined ? [row('limit', 'Training limit', formatCount(spec.data.limit))] : []),
    ...(spec.data.imageSize !== undefined ? [row('imageSize', 'Image size', `${spec.data.imageSize} px`)] : []),
    ...(dataset?.skipped ? [row('skipped', 'Skipped files', formatCount(dataset.skipped))] : []),
    ...(dataset?.streamed !== undefined ? [row('streamed', 'Loading', dataset.streamed ? 'streamed from disk' : 'in memory')] : []),
  ];
  const model: SummaryRow[] = [
    row('modelKind', 'Kind', spec.model.kind),
    row('parameters', 'Parameters', formatCount(run.model?.parameterCount)),
    ...Object.entries(spec.model.options as unknown as Record<string, unknown>).map(([key, value]) => row(`model.${key}`, words(key), optionText(value))),
  ];
  const training: SummaryRow[] = Object.entries(spec.training as unknown as Record<string, unknown>)
    .map(([key, value]) => row(`training.${key}`, words(key), optionText(value)));
  const augment: SummaryRow[] = Object.entries(spec.augment as unknown as Record<string, unknown>)
    .map(([key, value]) => row(`augment.${key}`, words(key), typeof value === 'boolean' ? (value ? 'on' : 'off') : optionText(value)));
  return [
    { title: 'Run', rows: overview },
    { title: 'Results', rows: results },
    { title: 'Dataset', rows: data },
    { title: 'Model', rows: model },
    { title: 'Hyperparameters', rows: training },
    { title: 'Augmentation', rows: augment },
  ];
}

/** Tags typed as one comma-separated line. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter((tag) => tag.length > 0))];
}
