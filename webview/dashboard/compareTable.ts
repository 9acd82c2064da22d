// The comparison table: one row per run, one column per hyperparameter or final metric, columns
// whose values differ between runs flagged, rows sortable by any column.
import type { CompareRun } from '../../src/protocol/compareView';
import { formatCount, formatDuration, formatNumber, formatPercent } from '../shared/format';

export type CellValue = string | number | undefined;

export interface CompareColumn {
  key: string;
  label: string;
  group: 'run' | 'data' | 'model' | 'training' | 'result';
  value(run: CompareRun): CellValue;
  format(value: CellValue): string;
  /** Shown only when some run has a value (a column about a kind of run that may not be compared). */
  onlyWhenSet?: boolean;
}

export interface CompareTable {
  columns: (CompareColumn & { differs: boolean })[];
  rows: { runId: string; name: string; values: CellValue[] }[];
}

const text = (value: CellValue): string => (value === undefined ? '–' : String(value));
const number = (value: CellValue): string => (typeof value === 'number' ? formatNumber(value) : text(value));
const percent = (value: CellValue): string => (typeof value === 'number' ? formatPercent(value) : text(value));
const count = (value: CellValue): string => (typeof value === 'number' ? formatCount(value) : text(value));

function modelOptions(entry: CompareRun): string {
  const options = entry.run.spec.model.options as unknown as Record<string, unknown>;
  return Object.entries(options).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('/') : String(value)}`).join(', ');
}

function augmentation(entry: CompareRun): string {
  const a = entry.run.spec.augment;
  const parts = [a.flip ? 'flip' : '', a.rotateDegrees ? `rotate ${a.rotateDegrees}°` : '', a.cropPadding ? `crop ${a.cropPadding}px` : '',
    a.brightness || a.contrast || a.saturation ? 'colour' : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function lastEpoch(entry: CompareRun): CompareRun['epochs'][number] | undefined {
  return entry.epochs[entry.epochs.length - 1];
}

export const COMPARE_COLUMNS: readonly CompareColumn[] = [
  { key: 'status', label: 'Status', group: 'run', value: (e) => e.run.status, format: text },
  { key: 'dataset', label: 'Dataset', group: 'data', value: (e) => e.run.dataset?.root.split(/[\\/]/).filter(Boolean).pop() ?? e.run.spec.data.path, format: text },
  { key: 'imageSize', label: 'Image size', group: 'data', value: (e) => (e.run.dataset ? e.run.dataset.imageShape.join('×') : e.run.spec.data.imageSize), format: text },
  { key: 'trainCount', label: 'Training images', group: 'data', value: (e) => e.run.dataset?.trainCount, format: count },
  { key: 'model', label: 'Model', group: 'model', value: (e) => e.run.spec.model.kind, format: text },
  { key: 'modelOptions', label: 'Architecture', group: 'model', value: modelOptions, format: text },
  { key: 'parameters', label: 'Parameters', group: 'model', value: (e) => e.run.model?.parameterCount, format: count },
  { key: 'epochs', label: 'Epochs', group: 'training', value: (e) => e.run.spec.training.epochs, format: count },
  { key: 'batchSize', label: 'Batch size', group: 'training', value: (e) => e.run.spec.training.batchSize, format: count },
  { key: 'optimizer', label: 'Optimiser', group: 'training', value: (e) => e.run.spec.training.optimizer, format: text },
  { key: 'learningRate', label: 'Learning rate', group: 'training', value: (e) => e.run.spec.training.learningRate, format: number },
  { key: 'momentum', label: 'Momentum', group: 'training', value: (e) => e.run.spec.training.momentum, format: number },
  { key: 'loss', label: 'Loss', group: 'training', value: (e) => e.run.spec.training.loss, format: text },
  { key: 'labelSmoothing', label: 'Label smoothing', group: 'training', value: (e) => e.run.spec.training.labelSmoothing, format: number },
  { key: 'valSplit', label: 'Validation split', group: 'training', value: (e) => e.run.spec.data.valSplit, format: percent },
  { key: 'augment', label: 'Augmentation', group: 'training', value: augmentation, format: text },
  { key: 'seed', label: 'Seed', group: 'training', value: (e) => e.run.spec.training.seed, format: text },
  { key: 'backend', label: 'Backend', group: 'training', value: (e) => e.run.backend, format: text },
  { key: 'bestValAcc', label: 'Best val. accuracy', group: 'result', value: (e) => e.run.summary.bestValAcc, format: percent },
  { key: 'bestValLoss', label: 'Best val. loss', group: 'result', value: (e) => e.run.summary.bestValLoss, format: number },
  // A run without a validation split was scored on its training data: that number has a column of its own.
  { key: 'bestTrainAcc', label: 'Best train. accuracy (no val. split)', group: 'result', value: (e) => e.run.summary.bestTrainAcc, format: percent, onlyWhenSet: true },
  { key: 'bestEpoch', label: 'Best epoch', group: 'result', value: (e) => e.run.summary.bestEpoch, format: count },
  { key: 'finalTrainAcc', label: 'Final train accuracy', group: 'result', value: (e) => lastEpoch(e)?.acc, format: percent },
  { key: 'testAcc', label: 'Test accuracy', group: 'result', value: (e) => e.run.summary.testAcc ?? e.test?.acc, format: percent },
  { key: 'imagesPerSecond', label: 'Images/s', group: 'result', value: (e) => e.run.summary.imagesPerSecond, format: (v) => (typeof v === 'number' ? formatNumber(v, 3) : text(v)) },
  { key: 'duration', label: 'Duration', group: 'result', value: (e) => e.run.summary.durationMs, format: (v) => (typeof v === 'number' ? formatDuration(v) : text(v)) },
];

export function buildCompareTable(runs: readonly CompareRun[], allColumns: readonly CompareColumn[] = COMPARE_COLUMNS): CompareTable {
  const columns = allColumns.filter((column) => !column.onlyWhenSet || runs.some((entry) => column.value(entry) !== undefined));
  const rows = runs.map((entry) => ({ runId: entry.run.id, name: entry.run.name, values: columns.map((column) => column.value(entry)) }));
  return {
    columns: columns.map((column, c) => ({ ...column, differs: new Set(rows.map((row) => JSON.stringify(row.values[c] ?? null))).size > 1 })),
    rows,
  };
}

/** Sorted copy: numbers numerically, text alphabetically (numbers inside compared as numbers), missing values last either way. */
export function sortCompareRows<R extends { name: string; values: CellValue[] }>(rows: readonly R[], column: number | 'name', direction: 'ascending' | 'descending'): R[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const valueOf = (row: R): CellValue => (column === 'name' ? row.name : row.values[column]);
  return [...rows].sort((a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en', { numeric: true });
  });
}
